#pragma once
// Helpers for tests that read the shared corpus (../shared/corpus) and the repo's test data.

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace gh::test {

inline std::string sharedPath(const std::string& relative) {
  return std::string(GH_SHARED_DIR) + "/" + relative;
}

inline std::string sourcePath(const std::string& relative) {
  return std::string(GH_SOURCE_DIR) + "/" + relative;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Rows of a tab-separated manifest; the first row (column names) is skipped.
inline std::vector<std::vector<std::string>> readTsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(readFile(path));
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) {
      continue;
    }
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
      std::size_t tab = line.find('\t', start);
      cells.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) {
        break;
      }
      start = tab + 1;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

} // namespace gh::test
