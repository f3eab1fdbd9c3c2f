#pragma once
// Where a SIP message came from or goes to, as the transaction layer and the call core see it:
// the transport, both endpoints, and for TCP/TLS the connection it travels on (RFC 3261 §18.2.2:
// a response goes back over the connection its request came on).

#include <cstdint>
#include <string_view>

#include "net/endpoint.h"

namespace gh::sip {

enum class Transport : uint8_t { Udp, Tcp, Tls };

constexpr std::string_view viaName(Transport t) { // the Via sent-protocol transport
  return t == Transport::Udp ? "UDP" : t == Transport::Tcp ? "TCP" : "TLS";
}

constexpr std::string_view uriParam(Transport t) { // the URI transport= value
  return t == Transport::Udp ? "udp" : t == Transport::Tcp ? "tcp" : "tls";
}

constexpr bool isReliable(Transport t) {
  return t != Transport::Udp;
}

using ConnectionId = uint64_t;   // 0 = none (UDP, or "open one if needed")
using InterfaceIndex = uint16_t; // position of the interface in the configuration

struct Flow {
  Transport transport = Transport::Udp;
  InterfaceIndex interface = 0;
  net::Endpoint local;  // our listening/bound address
  net::Endpoint remote; // the peer's source (inbound) or destination (outbound)
  ConnectionId connection = 0;
};

} // namespace gh::sip
