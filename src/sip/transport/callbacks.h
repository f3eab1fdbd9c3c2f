#pragma once
// How the transport hands received messages up, and how it reports sends.
//
// Every callback runs on the SIP loop (the io_context thread) and may call back into the
// SipTransport (send, close) from inside the callback.

#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "net/endpoint.h"
#include "net/net_error.h"
#include "sip/message/message.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class TransportCallbacks {
public:
  virtual ~TransportCallbacks() = default;

  // One parsed message. The message is as received: the transport does not add received/rport;
  // the receiver applies receivedViaValue() (sip/transport/via_received.h) to requests.
  virtual void onMessage(Message&& message, const Flow& flow) = 0;

  // Bytes that did not parse, so a request can still get its 400/413/505 (statusFor()). On a
  // stream the connection is closed right after this returns: answer before, over `flow`.
  virtual void onParseError(std::string_view bytes, const Error& error, const Flow& flow) = 0;

  // A TCP/TLS connection is gone (idle, peer closed, error, refused by a cap, failed handshake);
  // `reason` is plain words. Flows naming `id` now fall back per RFC 3261 §18.2.2.
  virtual void onConnectionClosed(ConnectionId id, const Flow& flow, std::string_view reason) = 0;
};

// Where to send. For a response, build it from the request's Flow (connection set) and let
// responseDestination() fill the fallback address; for a request, from the resolved target.
struct Destination {
  Transport transport = Transport::Udp;
  InterfaceIndex interface = 0;
  net::Endpoint remote;
  // TLS: SNI and the name the peer certificate must carry (RFC 5922). Empty = chain check only.
  // Part of the reuse key: a connection made for one name is not reused for another.
  std::string tls_server_name;
  // Prefer this connection (RFC 3261 §18.2.2). When it is gone, the transport reuses or opens
  // a connection to `remote`; 0 = reuse one to `remote` or open one.
  ConnectionId connection = 0;
};

inline Destination destinationOf(const Flow& flow) {
  return Destination{flow.transport, flow.interface, flow.remote, {}, flow.connection};
}

// Success carries the flow the bytes left on (its connection id, local and remote endpoints).
using SendResult = Expected<Flow, net::NetError>;
using SendCompletion = std::function<void(const SendResult&)>;

} // namespace gh::sip
