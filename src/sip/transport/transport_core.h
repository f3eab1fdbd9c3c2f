#pragma once
// Internal: the state behind SipTransport. Listeners and connections report to it; it owns the
// connection table, the reuse index, the caps and the counters. SIP loop only.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "net/endpoint.h"
#include "net/net_error.h"
#include "sip/parser/parser.h"
#include "sip/transport/callbacks.h"
#include "sip/transport/counters.h"
#include "sip/transport/peer_certificate.h"
#include "sip/transport/settings.h"
#include "sip/transport/tls_context.h"

namespace gh::sip {

class StreamConnection;
class StreamListener;
class UdpListener;

class TransportCore {
public:
  TransportCore(asio::io_context& io, TransportCallbacks& callbacks, TransportLimits limits);
  ~TransportCore();
  TransportCore(const TransportCore&) = delete;
  TransportCore& operator=(const TransportCore&) = delete;

  net::NetResult<void> addInterface(const InterfaceSettings& settings);
  std::optional<net::Endpoint> localEndpoint(InterfaceIndex interface, Transport transport) const;
  void send(const Destination& destination, std::string bytes, SendCompletion done);
  bool closeConnection(ConnectionId id, std::string_view reason);
  std::optional<PeerCertificate> peerCertificate(ConnectionId id) const;
  std::optional<Flow> connectionFlow(ConnectionId id) const;

  std::size_t connectionCount() const { return connections_.size(); }

  const TransportCounters& counters() const { return counters_; }

  // For listeners and connections.
  asio::io_context& io() { return io_; }

  const TransportLimits& limits() const { return limits_; }

  TransportCounters& mutableCounters() { return counters_; }

  bool shuttingDown() const { return shutting_down_; }

  // Parses and delivers; false when the bytes did not parse (already reported).
  bool deliver(std::string_view bytes, Framing framing, const Flow& flow);
  void reportParseError(std::string_view bytes, const Error& error, const Flow& flow);
  void acceptConnection(InterfaceIndex interface, Transport transport, asio::ip::tcp::socket socket,
                        asio::ssl::context* tls);
  void connectionClosed(StreamConnection& connection, std::string_view reason);
  // Completes a send with an error outside the caller's stack, counted and logged.
  void failSend(SendCompletion done, net::NetError error, const Destination& destination);

private:
  struct Interface {
    InterfaceSettings settings;
    std::unique_ptr<TlsContexts> tls;
    std::vector<std::shared_ptr<UdpListener>> udp;
    std::vector<std::shared_ptr<StreamListener>> stream;
  };

  void sendUdp(const Destination& destination, std::string bytes, SendCompletion done);
  std::shared_ptr<StreamConnection> findReusable(const Destination& destination) const;
  void openConnection(const Destination& destination, std::string bytes, SendCompletion done);
  void registerConnection(const std::shared_ptr<StreamConnection>& connection);
  uint64_t& openGauge(Transport transport);

  asio::io_context& io_;
  TransportCallbacks& callbacks_;
  TransportLimits limits_;
  TransportCounters counters_;
  bool shutting_down_ = false;
  std::map<InterfaceIndex, Interface> interfaces_;
  std::unordered_map<ConnectionId, std::shared_ptr<StreamConnection>> connections_;
  std::unordered_map<std::string, ConnectionId> reuse_;    // reuseKey() -> connection
  std::unordered_map<net::Endpoint, uint32_t> per_source_; // inbound connections by remote IP
  ConnectionId next_id_ = 1;
};

// Connections to the same place are shared: transport, interface, remote endpoint, TLS name.
std::string reuseKey(Transport transport, InterfaceIndex interface, const net::Endpoint& remote,
                     std::string_view tls_server_name);

} // namespace gh::sip
