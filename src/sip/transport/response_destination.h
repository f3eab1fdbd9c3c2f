#pragma once
// RFC 3261 §18.2.2 with RFC 3581 §4: where a response goes. Over a reliable transport, back
// over the request's connection; when that is gone, a new connection to received (or the
// sent-by host) and the sent-by port. Over UDP, to received:rport when rport was stamped,
// else received (or sent-by) and the sent-by port. maddr (multicast) is not supported.

#include <cstdint>
#include <string>

#include "sip/message/via.h"
#include "sip/transport/callbacks.h"
#include "sip/transport/flow.h"

namespace gh::sip {

struct ResponseDestination {
  Destination destination; // remote is invalid when `host` must be resolved first
  // The sent-by host when it is a name and no received= says where the request came from:
  // resolve it with A/AAAA (RFC 3263 §5) and use `port`, then send.
  std::string host;
  uint16_t port = 0;
};

// `via`: the top Via of the response (the request's, as stamped by receivedViaValue()).
// `request_flow`: the flow the request arrived on.
ResponseDestination responseDestination(const ViaView& via, const Flow& request_flow);

} // namespace gh::sip
