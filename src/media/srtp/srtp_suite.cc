#include "media/srtp/srtp_suite.h"

#include <array>

namespace gh::media {
namespace {

constexpr std::array<SrtpSuite, 6> kSuites{{
    {"AES_CM_128_HMAC_SHA1_80", SrtpCipher::AesCm128, 16, 14, 14, 20, 10, 10},
    {"AES_CM_128_HMAC_SHA1_32", SrtpCipher::AesCm128, 16, 14, 14, 20, 4, 10},
    {"AES_256_CM_HMAC_SHA1_80", SrtpCipher::AesCm256, 32, 14, 14, 20, 10, 10},
    {"AES_256_CM_HMAC_SHA1_32", SrtpCipher::AesCm256, 32, 14, 14, 20, 4, 10},
    {"AEAD_AES_128_GCM", SrtpCipher::AesGcm128, 16, 12, 12, 0, 16, 16},
    {"AEAD_AES_256_GCM", SrtpCipher::AesGcm256, 32, 12, 12, 0, 16, 16},
}};

} // namespace

std::span<const SrtpSuite> srtpSuites() {
  return kSuites;
}

const SrtpSuite* findSrtpSuite(std::string_view name) {
  for (const SrtpSuite& suite : kSuites) {
    if (suite.name == name) {
      return &suite;
    }
  }
  return nullptr;
}

const SrtpSuite& defaultSrtpSuite() {
  return kSuites[0];
}

} // namespace gh::media
