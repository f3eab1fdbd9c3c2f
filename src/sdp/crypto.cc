#include "sdp/crypto.h"

#include <bit>

#include "common/charset.h"
#include "common/text.h"
#include "sdp/base64.h"
#include "sdp/tokens.h"

namespace gh::sdp {
namespace {

using detail::isDigits;
using detail::nextField;
using detail::offsetOf;

struct SuiteSize {
  std::string_view suite;
  std::size_t key_salt;
};

constexpr std::array<SuiteSize, 10> kSuites = {{
    {"AES_CM_128_HMAC_SHA1_80", 30},
    {"AES_CM_128_HMAC_SHA1_32", 30},
    {"F8_128_HMAC_SHA1_80", 30},
    {"AES_192_CM_HMAC_SHA1_80", 38},
    {"AES_192_CM_HMAC_SHA1_32", 38},
    {"AES_256_CM_HMAC_SHA1_80", 46},
    {"AES_256_CM_HMAC_SHA1_32", 46},
    {"AEAD_AES_128_GCM", 28},
    {"AEAD_AES_256_GCM", 44},
    {"AES_CM_256_HMAC_SHA1_80", 46}, // pre-RFC 6188 name still sent by some gateways
}};

constexpr CharSet kSuiteChar = chars::kAlnum | CharSet("_");

// lifetime = ["2^"] 1*(DIGIT)
Result<void> parseLifetime(std::string_view text, KeyParamView& key) {
  if (text.starts_with("2^")) {
    std::string_view exponent = text.substr(2);
    auto n = isDigits(exponent) && exponent.size() <= 2 ? parseUnsigned<uint8_t>(exponent)
                                                        : std::nullopt;
    if (!n || *n > 63) {
      return fail(Errc::BadSdp, 2, "bad crypto lifetime exponent");
    }
    key.lifetime = uint64_t{1} << *n;
    key.lifetime_power_of_two = true;
    return {};
  }
  auto value = isDigits(text) ? parseUnsigned<uint64_t>(text) : std::nullopt;
  if (!value || *value == 0) {
    return fail(Errc::BadSdp, 0, "bad crypto lifetime");
  }
  key.lifetime = value;
  return {};
}

// mki = mki-value ":" mki-length, mki-length 1*3DIGIT in 1..128
Result<void> parseMki(std::string_view text, KeyParamView& key) {
  const std::size_t colon = text.find(':');
  std::string_view value = text.substr(0, colon);
  std::string_view length = text.substr(colon + 1);
  auto mki = isDigits(value) ? parseUnsigned<uint64_t>(value) : std::nullopt;
  if (!mki) {
    return fail(Errc::BadSdp, 0, "bad crypto MKI value");
  }
  auto len = isDigits(length) && length.size() <= 3 ? parseUnsigned<uint8_t>(length) : std::nullopt;
  if (!len || *len == 0 || *len > 128) {
    return fail(Errc::BadSdp, static_cast<uint32_t>(colon + 1), "bad crypto MKI length");
  }
  key.mki_value = mki;
  key.mki_length = *len;
  return {};
}

} // namespace

std::optional<std::size_t> cryptoSuiteKeySaltSize(std::string_view suite) {
  for (const auto& s : kSuites) {
    if (iequals(s.suite, suite)) {
      return s.key_salt;
    }
  }
  return std::nullopt;
}

Result<KeyParamView> parseKeyParam(std::string_view text, std::string_view suite) {
  KeyParamView key;
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail(Errc::BadSdp, 0, "crypto key-param needs <method>:<info>");
  }
  key.method = text.substr(0, colon);
  key.info = text.substr(colon + 1);
  if (!detail::isToken(key.method)) {
    return fail(Errc::BadSdp, 0, "bad crypto key method");
  }
  if (!iequals(key.method, "inline")) {
    return key; // key-method-ext: kept as written, nothing to decode
  }
  // srtp-key-info = key-salt ["|" lifetime] ["|" mki]; a field holding ':' is the MKI.
  std::string_view rest = key.info;
  const std::size_t bar = rest.find('|');
  key.key_salt_base64 = rest.substr(0, bar);
  rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
  if (key.key_salt_base64.empty()) {
    return fail(Errc::BadSdp, offsetOf(text, key.key_salt_base64), "crypto key missing");
  }
  auto decoded = base64Decode(key.key_salt_base64, key.key_salt_bytes);
  if (!decoded) {
    return fail(decoded.error().shifted(offsetOf(text, key.key_salt_base64)));
  }
  key.key_salt_size = static_cast<uint8_t>(*decoded);
  if (auto expected = cryptoSuiteKeySaltSize(suite); expected && *expected != *decoded) {
    return fail(Errc::BadSdp, offsetOf(text, key.key_salt_base64),
                "crypto key||salt length does not fit the suite");
  }
  bool seen_mki = false;
  bool seen_lifetime = false;
  while (bar != std::string_view::npos) {
    const std::size_t next = rest.find('|');
    std::string_view field = rest.substr(0, next);
    const uint32_t at = offsetOf(text, field);
    if (seen_mki) {
      return fail(Errc::BadSdp, at, "nothing may follow the crypto MKI");
    }
    if (field.find(':') != std::string_view::npos) {
      if (auto r = parseMki(field, key); !r) {
        return fail(r.error().shifted(at));
      }
      seen_mki = true;
    } else {
      if (seen_lifetime) {
        return fail(Errc::BadSdp, at, "crypto lifetime given twice");
      }
      if (auto r = parseLifetime(field, key); !r) {
        return fail(r.error().shifted(at));
      }
      seen_lifetime = true;
    }
    if (next == std::string_view::npos) {
      break;
    }
    rest = rest.substr(next + 1);
  }
  return key;
}

