#include "sip/transport/transport_core.h"

#include <asio/post.hpp>

#include "common/log.h"
#include "net/asio_endpoint.h"
#include "sip/transport/stream_connection.h"
#include "sip/transport/stream_listener.h"
#include "sip/transport/udp_listener.h"

namespace gh::sip {
namespace {

net::Endpoint sourceKey(net::Endpoint remote) {
  remote.setPort(0);
  return remote;
}

} // namespace

std::string reuseKey(Transport transport, InterfaceIndex interface, const net::Endpoint& remote,
                     std::string_view tls_server_name) {
  return fmt::format("{}|{}|{}|{}", viaName(transport), interface, remote.toString(),
                     tls_server_name);
}

TransportCore::TransportCore(asio::io_context& io, TransportCallbacks& callbacks,
                             TransportLimits limits)
    : io_(io), callbacks_(callbacks), limits_(limits) {}

TransportCore::~TransportCore() {
  shutting_down_ = true;
  for (auto& [index, iface] : interfaces_) {
    for (auto& udp : iface.udp) {
      udp->close();
    }
    for (auto& listener : iface.stream) {
      listener->close();
    }
  }
  auto connections = std::move(connections_);
  for (auto& [id, connection] : connections) {
    connection->close("shutting down", net::NetErrc::Shutdown);
  }
}

net::NetResult<void> TransportCore::addInterface(const InterfaceSettings& settings) {
  if (interfaces_.count(settings.index) != 0) {
    return net::netFail(net::NetErrc::Bind,
                        fmt::format("interface {} added twice", settings.index));
  }
  if (!settings.address.valid()) {
    return net::netFail(net::NetErrc::BadAddress,
                        fmt::format("interface {} has no address", settings.name));
  }
  Interface iface;
  iface.settings = settings;
  bool has_tls_listener = false;
  for (const auto& spec : settings.listeners) {
    has_tls_listener = has_tls_listener || spec.transport == Transport::Tls;
  }
  if (settings.tls) {
    auto contexts = makeTlsContexts(*settings.tls, has_tls_listener);
    if (!contexts) {
      return net::netFail(contexts.error().code,
                          fmt::format("interface {}: {}", settings.name, contexts.error().text));
    }
    iface.tls = std::move(*contexts);
  } else if (has_tls_listener) {
    return net::netFail(
        net::NetErrc::TlsSetup,
        fmt::format("interface {}: a TLS listener needs TLS settings", settings.name));
  }
  for (const auto& spec : settings.listeners) {
    net::Endpoint bind = settings.address;
    bind.setPort(spec.port);
    std::error_code ec;
    std::string where = fmt::format("{} {} on interface {}", viaName(spec.transport),
                                    bind.toString(), settings.name);
    if (spec.transport == Transport::Udp) {
      asio::ip::udp::socket socket(io_);
      auto endpoint = net::toAsio<asio::ip::udp>(bind);
      socket.open(endpoint.protocol(), ec);
      if (!ec) {
        socket.bind(endpoint, ec);
      }
      if (ec) {
        return net::netFail(net::NetErrc::Bind,
                            fmt::format("cannot bind {}: {}", where, ec.message()));
      }
      iface.udp.push_back(std::make_shared<UdpListener>(*this, settings.index, std::move(socket)));
    } else {
      asio::ip::tcp::acceptor acceptor(io_);
      auto endpoint = net::toAsio<asio::ip::tcp>(bind);
      acceptor.open(endpoint.protocol(), ec);
      if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
      }
      if (!ec) {
        acceptor.bind(endpoint, ec);
      }
      if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
      }
      if (ec) {
        return net::netFail(net::NetErrc::Bind,
                            fmt::format("cannot listen on {}: {}", where, ec.message()));
      }
      asio::ssl::context* tls = spec.transport == Transport::Tls ? &iface.tls->server : nullptr;
      iface.stream.push_back(std::make_shared<StreamListener>(*this, settings.index, spec.transport,
                                                              std::move(acceptor), tls));
    }
  }
  auto& stored = interfaces_.emplace(settings.index, std::move(iface)).first->second;
  for (auto& udp : stored.udp) {
    GH_LOG_INFO(Module::Transport, "listening on UDP {} ({})", udp->local().toString(),
                settings.name);
    udp->start();
  }
  for (auto& listener : stored.stream) {
    GH_LOG_INFO(Module::Transport, "listening on {} {} ({})", viaName(listener->transport()),
                listener->local().toString(), settings.name);
    listener->start();
  }
  return {};
}

std::optional<net::Endpoint> TransportCore::localEndpoint(InterfaceIndex interface,
                                                          Transport transport) const {
  auto it = interfaces_.find(interface);
  if (it == interfaces_.end()) {
    return std::nullopt;
  }
  if (transport == Transport::Udp) {
    if (!it->second.udp.empty()) {
      return it->second.udp.front()->local();
    }
    return std::nullopt;
  }
  for (const auto& listener : it->second.stream) {
    if (listener->transport() == transport) {
      return listener->local();
    }
  }
  return std::nullopt;
}

