#pragma once
// SIP text the simulated peers of `gatehouse demo` write: responses built from a request's
// Via/From/To/Call-ID/CSeq (RFC 3261 §8.2.6), and a ladder label for any message.

#include <string>
#include <string_view>

#include "sip/message/message.h"

namespace gh::app::demo {

// `to_tag` is added to To when the request's To has none; `headers` end with CRLF each.
std::string makeResponse(const sip::Message& request, int code, std::string_view reason,
                         std::string_view to_tag, std::string_view headers = {},
                         std::string_view sdp = {});

// "INVITE", "200 OK", "488 Not Acceptable Here".
std::string ladderLabel(const sip::Message& message);

// The first value of a header by name (case-insensitive), empty when absent.
std::string_view headerValue(const sip::Message& message, std::string_view name);

} // namespace gh::app::demo
