#include "sdp/base64.h"

#include <array>

namespace gh::sdp {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> makeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) {
    entry = kInvalid;
  }
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = makeDecodeTable();

} // namespace

std::string base64Encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(base64EncodedSize(bytes.size()));
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group =
        (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += kAlphabet[(group >> 6) & 0x3f];
    out += kAlphabet[group & 0x3f];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t group = uint32_t{bytes[i]} << 16;
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += "==";
  } else if (rest == 2) {
    const uint32_t group = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8);
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += kAlphabet[(group >> 6) & 0x3f];
    out += '=';
  }
  return out;
}

Result<std::size_t> base64Decode(std::string_view text, std::span<uint8_t> out) {
  std::size_t data_size = text.size();
  std::size_t padding = 0;
  while (data_size > 0 && text[data_size - 1] == '=' && padding < 2) {
    --data_size;
    ++padding;
  }
  if (padding > 0 && text.size() % 4 != 0) {
    return fail(Errc::BadSdp, static_cast<uint32_t>(data_size), "base64 padding is incomplete");
  }
  if (data_size % 4 == 1) {
    return fail(Errc::BadSdp, static_cast<uint32_t>(data_size), "base64 length is impossible");
  }
  const std::size_t needed = data_size / 4 * 3 + (data_size % 4 == 0 ? 0 : data_size % 4 - 1);
  if (needed > out.size()) {
    return fail(Errc::BadSdp, 0, "base64 value too long for its buffer");
  }
  std::size_t written = 0;
  uint32_t accumulator = 0;
  int bits = 0;
  for (std::size_t i = 0; i < data_size; ++i) {
    const uint8_t sextet = kDecode[static_cast<unsigned char>(text[i])];
    if (sextet == kInvalid) {
      return fail(Errc::BadSdp, static_cast<uint32_t>(i), "character outside the base64 alphabet");
    }
    accumulator = ((accumulator << 6) | sextet) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = static_cast<uint8_t>(accumulator >> bits);
    }
  }
  return written;
}

} // namespace gh::sdp
