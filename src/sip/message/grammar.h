#pragma once
// Character classes and small scanners for the RFC 3261 §25.1 grammar. Every parser in
// sip/message builds on these, so each class names the rule it implements.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/charset.h"

namespace gh::sip::grammar {

using chars::kAlnum;
// mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
inline constexpr CharSet kMark("-_.!~*'()");
inline constexpr CharSet kUnreserved = kAlnum | kMark;
// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
inline constexpr CharSet kToken = kAlnum | CharSet("-.!%*_+`'~");
// word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" /
//        "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")
inline constexpr CharSet kWord = kToken | CharSet("()<>:\\\"/[]?{}");
// user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = & = + $ , ; ? /
inline constexpr CharSet kUser = kUnreserved | CharSet("&=+$,;?/");
// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
inline constexpr CharSet kPassword = kUnreserved | CharSet("&=+$,");
// paramchar = param-unreserved / unreserved / escaped; param-unreserved = [ ] / : & + $
inline constexpr CharSet kParamChar = kUnreserved | CharSet("[]/:&+$");
// hname / hvalue = hnv-unreserved / unreserved / escaped; hnv-unreserved = [ ] / ? : + $
inline constexpr CharSet kHeaderChar = kUnreserved | CharSet("[]/?:+$");
// hostname labels; '_' is not in the ABNF but real deployments use it, so it is tolerated.
inline constexpr CharSet kHostName = kAlnum | CharSet("-._");
inline constexpr CharSet kIpv6Char = chars::kHexDigit | CharSet(":.");
// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
inline constexpr CharSet kScheme = kAlnum | CharSet("+-.");
// uric (RFC 2396) for absoluteURI opaque parts: reserved / unreserved / escaped
inline constexpr CharSet kUric = kUnreserved | CharSet(";/?:@&=+$,%");
// gen-value = token / host / quoted-string: the host forms add ':' '[' ']' to token.
inline constexpr CharSet kGenValue = kToken | CharSet(":[]");

inline constexpr bool isWsp(char c) {
  return c == ' ' || c == '\t';
}

// Skips linear white space (SP, HTAB, and the CRLF of a fold) from `pos`.
inline std::size_t skipLws(std::string_view s, std::size_t pos) {
  while (pos < s.size() && chars::kLws.contains(s[pos])) {
    ++pos;
  }
  return pos;
}

// Advances over characters in `set`, returning the first position not in it.
inline std::size_t span(std::string_view s, std::size_t pos, const CharSet& set) {
  while (pos < s.size() && set.contains(s[pos])) {
    ++pos;
  }
  return pos;
}

// Advances over `set` characters and %HH escapes. Returns npos on a malformed escape.
std::size_t spanEscaped(std::string_view s, std::size_t pos, const CharSet& set);

// Parses a quoted-string starting at s[pos] == '"'. Returns the position after the closing
// quote, or npos when it is unterminated or holds a forbidden octet (bare CR/LF outside a fold).
std::size_t skipQuotedString(std::string_view s, std::size_t pos);

// True when `s` is a valid IPv4 dotted quad (each part 0-255, 1-3 digits).
bool isIpv4(std::string_view s);
// True when `s` (without brackets) looks like an IPv6 address. Lenient on purpose: RFC 5118
// §4.10 requires tolerating the three-colon form that RFC 4291 forbids.
bool isIpv6(std::string_view s);
enum class HostClass : uint8_t { Invalid, Name, Ipv4, Ipv6 };
// host = hostname / IPv4address / IPv6reference, classified in one pass.
HostClass classifyHost(std::string_view s);

inline bool isHost(std::string_view s) {
  return classifyHost(s) != HostClass::Invalid;
}

// Decodes %HH escapes once (never recursively, RFC 4475 §3.1.1.3).
std::string unescape(std::string_view s);

} // namespace gh::sip::grammar