void TransportCore::failSend(SendCompletion done, net::NetError error,
                             const Destination& destination) {
  ++counters_.send_failures;
  GH_LOG_WARN(Module::Transport, "send over {} to {} failed: {}", viaName(destination.transport),
              destination.remote.valid() ? destination.remote.toString() : "(no address)",
              error.text);
  if (done) {
    asio::post(io_, [done = std::move(done), error = std::move(error)]() {
      done(SendResult(Unexpected(error)));
    });
  }
}

void TransportCore::send(const Destination& destination, std::string bytes, SendCompletion done) {
  if (destination.transport == Transport::Udp) {
    sendUdp(destination, std::move(bytes), std::move(done));
    return;
  }
  // RFC 3261 §18.2.2: a response goes back over the connection its request came on ...
  if (destination.connection != 0) {
    auto it = connections_.find(destination.connection);
    if (it != connections_.end() && !it->second->closed() &&
        it->second->flow().transport == destination.transport) {
      it->second->enqueue(std::move(bytes), std::move(done));
      return;
    }
    if (!destination.remote.valid()) {
      failSend(std::move(done),
               {net::NetErrc::Closed,
                fmt::format("connection {} is gone and there is no address to fall back to",
                            destination.connection)},
               destination);
      return;
    }
    // ... and when it is gone, to the address from the Via (responseDestination()).
  }
  if (!destination.remote.valid()) {
    failSend(std::move(done), {net::NetErrc::BadAddress, "no destination address"}, destination);
    return;
  }
  if (auto connection = findReusable(destination)) {
    connection->enqueue(std::move(bytes), std::move(done));
    return;
  }
  openConnection(destination, std::move(bytes), std::move(done));
}

void TransportCore::sendUdp(const Destination& destination, std::string bytes,
                            SendCompletion done) {
  auto it = interfaces_.find(destination.interface);
  UdpListener* from = nullptr;
  if (it != interfaces_.end()) {
    for (auto& udp : it->second.udp) {
      if (udp->local().family() == destination.remote.family()) {
        from = udp.get();
        break;
      }
    }
  }
  if (from == nullptr) {
    failSend(std::move(done),
             {net::NetErrc::NoListener,
              fmt::format("no UDP socket on interface {} for {}", destination.interface,
                          destination.remote.toString())},
             destination);
    return;
  }
  std::error_code ec = from->sendTo(bytes, destination.remote);
  if (ec) {
    failSend(std::move(done),
             {net::NetErrc::Io, fmt::format("UDP send to {} failed: {}",
                                            destination.remote.toString(), ec.message())},
             destination);
    return;
  }
  ++counters_.datagrams_out;
  counters_.bytes_out += bytes.size();
  if (done) {
    Flow flow{Transport::Udp, destination.interface, from->local(), destination.remote, 0};
    asio::post(io_, [done = std::move(done), flow]() { done(SendResult(flow)); });
  }
}

std::shared_ptr<StreamConnection>
TransportCore::findReusable(const Destination& destination) const {
  auto key = reuseKey(destination.transport, destination.interface, destination.remote,
                      destination.tls_server_name);
  auto it = reuse_.find(key);
  if (it == reuse_.end()) {
    return nullptr;
  }
  auto connection = connections_.find(it->second);
  if (connection == connections_.end() || connection->second->closed()) {
    return nullptr;
  }
  return connection->second;
}

void TransportCore::openConnection(const Destination& destination, std::string bytes,
                                   SendCompletion done) {
  auto it = interfaces_.find(destination.interface);
  if (it == interfaces_.end()) {
    failSend(std::move(done),
             {net::NetErrc::NoListener,
              fmt::format("no interface {} to connect from", destination.interface)},
             destination);
    return;
  }
  Interface& iface = it->second;
  asio::ssl::context* tls = nullptr;
  if (destination.transport == Transport::Tls) {
    if (!iface.tls) {
      failSend(std::move(done),
               {net::NetErrc::TlsSetup,
                fmt::format("interface {} has no TLS settings", iface.settings.name)},
               destination);
      return;
    }
    tls = &iface.tls->client;
  }
  if (limits_.max_connections != 0 && connections_.size() >= limits_.max_connections) {
    failSend(std::move(done),
             {net::NetErrc::ConnectionLimit,
              fmt::format("connection limit {} reached", limits_.max_connections)},
             destination);
    return;
  }
  Flow flow{destination.transport, destination.interface, {}, destination.remote, next_id_++};
  auto connection =
      std::make_shared<StreamConnection>(*this, flow, tls, destination.tls_server_name);
  registerConnection(connection);
  GH_LOG_DEBUG(Module::Transport, "connection {}: connecting over {} to {}{}", flow.connection,
               viaName(flow.transport), flow.remote.toString(),
               destination.tls_server_name.empty() ? "" : " as " + destination.tls_server_name);
  // Queued first: the connection writes it once connected, or fails it with the reason.
  connection->enqueue(std::move(bytes), std::move(done));
  connection->startOutbound(iface.settings.address);
}