Result<CryptoView> parseCrypto(std::string_view value) {
  std::string_view rest = value;
  std::string_view tag = nextField(rest);
  std::string_view suite = nextField(rest);
  std::string_view key_params = nextField(rest);
  CryptoView c;
  auto parsed_tag = isDigits(tag) && tag.size() <= 9 ? parseUnsigned<uint32_t>(tag) : std::nullopt;
  if (!parsed_tag) {
    return fail(Errc::BadSdp, offsetOf(value, tag), "bad crypto tag");
  }
  c.tag = *parsed_tag;
  if (suite.empty() || !detail::allOf(suite, kSuiteChar)) {
    return fail(Errc::BadSdp, offsetOf(value, suite), "bad crypto suite");
  }
  c.suite = suite;
  if (key_params.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, key_params), "crypto key-params missing");
  }
  std::string_view keys = key_params;
  while (true) {
    const std::size_t semi = keys.find(';');
    std::string_view one = keys.substr(0, semi);
    if (c.keys.size() == kMaxKeyParams) {
      return fail(Errc::BadSdp, offsetOf(value, one), "too many crypto key-params");
    }
    auto key = parseKeyParam(one, suite);
    if (!key) {
      return fail(key.error().shifted(offsetOf(value, one)));
    }
    c.keys.push_back(*key);
    if (semi == std::string_view::npos) {
      break;
    }
    keys = keys.substr(semi + 1);
  }
  c.session_params = detail::trimWsp(rest);
  return c;
}

std::string formatCrypto(const CryptoSpec& spec) {
  std::string out;
  out.reserve(spec.suite.size() + base64EncodedSize(spec.key_salt.size()) + 64);
  detail::appendDecimal(out, spec.tag);
  out += ' ';
  out += spec.suite;
  out += " inline:";
  out += base64Encode(spec.key_salt);
  if (spec.lifetime) {
    out += '|';
    if (std::has_single_bit(*spec.lifetime)) {
      out += "2^";
      detail::appendDecimal(out, static_cast<uint64_t>(std::countr_zero(*spec.lifetime)));
    } else {
      detail::appendDecimal(out, *spec.lifetime);
    }
  }
  if (spec.mki_value) {
    out += '|';
    detail::appendDecimal(out, *spec.mki_value);
    out += ':';
    detail::appendDecimal(out, spec.mki_length);
  }
  if (!spec.session_params.empty()) {
    out += ' ';
    out += spec.session_params;
  }
  return out;
}

} // namespace gh::sdp
