#pragma once
// RFC 3261 §18.2.1 and RFC 3581 §4: a server notes where a request really came from in the
// top Via, so that its responses find the way back through NATs.
//
// Decision: the transport delivers messages untouched (a Message is immutable) and the
// receiver applies this to every request, whatever the transport (§18.2.1 does not limit
// received= to UDP; rport helps a TCP client behind NAT too):
//
//   if (auto stamp = receivedViaValue(request, flow.remote)) {
//     edits.replaceValue(stamp->header_index, std::move(stamp->value));
//   }
//
// and keeps `flow` (or the stamped Via) to address the response (response_destination.h).

#include <cstddef>
#include <optional>
#include <string>

#include "net/endpoint.h"
#include "sip/message/message.h"

namespace gh::sip {

struct ViaStamp {
  std::size_t header_index; // the header field that holds the top Via
  std::string value;        // that field's whole new value (other Vias in it kept verbatim)
};

// Adds received=<source IP> when it differs from the sent-by host (or when rport is asked
// for: RFC 3581 makes received mandatory then) and fills a value-less rport with the source
// port. nullopt when the Via needs no change. `request` must be a parsed request.
std::optional<ViaStamp> receivedViaValue(const Message& request, const net::Endpoint& source);

} // namespace gh::sip
