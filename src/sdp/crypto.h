#pragma once
// RFC 4568 SDES: the a=crypto attribute, parsed and built.
//
//   a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]
//   key-params = key-param *(";" key-param)
//   key-param  = "inline:" <base64 key||salt> ["|" lifetime] ["|" mki-value ":" mki-length]
//
//   Result<CryptoView> c = parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:PS1u...|2^20|1:32");
//   c->keys[0].keySalt().size() == 30
//
//   std::string value = formatCrypto({.tag = 1, .suite = kAesCm128HmacSha1_80, .key_salt = k});
//   edit.media(0).addAttribute(attr::kCrypto, value);

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gh::sdp {

inline constexpr std::string_view kAesCm128HmacSha1_80 = "AES_CM_128_HMAC_SHA1_80";
inline constexpr std::string_view kAesCm128HmacSha1_32 = "AES_CM_128_HMAC_SHA1_32";

// The largest known key||salt is 46 octets (AES-256 + 112-bit salt); 64 leaves room for suites
// this table does not know yet while keeping the view fixed-size.
inline constexpr std::size_t kMaxKeySaltBytes = 64;
// RFC 4568 allows several keys (distinguished by MKI); more than this is not a real offer.
inline constexpr std::size_t kMaxKeyParams = 16;

// key||salt length in octets for the suites of RFC 4568 section 6.2, RFC 6188 and RFC 7714;
// nullopt for a suite this module does not know.
std::optional<std::size_t> cryptoSuiteKeySaltSize(std::string_view suite);

struct KeyParamView {
  std::string_view method;          // "inline"; other methods are kept but not decoded
  std::string_view info;            // everything after "<method>:"
  std::string_view key_salt_base64; // inline only
  std::array<uint8_t, kMaxKeySaltBytes> key_salt_bytes{};
  uint8_t key_salt_size = 0;
  std::optional<uint64_t> lifetime;   // in packets; "2^20" is 1048576
  bool lifetime_power_of_two = false; // written as "2^n"
  std::optional<uint64_t> mki_value;
  uint8_t mki_length = 0; // octets, 1..128, when mki_value is set

  std::span<const uint8_t> keySalt() const { return {key_salt_bytes.data(), key_salt_size}; }
};

// One key-param. When `suite` is known, the decoded key||salt must have its length.
Result<KeyParamView> parseKeyParam(std::string_view text, std::string_view suite = {});

struct CryptoView {
  uint32_t tag = 0;
  std::string_view suite;
  std::vector<KeyParamView> keys;  // at least one
  std::string_view session_params; // as written, e.g. "FEC_ORDER=FEC_SRTP"; empty when none
};

// Fails on a bad tag, a suite with characters outside 1*(ALPHA / DIGIT / "_"), bad base64, a
// key||salt length that does not fit a known suite, or a malformed lifetime or MKI. An unknown
// suite or session parameter is not an error: choosing what to accept is the caller's job.
Result<CryptoView> parseCrypto(std::string_view value);

struct CryptoSpec {
  uint32_t tag = 1;
  std::string_view suite = kAesCm128HmacSha1_80;
  std::span<const uint8_t> key_salt{};
  std::optional<uint64_t> lifetime{}; // written as 2^n when a power of two
  std::optional<uint64_t> mki_value{};
  uint8_t mki_length = 0;
  std::string_view session_params{};
};

// The attribute value (without "a=crypto:"), e.g. "1 AES_CM_128_HMAC_SHA1_80 inline:<40 chars>".
std::string formatCrypto(const CryptoSpec& spec);

} // namespace gh::sdp
