#include "media/service/key_material.h"

#include <algorithm>
#include <string>

#include "media/srtp/srtp_suite.h"

namespace gh::media {

KeySource randomKeySource() {
  return [](std::string_view name, std::span<uint8_t> out) {
    const SrtpSuite* suite = findSrtpSuite(name);
    if (suite == nullptr || suite->masterLength() != out.size()) {
      return false;
    }
    Result<SrtpMasterKey> key = SrtpMasterKey::generate(*suite);
    if (!key) {
      return false;
    }
    std::copy(key->concatenated().begin(), key->concatenated().end(), out.begin());
    return true;
  };
}

CryptoSupport srtpSupport() {
  CryptoSupport support;
  for (const SrtpSuite& suite : srtpSuites()) {
    support.suites.emplace_back(suite.name);
  }
  support.allow_mki = false;
  return support;
}

std::optional<SrtpMasterKey> masterKeyOf(std::string_view name, std::span<const uint8_t> key_salt) {
  const SrtpSuite* suite = findSrtpSuite(name);
  if (suite == nullptr) {
    return std::nullopt;
  }
  Result<SrtpMasterKey> key = SrtpMasterKey::fromConcatenated(*suite, key_salt);
  if (!key) {
    return std::nullopt;
  }
  return std::move(*key);
}

} // namespace gh::media
