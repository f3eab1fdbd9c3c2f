#pragma once
// Base64 (RFC 4648 section 4, the standard alphabet) for SDES key||salt values (RFC 4568 section
// 6.1). No line breaks, no URL-safe alphabet.
//
//   std::array<uint8_t, 30> key_salt = ...;
//   std::string text = base64Encode(key_salt);            // 40 characters
//   std::array<uint8_t, 64> out;
//   Result<std::size_t> n = base64Decode(text, out);      // *n == 30

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace gh::sdp {

// Length of the padded encoding of `byte_count` bytes.
constexpr std::size_t base64EncodedSize(std::size_t byte_count) {
  return (byte_count + 2) / 3 * 4;
}

// Upper bound of the bytes `text_size` characters can decode to; size the output buffer with it.
constexpr std::size_t base64DecodedMaxSize(std::size_t text_size) {
  return text_size / 4 * 3 + 2;
}

std::string base64Encode(std::span<const uint8_t> bytes);

// Decodes `text` into `out` and returns the number of bytes written. Padding is optional because
// several SDES peers drop it, but when present it must be complete (length a multiple of 4, at
// most two '='). Fails with Errc::BadSdp and the offset of the offending character on a character
// outside the alphabet, on an impossible length, or when `out` is too small. Never writes past
// `out`.
Result<std::size_t> base64Decode(std::string_view text, std::span<uint8_t> out);

} // namespace gh::sdp
