#include "net/net_error.h"

namespace gh::net {

std::string_view netErrcName(NetErrc code) {
  switch (code) {
  case NetErrc::Refused: return "refused";
  case NetErrc::Timeout: return "timeout";
  case NetErrc::Unreachable: return "unreachable";
  case NetErrc::Closed: return "closed";
  case NetErrc::Io: return "io";
  case NetErrc::TlsHandshake: return "tls-handshake";
  case NetErrc::TlsSetup: return "tls-setup";
  case NetErrc::QueueFull: return "queue-full";
  case NetErrc::ConnectionLimit: return "connection-limit";
  case NetErrc::NoListener: return "no-listener";
  case NetErrc::Bind: return "bind";
  case NetErrc::BadAddress: return "bad-address";
  case NetErrc::NotFound: return "not-found";
  case NetErrc::NoData: return "no-data";
  case NetErrc::DnsFailure: return "dns-failure";
  case NetErrc::Shutdown: return "shutdown";
  }
  return "unknown";
}

} // namespace gh::net
