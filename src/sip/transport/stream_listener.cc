#include "sip/transport/stream_listener.h"

#include <chrono>

#include "common/log.h"
#include "net/asio_endpoint.h"
#include "sip/transport/transport_core.h"

namespace gh::sip {

StreamListener::StreamListener(TransportCore& core, InterfaceIndex interface, Transport transport,
                               asio::ip::tcp::acceptor acceptor, asio::ssl::context* tls)
    : core_(&core), interface_(interface), transport_(transport), acceptor_(std::move(acceptor)),
      tls_(tls), retry_(core.io()) {
  std::error_code ec;
  local_ = net::fromAsio(acceptor_.local_endpoint(ec));
}

void StreamListener::start() {
  acceptor_.async_accept(
      [self = shared_from_this()](std::error_code ec, asio::ip::tcp::socket socket) {
        self->onAccept(ec, std::move(socket));
      });
}

void StreamListener::close() {
  closed_ = true;
  std::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
}

void StreamListener::onAccept(const std::error_code& error, asio::ip::tcp::socket socket) {
  if (closed_) {
    return;
  }
  if (error) {
    if (error == asio::error::operation_aborted) {
      return;
    }
    // Out of descriptors and the like: accepting again at once would spin.
    GH_LOG_WARN(Module::Transport, "{} listener {}: accept failed: {}", viaName(transport_),
                local_.toString(), error.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](std::error_code ec) {
      if (!ec && !self->closed_) {
        self->start();
      }
    });
    return;
  }
  auto self = shared_from_this();
  core_->acceptConnection(interface_, transport_, std::move(socket), tls_);
  if (!closed_) {
    start();
  }
}

} // namespace gh::sip
