#pragma once
// Why a network operation failed, in words an operator can act on. Unlike parse errors these
// carry owned text: a failed connect, handshake or lookup is rare, and the reason ("certificate
// expired: CN=sbc.example.com", "connect timeout after 5000 ms") is what ends up in the log and
// in the 503 the call layer sends upstream.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/expected.h"

namespace gh::net {

enum class NetErrc : uint8_t {
  Refused,         // TCP RST on connect
  Timeout,         // connect, TLS handshake or DNS query took too long
  Unreachable,     // no route to the network or host
  Closed,          // the connection went away before the data was written
  Io,              // any other socket error
  TlsHandshake,    // the TLS handshake failed; the text says why
  TlsSetup,        // certificate, key or CA bundle could not be loaded
  QueueFull,       // the connection's send queue is at its bound
  ConnectionLimit, // max_connections reached
  NoListener,      // nothing to send from (no such interface or transport)
  Bind,            // a listener could not be bound
  BadAddress,      // an address that cannot be used (wrong family, not an IP)
  NotFound,        // DNS: NXDOMAIN
  NoData,          // DNS: the name exists but has no record of the asked type
  DnsFailure,      // DNS: server failure, refused, malformed answer
  Shutdown,        // the transport or resolver is being destroyed
};

std::string_view netErrcName(NetErrc code);

struct NetError {
  NetErrc code = NetErrc::Io;
  std::string text;
};

template <class T>
using NetResult = Expected<T, NetError>;

inline Unexpected<NetError> netFail(NetErrc code, std::string text) {
  return Unexpected<NetError>(NetError{code, std::move(text)});
}

} // namespace gh::net
