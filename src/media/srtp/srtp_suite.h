#pragma once
// The SRTP crypto suites we implement, as data. Names are the SDES crypto-suite vocabulary
// (RFC 4568 §6.2, RFC 6188 §7.1, RFC 7714 §14.2); the numbers come from those sections.

#include <cstdint>
#include <span>
#include <string_view>

namespace gh::media {

enum class SrtpCipher : uint8_t {
  AesCm128,  // AES-128 counter mode (RFC 3711 §4.1.1) + HMAC-SHA1
  AesCm256,  // AES-256 counter mode (RFC 6188) + HMAC-SHA1
  AesGcm128, // AEAD_AES_128_GCM (RFC 7714)
  AesGcm256, // AEAD_AES_256_GCM (RFC 7714)
};

struct SrtpSuite {
  std::string_view name;
  SrtpCipher cipher;
  uint8_t master_key_len;  // = session encryption key length
  uint8_t master_salt_len; // 14 for AES-CM; 12 for GCM (RFC 7714 §8.1)
  uint8_t session_salt_len;
  uint8_t auth_key_len; // HMAC-SHA1 session key (RFC 3711 §4.3.2: n_a = 160); 0 for AEAD
  uint8_t rtp_tag_len;
  uint8_t rtcp_tag_len; // 80-bit for the _32 suites too (RFC 4568 §6.2.2, RFC 6188 §7.1)

  bool aead() const { return cipher == SrtpCipher::AesGcm128 || cipher == SrtpCipher::AesGcm256; }

  std::size_t masterLength() const { return std::size_t{master_key_len} + master_salt_len; }
};

constexpr std::size_t kSrtpMaxMasterKeyLen = 32;
constexpr std::size_t kSrtpMaxMasterSaltLen = 14;
constexpr std::size_t kSrtpMaxTagLen = 16;
constexpr std::size_t kSrtcpTrailerLen = 4; // E flag + 31-bit SRTCP index (RFC 3711 §3.4)

// Every suite, the default offer (AES_CM_128_HMAC_SHA1_80) first.
std::span<const SrtpSuite> srtpSuites();

// Looks a suite up by its SDES name (exact, case-sensitive as RFC 4568 §9.2 spells them).
const SrtpSuite* findSrtpSuite(std::string_view name);

// The suite for the default offer, as rtpengine and the seed's peers use it.
const SrtpSuite& defaultSrtpSuite();

} // namespace gh::media
