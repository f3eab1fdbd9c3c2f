#pragma once
// Transaction matching keys, copied into owned strings because they outlive the message.
//
// Responses to client transactions (§17.1.3): top Via branch + CSeq method.
// Requests to server transactions (§17.2.3): branch + sent-by + method, ACK counting as INVITE.
// Branches without the magic cookie fall back to RFC 2543 rules: Request-URI, Call-ID, From tag,
// CSeq number and the whole top Via (a 2543 ACK carries the INVITE's Request-URI and Via).

#include <string>
#include <string_view>

#include "sip/message/message.h"

namespace gh::sip {

std::string clientKey(std::string_view branch, std::string_view method_text);
// For a response (branch of its top Via, method of its CSeq) or for a request we send.
std::string clientKeyOf(const Message& message);
// The key of the server transaction `request` belongs to. ACK maps to INVITE's transaction.
std::string serverKeyOf(const Message& request);
// The key of the INVITE server transaction a CANCEL refers to (§9.2).
std::string inviteKeyForCancel(const Message& cancel);

} // namespace gh::sip
