#pragma once
// RFC 3263 §4 for a known transport: which SRV service and default port to ask the resolver
// for. NAPTR is not used: a peer's transport comes from the configuration.
//
//   resolver.resolve(serviceQuery("um.example.com", std::nullopt, Transport::Tls), done);
//   // -> _sips._tcp.um.example.com SRV, then A/AAAA; or A/AAAA on 5061 without SRV records

#include <optional>
#include <string>

#include "net/dns_resolver.h"
#include "sip/transport/flow.h"

namespace gh::sip {

constexpr uint16_t defaultPort(Transport t) {
  return t == Transport::Tls ? 5061 : 5060;
}

inline net::ServiceQuery serviceQuery(std::string host, std::optional<uint16_t> port,
                                      Transport transport) {
  const char* service = transport == Transport::Udp   ? "_sip._udp"
                        : transport == Transport::Tcp ? "_sip._tcp"
                                                      : "_sips._tcp";
  return net::ServiceQuery{std::move(host), port, service, defaultPort(transport)};
}

} // namespace gh::sip
