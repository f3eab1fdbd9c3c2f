#include "sip/message/grammar.h"

#include <string>

#include "common/text.h"

namespace gh::sip::grammar {

std::size_t spanEscaped(std::string_view s, std::size_t pos, const CharSet& set) {
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '%') {
      if (pos + 2 >= s.size()) {
        return std::string_view::npos;
      }
      if (!chars::kHexDigit.contains(s[pos + 1]) || !chars::kHexDigit.contains(s[pos + 2])) {
        return std::string_view::npos;
      }
      pos += 3;
      continue;
    }
    if (!set.contains(c)) {
      break;
    }
    ++pos;
  }
  return pos;
}

std::size_t skipQuotedString(std::string_view s, std::size_t pos) {
  // quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
  // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
  ++pos; // opening quote
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '"') {
      return pos + 1;
    }
    if (c == '\\') {
      if (pos + 1 >= s.size()) {
        return std::string_view::npos;
      }
      auto escaped = static_cast<unsigned char>(s[pos + 1]);
      if (escaped == '\r' || escaped == '\n' || escaped > 0x7f) {
        return std::string_view::npos;
      }
      pos += 2;
      continue;
    }
    if (c == '\r' || c == '\n') {
      // Only a fold (CRLF followed by WSP) may appear inside a header value.
      std::size_t next = pos + 1;
      if (c == '\r' && next < s.size() && s[next] == '\n') {
        ++next;
      }
      if (next >= s.size() || !isWsp(s[next])) {
        return std::string_view::npos;
      }
      pos = next;
      continue;
    }
    ++pos;
  }
  return std::string_view::npos;
}

bool isIpv4(std::string_view s) {
  unsigned parts = 0;
  unsigned value = 0;
  unsigned digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<unsigned>(c - '0');
      if (++digits > 3 || value > 255) {
        return false;
      }
    } else if (c == '.' && digits > 0 && parts < 3) {
      ++parts;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return parts == 3 && digits > 0;
}

bool isIpv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) {
    return false;
  }
  int colons = 0;
  for (char c : s) {
    if (!kIpv6Char.contains(c)) {
      return false;
    }
    colons += c == ':' ? 1 : 0;
  }
  if (colons < 2 || colons > 8) {
    return false;
  }
  std::size_t dot = s.find('.');
  if (dot != std::string_view::npos) {
    std::size_t last_colon = s.rfind(':');
    if (last_colon == std::string_view::npos || last_colon > dot ||
        !isIpv4(s.substr(last_colon + 1))) {
      return false;
    }
  }
  return s.find(":::::") == std::string_view::npos;
}

HostClass classifyHost(std::string_view s) {
  if (s.empty()) {
    return HostClass::Invalid;
  }
  if (s.front() == '[') {
    return s.size() > 2 && s.back() == ']' && isIpv6(s.substr(1, s.size() - 2))
               ? HostClass::Ipv6
               : HostClass::Invalid;
  }
  // A hostname may not start with '-' or '.', nor hold an empty label ("a..b").
  if (s.front() == '-' || s.front() == '.') {
    return HostClass::Invalid;
  }
  bool numeric = true;
  char previous = '\0';
  for (char c : s) {
    if (!kHostName.contains(c) || (c == '.' && previous == '.')) {
      return HostClass::Invalid;
    }
    numeric = numeric && (chars::kDigit.contains(c) || c == '.');
    previous = c;
  }
  if (numeric) {
    return isIpv4(s) ? HostClass::Ipv4 : HostClass::Invalid;
  }
  return HostClass::Name;
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && chars::kHexDigit.contains(s[i + 1]) &&
        chars::kHexDigit.contains(s[i + 2])) {
      auto hex = [](char c) { return c <= '9' ? c - '0' : (asciiLower(c) - 'a' + 10); };
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

} // namespace gh::sip::grammar
