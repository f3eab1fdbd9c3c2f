#pragma once
// One side of a call as the B2BUA sees it: a UAS dialog toward the caller (leg A) or a UAC
// dialog toward the callee (leg B), with the identity Gatehouse shows on it (RFC 3261 §12).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "route/header_list.h"
#include "sip/transport/flow.h"

namespace gh::call {

// How Gatehouse names itself on a leg: Via sent-by and Contact host/port/transport.
struct LegIdentity {
  std::string host; // FQDN, advertised address or bind address ("[v6]" bracketed)
  uint16_t port = 5060;
  sip::Transport transport = sip::Transport::Udp;
};

struct Leg {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  std::string local_uri;              // name-addr without tag: From of requests we send on this leg
  std::string remote_uri;             // name-addr without tag: To of requests we send on this leg
  std::string remote_target;          // Request-URI of in-dialog requests (peer's Contact URI)
  std::vector<std::string> route_set; // Route values in the order they are sent
  uint32_t local_cseq = 0;
  std::optional<uint32_t> remote_cseq;
  sip::Flow flow; // requests on this leg go here (the peer's signaling address/connection)
  std::string tls_name;
  LegIdentity me;
  std::optional<std::size_t> interface; // config index
  std::optional<std::size_t> peer;      // config index
  bool confirmed = false;
  std::string last_ack; // the ACK we sent for the latest 2xx on this leg (resent on retransmits)
  uint32_t last_ack_cseq = 0; // its CSeq: only a retransmission of that 2xx gets it again
};

std::string viaValue(const LegIdentity& me, std::string_view branch);
std::string contactValue(const LegIdentity& me);
// The name-addr with ";tag=..." appended when `tag` is not empty.
std::string withTagParam(std::string_view name_addr, std::string_view tag);

struct RequestParts {
  std::string_view method;
  uint32_t cseq = 0;
  std::string_view branch;
  bool with_contact = false;
  std::string_view user_agent;
  const route::HeaderList* extra = nullptr;
  std::string_view content_type;
  std::string_view body;
  uint32_t max_forwards = 70;
};

// An in-dialog request on `leg` (also the initial INVITE on leg B, whose remote tag is empty).
std::string buildLegRequest(const Leg& leg, const RequestParts& parts);

} // namespace gh::call
