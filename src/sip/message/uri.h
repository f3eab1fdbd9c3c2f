#pragma once
// URIs as views: sip, sips and tel (RFC 3261 §19.1, RFC 3966) parsed into parts, any other
// scheme kept as an opaque absoluteURI so that the application can answer 416 for it.
//
//   auto uri = parseUri("sip:87000@sbc-o365.example.com;transport=tcp");
//   uri->user == "87000"; uri->host == "sbc-o365.example.com"; uri->params.get("transport")

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "sip/message/params.h"

namespace gh::sip {

enum class UriScheme : uint8_t { Sip, Sips, Tel, Other };
enum class HostKind : uint8_t { None, Name, Ipv4, Ipv6 };

struct UriView {
  std::string_view raw;
  UriScheme scheme = UriScheme::Other;
  std::string_view scheme_text;
  std::string_view user;     // escaped form; tel: the subscriber number
  std::string_view password; // escaped form
  std::string_view host;     // IPv6 references keep their brackets
  HostKind host_kind = HostKind::None;
  uint16_t port = 0;
  bool has_user = false;
  bool has_password = false;
  bool has_port = false;
  ParamsView params;        // uri-parameters, starting at the first ';'
  std::string_view headers; // after '?', without it
  std::string_view opaque;  // Other schemes: everything after "scheme:"

  bool isSip() const { return scheme == UriScheme::Sip || scheme == UriScheme::Sips; }

  // The host without IPv6 brackets, as a socket API wants it.
  std::string_view hostAddress() const;
  // The user part with %HH escapes decoded once.
  std::string userUnescaped() const;
};

inline constexpr std::size_t kDefaultMaxUri = 4096;

Result<UriView> parseUri(std::string_view text, std::size_t max_length = kDefaultMaxUri);

// RFC 3261 §19.1.4 comparison is not needed by a B2BUA's routing; host comparison is.
bool hostEquals(std::string_view a, std::string_view b);

std::string_view schemeName(UriScheme scheme);

} // namespace gh::sip
