#include "sip/message/uri.h"

#include "common/text.h"
#include "sip/message/grammar.h"

namespace gh::sip {
namespace {

using grammar::span;

constexpr CharSet kUserInfoScan = grammar::kUser | grammar::kPassword | CharSet(":%");
// RFC 3966 telephone-subscriber, loosely: digits, visual separators, '+', '*', '#', hex digits.
constexpr CharSet kTelChars = chars::kAlnum | CharSet("-.()+*#");

uint32_t at(std::size_t pos) {
  return static_cast<uint32_t>(pos);
}

Result<std::size_t> parseHostPort(std::string_view s, std::size_t pos, UriView& uri) {
  std::size_t host_end = 0;
  if (pos < s.size() && s[pos] == '[') {
    std::size_t close = s.find(']', pos);
    if (close == std::string_view::npos || !grammar::isIpv6(s.substr(pos + 1, close - pos - 1))) {
      return fail(Errc::BadUri, at(pos), "malformed IPv6 reference");
    }
    host_end = close + 1;
    uri.host_kind = HostKind::Ipv6;
  } else {
    host_end = span(s, pos, grammar::kHostName);
    auto kind = grammar::classifyHost(s.substr(pos, host_end - pos));
    if (kind == grammar::HostClass::Invalid) {
      return fail(Errc::BadUri, at(pos), "malformed host");
    }
    uri.host_kind = kind == grammar::HostClass::Ipv4 ? HostKind::Ipv4 : HostKind::Name;
  }
  uri.host = s.substr(pos, host_end - pos);
  pos = host_end;
  if (pos < s.size() && s[pos] == ':') {
    std::size_t port_end = span(s, pos + 1, chars::kDigit);
    auto port = parseUnsigned<uint16_t>(s.substr(pos + 1, port_end - pos - 1));
    if (!port || port_end - pos - 1 > 5) {
      return fail(Errc::BadUri, at(pos + 1), "malformed port");
    }
    uri.port = *port;
    uri.has_port = true;
    pos = port_end;
  }
  return pos;
}

Result<std::size_t> parseHeaders(std::string_view s, std::size_t pos, UriView& uri) {
  // headers = "?" header *( "&" header ); header = hname "=" hvalue
  std::size_t start = pos + 1;
  pos = start;
  while (true) {
    std::size_t name_end = grammar::spanEscaped(s, pos, grammar::kHeaderChar);
    if (name_end == std::string_view::npos || name_end == pos || name_end >= s.size() ||
        s[name_end] != '=') {
      return fail(Errc::BadUri, at(pos), "malformed URI header");
    }
    std::size_t value_end = grammar::spanEscaped(s, name_end + 1, grammar::kHeaderChar);
    if (value_end == std::string_view::npos) {
      return fail(Errc::BadUri, at(name_end + 1), "malformed URI header value");
    }
    pos = value_end;
    if (pos < s.size() && s[pos] == '&') {
      ++pos;
      continue;
    }
    break;
  }
  uri.headers = s.substr(start, pos - start);
  return pos;
}

Result<UriView> parseSipUri(std::string_view s, std::size_t pos, UriView uri) {
  // userinfo is present exactly when the characters that may form it run up to an '@'.
  std::size_t scan = span(s, pos, kUserInfoScan);
  if (scan < s.size() && s[scan] == '@') {
    std::string_view userinfo = s.substr(pos, scan - pos);
    std::size_t colon = userinfo.find(':');
    std::string_view user = userinfo.substr(0, colon);
    if (user.empty() || grammar::spanEscaped(user, 0, grammar::kUser) != user.size()) {
      return fail(Errc::BadUri, at(pos), "malformed user part");
    }
    uri.user = user;
    uri.has_user = true;
    if (colon != std::string_view::npos) {
      std::string_view password = userinfo.substr(colon + 1);
      if (grammar::spanEscaped(password, 0, grammar::kPassword) != password.size()) {
        return fail(Errc::BadUri, at(pos + colon + 1), "malformed password");
      }
      uri.password = password;
      uri.has_password = true;
    }
    pos = scan + 1;
  }
  auto after_host = parseHostPort(s, pos, uri);
  if (!after_host) {
    return fail(after_host.error());
  }
  pos = *after_host;
  std::size_t params_start = pos;
  auto after_params = scanUriParams(s, pos);
  if (!after_params) {
    return fail(after_params.error());
  }
  pos = *after_params;
  uri.params = ParamsView(s.substr(params_start, pos - params_start), ParamsView::Kind::Uri);
  if (pos < s.size() && s[pos] == '?') {
    auto after_headers = parseHeaders(s, pos, uri);
    if (!after_headers) {
      return fail(after_headers.error());
    }
    pos = *after_headers;
  }
  if (pos != s.size()) {
    return fail(Errc::BadUri, at(pos), "unexpected character in SIP URI");
  }
  return uri;
}

Result<UriView> parseTelUri(std::string_view s, std::size_t pos, UriView uri) {
  std::size_t number_end = span(s, pos, kTelChars);
  if (number_end == pos) {
    return fail(Errc::BadUri, at(pos), "empty telephone number");
  }
  uri.user = s.substr(pos, number_end - pos);
  uri.has_user = true;
  auto after_params = scanUriParams(s, number_end);
  if (!after_params || *after_params != s.size()) {
    return fail(Errc::BadUri, after_params ? at(*after_params) : after_params.error().offset,
                "malformed tel URI parameters");
  }
  uri.params = ParamsView(s.substr(number_end), ParamsView::Kind::Uri);
  return uri;
}

} // namespace

Result<UriView> parseUri(std::string_view s, std::size_t max_length) {
  if (s.size() > max_length) {
    return fail(Errc::UriTooLong, 0, "URI longer than the configured limit");
  }
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (s.empty() || !chars::kAlpha.contains(s[0])) {
    return fail(Errc::BadUri, 0, "URI does not start with a scheme");
  }
  std::size_t scheme_end = span(s, 0, grammar::kScheme);
  if (scheme_end >= s.size() || s[scheme_end] != ':') {
    return fail(Errc::BadUri, at(scheme_end), "missing ':' after the URI scheme");
  }
  UriView uri;
  uri.raw = s;
  uri.scheme_text = s.substr(0, scheme_end);
  std::size_t pos = scheme_end + 1;
  if (iequals(uri.scheme_text, "sip")) {
    uri.scheme = UriScheme::Sip;
    return parseSipUri(s, pos, uri);
  }
  if (iequals(uri.scheme_text, "sips")) {
    uri.scheme = UriScheme::Sips;
    return parseSipUri(s, pos, uri);
  }
  if (iequals(uri.scheme_text, "tel")) {
    uri.scheme = UriScheme::Tel;
    return parseTelUri(s, pos, uri);
  }
  uri.scheme = UriScheme::Other;
  std::size_t end = grammar::spanEscaped(s, pos, grammar::kUric);
  if (end != s.size() || end == pos) {
    return fail(Errc::BadUri, at(end == std::string_view::npos ? pos : end),
                "malformed absolute URI");
  }
  uri.opaque = s.substr(pos);
  return uri;
}

std::string_view UriView::hostAddress() const {
  if (host_kind == HostKind::Ipv6 && host.size() >= 2) {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::string UriView::userUnescaped() const {
  return grammar::unescape(user);
}

bool hostEquals(std::string_view a, std::string_view b) {
  return iequals(a, b);
}

std::string_view schemeName(UriScheme scheme) {
  switch (scheme) {
  case UriScheme::Sip: return "sip";
  case UriScheme::Sips: return "sips";
  case UriScheme::Tel: return "tel";
  case UriScheme::Other: return "other";
  }
  return "other";
}

} // namespace gh::sip
