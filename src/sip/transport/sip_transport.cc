#include "sip/transport/sip_transport.h"

#include "sip/transport/transport_core.h"

namespace gh::sip {

SipTransport::SipTransport(asio::io_context& io, TransportCallbacks& callbacks,
                           TransportLimits limits)
    : core_(std::make_unique<TransportCore>(io, callbacks, limits)) {}

SipTransport::~SipTransport() = default;

net::NetResult<void> SipTransport::addInterface(const InterfaceSettings& settings) {
  return core_->addInterface(settings);
}

std::optional<net::Endpoint> SipTransport::localEndpoint(InterfaceIndex interface,
                                                         Transport transport) const {
  return core_->localEndpoint(interface, transport);
}

void SipTransport::send(const Destination& destination, std::string bytes, SendCompletion done) {
  core_->send(destination, std::move(bytes), std::move(done));
}

bool SipTransport::closeConnection(ConnectionId id, std::string_view reason) {
  return core_->closeConnection(id, reason);
}

std::optional<PeerCertificate> SipTransport::peerCertificate(ConnectionId id) const {
  return core_->peerCertificate(id);
}

std::optional<Flow> SipTransport::connectionFlow(ConnectionId id) const {
  return core_->connectionFlow(id);
}

std::size_t SipTransport::connectionCount() const {
  return core_->connectionCount();
}

const TransportCounters& SipTransport::counters() const {
  return core_->counters();
}

} // namespace gh::sip
