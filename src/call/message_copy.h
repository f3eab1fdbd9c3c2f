#pragma once
// Copies what the call core keeps of a received request or response (see MessageCopy).

#include "call/call_state.h"
#include "sip/message/message.h"

namespace gh::call {

MessageCopy copyResponse(const sip::Message& response, const config::HeaderPolicy& policy);
MessageCopy copyRequest(const sip::Message& request, const config::HeaderPolicy& policy);

} // namespace gh::call
