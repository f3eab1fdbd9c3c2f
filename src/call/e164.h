#pragma once
// Telephone numbers as Microsoft Teams Direct Routing wants them: the user part of the
// Request-URI, To and From in E.164 with a leading '+' and the URI marked ;user=phone
// (RFC 3261 §19.1.1, RFC 3966), e.g. sip:+14255550100@sip.pstnhub.microsoft.com:5061;user=phone.
//
// A user part is a phone number when, without the visual separators '-', '.', '(' and ')', it is
// '+' and 1-15 digits (already E.164), or 8-15 digits (E.164 written without its '+', as a PBX
// sends it when it strips the international prefix). Shorter digit strings are extensions and
// names are names: both are left alone. A national number cannot be told apart from an
// international one without a dial plan; a route's rewrite_request_uri/headers turn it into
// E.164 first.

#include <optional>
#include <string>
#include <string_view>

namespace gh::call {

// "+digits" when `user` is a phone number as above, else nullopt.
std::optional<std::string> e164User(std::string_view user);

// A sip:/sips: URI with its user made E.164 and ;user=phone added (after the host:port, unless
// a user= parameter is there already); any other URI is returned unchanged.
std::string e164Uri(std::string_view uri);

// The same on the URI of a name-addr or addr-spec header value (To, From, without tag).
std::string e164NameAddr(std::string_view value);

} // namespace gh::call
