#pragma once
// Known header names, their compact forms (RFC 3261 §7.3.3 and extensions) and canonical
// spelling. Unknown names map to HeaderId::Other and are matched by name.

#include <cstdint>
#include <string_view>

namespace gh::sip {

enum class HeaderId : uint8_t {
  Other,
  Accept,
  AcceptContact,
  AcceptEncoding,
  AcceptLanguage,
  AlertInfo,
  Allow,
  AllowEvents,
  Authorization,
  CallId,
  CallInfo,
  Contact,
  ContentDisposition,
  ContentEncoding,
  ContentLanguage,
  ContentLength,
  ContentType,
  CSeq,
  Date,
  ErrorInfo,
  Event,
  Expires,
  From,
  Identity,
  IdentityInfo,
  InReplyTo,
  MaxForwards,
  MimeVersion,
  MinExpires,
  MinSE,
  Organization,
  PAssertedIdentity,
  PPreferredIdentity,
  Priority,
  Privacy,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  RAck,
  Reason,
  RecordRoute,
  ReferTo,
  ReferredBy,
  RejectContact,
  RemotePartyId,
  Replaces,
  ReplyTo,
  RequestDisposition,
  Require,
  RetryAfter,
  Route,
  RSeq,
  Server,
  SessionExpires,
  Subject,
  SubscriptionState,
  Supported,
  Timestamp,
  To,
  Unsupported,
  UserAgent,
  Via,
  Warning,
  WwwAuthenticate,
  Count
};

// Case-insensitive; compact forms ("v", "i", "l" ...) map to their full header.
HeaderId lookupHeader(std::string_view name);
// "Call-ID", "CSeq", "WWW-Authenticate" ...; empty for Other.
std::string_view canonicalName(HeaderId id);

} // namespace gh::sip
