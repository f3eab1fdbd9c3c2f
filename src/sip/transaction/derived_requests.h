#pragma once
// Requests the transaction layer builds from a request it sent (RFC 3261 §17.1.1.3, §9.1).

#include <string>

#include "sip/message/message.h"

namespace gh::sip {

// The hop-by-hop ACK for a 300-699 response to `invite`: the INVITE's Request-URI, top Via (same
// branch), Route headers, From, Call-ID and CSeq number; the To of the response.
std::string buildNon2xxAck(const Message& invite, const Message& response);
// The CANCEL for `request`: its Request-URI, top Via, Route headers, From, To, Call-ID and CSeq
// number with method CANCEL.
std::string buildCancel(const Message& request);

} // namespace gh::sip
