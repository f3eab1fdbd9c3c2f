#pragma once
// The SIP transport layer: UDP, TCP and TLS listeners per interface, outbound connections
// (reused per remote endpoint + transport + TLS name), RFC 5626 keep-alive pongs, idle timeout,
// connection caps and counters.
//
//   asio::io_context io;                        // the SIP loop; the lead runs it
//   MyCallbacks up;                             // implements TransportCallbacks
//   SipTransport transport(io, up, limits);
//   auto ok = transport.addInterface({.index = 0, .name = "internal", .address = *addr,
//                                     .listeners = {{Transport::Udp, 5060}, {Transport::Tcp,
//                                     5060}}});
//   if (!ok) fail(ok.error().text);
//   transport.send(destinationOf(flow), serialize(response), [](const SendResult& r) { ... });
//
// Threads: construct, call and destroy on the thread that runs `io`; every callback and every
// completion runs there too. Completions never run inside send(). Destroying the transport
// closes everything without calling callbacks or pending completions.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/endpoint.h"
#include "net/net_error.h"
#include "sip/transport/callbacks.h"
#include "sip/transport/counters.h"
#include "sip/transport/flow.h"
#include "sip/transport/peer_certificate.h"
#include "sip/transport/settings.h"

namespace asio {
class io_context;
} // namespace asio

namespace gh::sip {

class TransportCore;

class SipTransport {
public:
  SipTransport(asio::io_context& io, TransportCallbacks& callbacks, TransportLimits limits = {});
  ~SipTransport();
  SipTransport(const SipTransport&) = delete;
  SipTransport& operator=(const SipTransport&) = delete;

  // Binds the interface's listeners and loads its TLS contexts. On error nothing of this
  // interface is kept (the text names the address and the cause, e.g. "address in use").
  net::NetResult<void> addInterface(const InterfaceSettings& settings);

  // Where a listener is bound (port 0 in the settings -> the port the kernel chose).
  std::optional<net::Endpoint> localEndpoint(InterfaceIndex interface, Transport transport) const;

  // Sends one serialized message. UDP: one datagram from the interface's socket. TCP/TLS: over
  // destination.connection if it is still open, else over an open connection to the same
  // (transport, interface, remote, tls_server_name), else over a new one (queued while it
  // connects and handshakes, bounded by max_send_queue_bytes). `done` (may be empty) gets the
  // flow used, or why it failed: refused, timeout, TLS handshake reason, queue full, ...
  void send(const Destination& destination, std::string bytes, SendCompletion done = {});

  void send(const Flow& flow, std::string bytes, SendCompletion done = {}) {
    send(destinationOf(flow), std::move(bytes), std::move(done));
  }

  // Closes a TCP/TLS connection (onConnectionClosed follows); false if there is none.
  bool closeConnection(ConnectionId id, std::string_view reason = "closed by the application");

  // The verified certificate the peer of a TLS connection presented (present=false when none).
  std::optional<PeerCertificate> peerCertificate(ConnectionId id) const;
  std::optional<Flow> connectionFlow(ConnectionId id) const;
  std::size_t connectionCount() const;
  const TransportCounters& counters() const;

private:
  std::unique_ptr<TransportCore> core_;
};

} // namespace gh::sip