void TransportCore::registerConnection(const std::shared_ptr<StreamConnection>& connection) {
  const Flow& flow = connection->flow();
  connections_.emplace(flow.connection, connection);
  reuse_[reuseKey(flow.transport, flow.interface, flow.remote, connection->tlsServerName())] =
      flow.connection;
  ++openGauge(flow.transport);
  if (!connection->outbound()) {
    ++per_source_[sourceKey(flow.remote)];
  }
}

uint64_t& TransportCore::openGauge(Transport transport) {
  return transport == Transport::Tls ? counters_.open_tls : counters_.open_tcp;
}

void TransportCore::acceptConnection(InterfaceIndex interface, Transport transport,
                                     asio::ip::tcp::socket socket, asio::ssl::context* tls) {
  std::error_code ec;
  net::Endpoint remote = net::fromAsio(socket.remote_endpoint(ec));
  net::Endpoint local = net::fromAsio(socket.local_endpoint(ec));
  if (ec) {
    return; // already reset by the peer
  }
  const char* refusal = nullptr;
  uint32_t cap = 0;
  if (limits_.max_connections != 0 && connections_.size() >= limits_.max_connections) {
    refusal = "connection limit";
    cap = limits_.max_connections;
  } else if (limits_.max_connections_per_source != 0) {
    auto it = per_source_.find(sourceKey(remote));
    if (it != per_source_.end() && it->second >= limits_.max_connections_per_source) {
      refusal = "per-source connection limit";
      cap = limits_.max_connections_per_source;
    }
  }
  if (refusal != nullptr) {
    ++counters_.refused;
    GH_LOG_WARN(Module::Transport, "refused {} connection from {} on {}: {} {} reached",
                viaName(transport), remote.toString(), local.toString(), refusal, cap);
    socket.close(ec);
    return;
  }
  ++counters_.accepted;
  Flow flow{transport, interface, local, remote, next_id_++};
  auto connection = std::make_shared<StreamConnection>(*this, flow, std::move(socket), tls);
  registerConnection(connection);
  GH_LOG_DEBUG(Module::Transport, "connection {}: accepted {} from {} on {}", flow.connection,
               viaName(transport), remote.toString(), local.toString());
  connection->startInbound();
}

void TransportCore::connectionClosed(StreamConnection& connection, std::string_view reason) {
  const Flow flow = connection.flow();
  auto it = connections_.find(flow.connection);
  if (it == connections_.end()) {
    return;
  }
  auto keep = it->second; // `connection` lives until this returns
  connections_.erase(it);
  auto key = reuseKey(flow.transport, flow.interface, flow.remote, connection.tlsServerName());
  if (auto r = reuse_.find(key); r != reuse_.end() && r->second == flow.connection) {
    reuse_.erase(r);
  }
  --openGauge(flow.transport);
  if (!connection.outbound()) {
    auto source = per_source_.find(sourceKey(flow.remote));
    if (source != per_source_.end() && --source->second == 0) {
      per_source_.erase(source);
    }
  }
  ++counters_.closed;
  GH_LOG_INFO(Module::Transport, "connection {} ({} {} {}) closed: {}", flow.connection,
              viaName(flow.transport), connection.outbound() ? "to" : "from",
              flow.remote.toString(), reason);
  callbacks_.onConnectionClosed(flow.connection, flow, reason);
}

bool TransportCore::closeConnection(ConnectionId id, std::string_view reason) {
  auto it = connections_.find(id);
  if (it == connections_.end()) {
    return false;
  }
  auto connection = it->second;
  connection->close(reason);
  return true;
}

std::optional<PeerCertificate> TransportCore::peerCertificate(ConnectionId id) const {
  auto it = connections_.find(id);
  if (it == connections_.end()) {
    return std::nullopt;
  }
  return it->second->peerCertificate();
}

std::optional<Flow> TransportCore::connectionFlow(ConnectionId id) const {
  auto it = connections_.find(id);
  if (it == connections_.end()) {
    return std::nullopt;
  }
  return it->second->flow();
}

bool TransportCore::deliver(std::string_view bytes, Framing framing, const Flow& flow) {
  auto message = parseMessage(bytes, limits_.parse, framing);
  if (!message) {
    reportParseError(bytes, message.error(), flow);
    return false;
  }
  ++counters_.messages_in;
  callbacks_.onMessage(*std::move(message), flow);
  return true;
}

void TransportCore::reportParseError(std::string_view bytes, const Error& error, const Flow& flow) {
  ++counters_.parse_errors;
  GH_LOG_INFO(Module::Transport, "unparseable message over {} from {}: {} at offset {}",
              viaName(flow.transport), flow.remote.toString(), error.what, error.offset);
  callbacks_.onParseError(bytes, error, flow);
}

} // namespace gh::sip
