#pragma once
// Constexpr 256-entry character classes, built at compile time, one per grammar rule.
//
//   constexpr CharSet kDigit = CharSet::range('0', '9');
//   constexpr CharSet kToken = kAlnum | CharSet("-.!%*_+`'~");   // RFC 3261 §25.1 token
//   if (kToken.contains(c)) ...

#include <array>
#include <cstdint>

namespace gh {

class CharSet {
public:
  constexpr CharSet() = default;

  constexpr explicit CharSet(const char* chars) {
    for (const char* p = chars; *p != '\0'; ++p) {
      set(static_cast<unsigned char>(*p));
    }
  }

  static constexpr CharSet range(unsigned char lo, unsigned char hi) {
    CharSet s;
    for (unsigned c = lo; c <= hi; ++c) {
      s.set(static_cast<unsigned char>(c));
    }
    return s;
  }

  constexpr bool contains(char c) const { return bits_[static_cast<unsigned char>(c)] != 0; }

  constexpr CharSet operator|(const CharSet& other) const {
    CharSet s;
    for (unsigned i = 0; i < 256; ++i) {
      s.bits_[i] = static_cast<uint8_t>(bits_[i] | other.bits_[i]);
    }
    return s;
  }

  constexpr CharSet without(const char* chars) const {
    CharSet s = *this;
    for (const char* p = chars; *p != '\0'; ++p) {
      s.bits_[static_cast<unsigned char>(*p)] = 0;
    }
    return s;
  }

private:
  constexpr void set(unsigned char c) { bits_[c] = 1; }

  std::array<uint8_t, 256> bits_{};
};

namespace chars {
inline constexpr CharSet kDigit = CharSet::range('0', '9');
inline constexpr CharSet kAlpha = CharSet::range('a', 'z') | CharSet::range('A', 'Z');
inline constexpr CharSet kAlnum = kAlpha | kDigit;
inline constexpr CharSet kHexDigit = kDigit | CharSet::range('a', 'f') | CharSet::range('A', 'F');
inline constexpr CharSet kWsp = CharSet(" \t");
// Inside an already-framed header value a CR or LF can only be part of a fold (CRLF WSP), so
// the typed parsers treat all four as linear white space.
inline constexpr CharSet kLws = CharSet(" \t\r\n");
} // namespace chars

} // namespace gh
