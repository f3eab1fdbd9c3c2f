#pragma once
// Helpers for the sdp tests: corpus files and SIP bodies.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace gh::sdp::testing {

inline std::string sharedPath(std::string_view relative) {
  return std::string(GH_SHARED_DIR) + "/corpus/" + std::string(relative);
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string readCorpus(std::string_view relative) {
  return readFile(sharedPath(relative));
}

// The body of a SIP message: everything after the first empty line.
inline std::string sipBody(const std::string& message) {
  const std::size_t blank = message.find("\r\n\r\n");
  return blank == std::string::npos ? std::string() : message.substr(blank + 4);
}

// Every *.sdp under corpus/sdp, sorted so failures are stable.
inline std::vector<std::string> corpusSdpFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(sharedPath("sdp"), ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".sdp") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace gh::sdp::testing
