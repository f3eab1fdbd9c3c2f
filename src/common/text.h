#pragma once
// Small string helpers shared by the parsers. All are pure and allocation-free.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gh {

constexpr char asciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) {
      return false;
    }
  }
  return true;
}

constexpr bool istartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

constexpr bool isLws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

constexpr std::string_view trimLws(std::string_view s) {
  while (!s.empty() && isLws(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && isLws(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Parses an unsigned decimal that must fill `s` completely and fit in T. No sign, no spaces.
template <class T>
std::optional<T> parseUnsigned(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  T value{};
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

} // namespace gh
