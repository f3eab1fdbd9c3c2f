#pragma once
// Helpers for the sdp_rewrite tests: fixture files, pinned SDES keys, parsed SDP holders.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "media/sdp_rewrite/crypto_choice.h"
#include "media/sdp_rewrite/sdp_info.h"
#include "sdp/base64.h"
#include "sdp/session_description.h"

namespace gh::media::testing {

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string goldenPath(std::string_view name) {
  return std::string(GH_SOURCE_DIR) + "/tests/unit/media/sdp_rewrite/golden/" + std::string(name);
}

inline std::string corpusPath(std::string_view name) {
  return std::string(GH_SHARED_DIR) + "/corpus/sdp/" + std::string(name);
}

// "corpus:rfc4317/2.1-offer.sdp" or a file name under golden/.
inline std::string readFixture(std::string_view name) {
  constexpr std::string_view kCorpus = "corpus:";
  if (name.substr(0, kCorpus.size()) == kCorpus) {
    return readFile(corpusPath(name.substr(kCorpus.size())));
  }
  return readFile(goldenPath(name));
}

// Hands out the pinned base64 keys in order, then a counting pattern: golden outputs are stable.
class PinnedKeys {
public:
  explicit PinnedKeys(std::deque<std::string> pinned = {}) : pinned_(std::move(pinned)) {}

  KeySource source() {
    return [this](std::string_view, std::span<uint8_t> out) { return fill(out); };
  }

  int calls() const { return calls_; }

private:
  bool fill(std::span<uint8_t> out) {
    ++calls_;
    if (!pinned_.empty()) {
      std::array<uint8_t, 64> bytes{};
      auto n = sdp::base64Decode(pinned_.front(), bytes);
      pinned_.pop_front();
      if (!n || *n != out.size()) {
        return false;
      }
      std::copy_n(bytes.begin(), *n, out.begin());
      return true;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = static_cast<uint8_t>(static_cast<std::size_t>(calls_) * 16 + i);
    }
    return true;
  }

  std::deque<std::string> pinned_;
  int calls_ = 0;
};

// A parsed SDP and its extracted info, kept together (the info borrows nothing, the edit does).
struct Parsed {
  std::unique_ptr<sdp::SessionDescription> sdp;
  SdpInfo info;
};

inline Parsed parseFixture(std::string_view name) {
  Parsed p;
  std::string text = readFixture(name);
  auto parsed = sdp::parse(text);
  if (!parsed) {
    ADD_FAILURE() << name << ": " << parsed.error().what;
    return p;
  }
  p.sdp = std::make_unique<sdp::SessionDescription>(std::move(*parsed));
  auto info = extractSdpInfo(*p.sdp);
  if (!info) {
    ADD_FAILURE() << name << ": " << info.error().what;
    return p;
  }
  p.info = std::move(*info);
  return p;
}

} // namespace gh::media::testing
