#pragma once
// The To header a route sends toward a peer, found by running the route's own header actions
// (route::applyHeaderActions, what a call does) on a sample request. Exchange UM answers 488
// unless the To host is its forwarding address, and the PBX's To names the SBC, so a route
// toward it must rewrite To.

#include <string>

#include "config/config.h"
#include "route/router.h"

namespace gh::profiles {

// A request the route would match: user and host taken from its request_uri pattern when the
// pattern spells them out ('^sips?:87000@sbc-o365\.example\.com...'), else placeholders.
struct SampleRequest {
  std::string user = "87000";
  std::string host = "sample.invalid";
};

SampleRequest sampleRequest(const config::Route& route);

struct ToHostResult {
  SampleRequest sample;
  std::string to;   // the To value sent, e.g. "<sip:87000@<guid>.um.outlook.com>"
  std::string host; // its URI host; empty when the value does not parse as a name-addr
};

// `to <sip:USER@HOST>` through `route`'s request header actions toward `peer`.
ToHostResult evaluateToHost(const config::Config& config, const route::CompiledRoute& route,
                            const config::Peer& peer);

} // namespace gh::profiles
