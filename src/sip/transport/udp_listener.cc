#include "sip/transport/udp_listener.h"

#include "common/log.h"
#include "net/asio_endpoint.h"
#include "sip/parser/parser.h"
#include "sip/transport/transport_core.h"

namespace gh::sip {
namespace {

// Some UAs send bare CRLFs over UDP to keep a NAT binding open; they are not messages.
bool onlyWhiteSpace(std::string_view bytes) {
  return bytes.find_first_not_of("\r\n \t") == std::string_view::npos;
}

} // namespace

UdpListener::UdpListener(TransportCore& core, InterfaceIndex interface,
                         asio::ip::udp::socket socket)
    : core_(&core), interface_(interface), socket_(std::move(socket)) {
  std::error_code ec;
  local_ = net::fromAsio(socket_.local_endpoint(ec));
  // A full socket buffer drops the datagram, as the network could; SIP retransmits. One loop
  // serves every peer of the interface, so give bursts room (the kernel caps it at rmem_max).
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
  socket_.set_option(asio::socket_base::send_buffer_size(4 << 20), ec);
}

void UdpListener::start() {
  socket_.async_receive_from(
      asio::buffer(buffer_), sender_,
      [self = shared_from_this()](std::error_code ec, std::size_t n) { self->onReceive(ec, n); });
}

void UdpListener::close() {
  closed_ = true;
  std::error_code ignored;
  socket_.close(ignored);
}

std::error_code UdpListener::sendTo(std::string_view bytes, const net::Endpoint& remote) {
  std::error_code ec;
  socket_.send_to(asio::buffer(bytes.data(), bytes.size()), net::toAsio<asio::ip::udp>(remote), 0,
                  ec);
  return ec;
}

void UdpListener::onReceive(const std::error_code& error, std::size_t size) {
  if (closed_) {
    return;
  }
  if (error) {
    if (error == asio::error::operation_aborted) {
      return;
    }
    // ICMP errors from earlier sends surface here on Linux; they concern no datagram.
    GH_LOG_DEBUG(Module::Transport, "UDP {}: receive error: {}", local_.toString(),
                 error.message());
    start();
    return;
  }
  auto& counters = core_->mutableCounters();
  ++counters.datagrams_in;
  counters.bytes_in += size;
  std::string_view bytes(buffer_.data(), size);
  if (!onlyWhiteSpace(bytes)) {
    Flow flow{Transport::Udp, interface_, local_, net::fromAsio(sender_), 0};
    auto self = shared_from_this();
    core_->deliver(bytes, Framing::Datagram, flow);
    if (closed_) {
      return;
    }
  }
  start();
}

} // namespace gh::sip
