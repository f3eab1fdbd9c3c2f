#include "sip/transport/response_destination.h"

namespace gh::sip {

ResponseDestination responseDestination(const ViaView& via, const Flow& request_flow) {
  ResponseDestination out;
  Destination& d = out.destination;
  d.transport = request_flow.transport;
  d.interface = request_flow.interface;
  d.connection = isReliable(request_flow.transport) ? request_flow.connection : 0;
  uint16_t default_port = request_flow.transport == Transport::Tls ? 5061 : 5060;
  out.port = via.rport ? *via.rport : via.has_port ? via.port : default_port;
  if (!via.received.empty()) {
    if (auto ip = net::Endpoint::fromIp(via.received, out.port)) {
      d.remote = *ip;
      return out;
    }
  }
  if (via.host_kind == HostKind::Ipv4 || via.host_kind == HostKind::Ipv6) {
    if (auto ip = net::Endpoint::fromIp(via.host, out.port)) {
      d.remote = *ip;
      return out;
    }
  }
  out.host = std::string(via.host);
  return out;
}

} // namespace gh::sip
