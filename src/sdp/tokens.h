#pragma once
// Internal helpers shared by the sdp/ field parsers: space-separated fields and offsets. Not part
// of the module's API.

#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/charset.h"
#include "common/text.h"

namespace gh::sdp::detail {

// RFC 8866 section 9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A /
// %x5E-7E
inline constexpr CharSet kTokenChar = CharSet::range(0x21, 0x21) | CharSet::range(0x23, 0x27) |
                                      CharSet::range(0x2a, 0x2b) | CharSet::range(0x2d, 0x2e) |
                                      CharSet::range(0x30, 0x39) | CharSet::range(0x41, 0x5a) |
                                      CharSet::range(0x5e, 0x7e);
// RFC 8866 section 9: VCHAR, the characters that make up a non-space field value.
inline constexpr CharSet kVisible = CharSet::range(0x21, 0x7e);

inline bool allOf(std::string_view s, const CharSet& set) {
  for (char c : s) {
    if (!set.contains(c)) {
      return false;
    }
  }
  return true;
}

inline bool isToken(std::string_view s) {
  return !s.empty() && allOf(s, kTokenChar);
}

inline bool isDigits(std::string_view s) {
  return !s.empty() && allOf(s, chars::kDigit);
}

// The grammar separates fields with one SP; real devices sometimes send two, or a tab, so a run of
// either counts as one separator. Returns the next field and leaves `rest` after it; empty when
// none is left.
inline std::string_view nextField(std::string_view& rest) {
  std::size_t start = 0;
  while (start < rest.size() && chars::kWsp.contains(rest[start])) {
    ++start;
  }
  std::size_t end = start;
  while (end < rest.size() && !chars::kWsp.contains(rest[end])) {
    ++end;
  }
  std::string_view field = rest.substr(start, end - start);
  rest.remove_prefix(end);
  return field;
}

inline std::string_view skipWsp(std::string_view s) {
  while (!s.empty() && chars::kWsp.contains(s.front())) {
    s.remove_prefix(1);
  }
  return s;
}

inline std::string_view trimWsp(std::string_view s) {
  s = skipWsp(s);
  while (!s.empty() && chars::kWsp.contains(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Offset of `part` inside `whole`; `part` must be a view into `whole` (or empty at its end).
inline uint32_t offsetOf(std::string_view whole, std::string_view part) {
  const std::less<const char*> before;
  if (before(part.data(), whole.data()) || before(whole.data() + whole.size(), part.data())) {
    return static_cast<uint32_t>(whole.size());
  }
  return static_cast<uint32_t>(part.data() - whole.data());
}

inline void appendDecimal(std::string& out, uint64_t value) {
  char digits[20];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

inline std::optional<uint16_t> parsePort(std::string_view s) {
  if (s.size() > 5) {
    return std::nullopt;
  }
  return parseUnsigned<uint16_t>(s);
}

} // namespace gh::sdp::detail
