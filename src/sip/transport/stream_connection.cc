#include "sip/transport/stream_connection.h"

#include <algorithm>

#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <openssl/ssl.h>

#include "common/log.h"
#include "net/asio_endpoint.h"
#include "sip/parser/framing.h"
#include "sip/transport/transport_core.h"

namespace gh::sip {
namespace {

using Stream = std::variant<StreamConnection::Socket, StreamConnection::TlsStream>;

Stream inboundStream(StreamConnection::Socket&& socket, asio::ssl::context* tls) {
  if (tls != nullptr) {
    return Stream(std::in_place_index<1>, std::move(socket), *tls);
  }
  return Stream(std::in_place_index<0>, std::move(socket));
}

Stream outboundStream(asio::io_context& io, asio::ssl::context* tls) {
  if (tls != nullptr) {
    return Stream(std::in_place_index<1>, io, *tls);
  }
  return Stream(std::in_place_index<0>, io);
}

net::NetError connectError(const std::error_code& error, const net::Endpoint& remote) {
  if (error == asio::error::connection_refused) {
    return {net::NetErrc::Refused, fmt::format("connection refused by {}", remote.toString())};
  }
  if (error == asio::error::network_unreachable || error == asio::error::host_unreachable) {
    return {net::NetErrc::Unreachable,
            fmt::format("{} is unreachable: {}", remote.toString(), error.message())};
  }
  return {net::NetErrc::Io,
          fmt::format("connect to {} failed: {}", remote.toString(), error.message())};
}

} // namespace

StreamConnection::StreamConnection(TransportCore& core, Flow flow, Socket socket,
                                   asio::ssl::context* tls)
    : core_(&core), flow_(flow), outbound_(false), stream_(inboundStream(std::move(socket), tls)),
      timer_(core.io()), idle_timer_(core.io()) {
  state_ = tls != nullptr ? State::Handshaking : State::Open;
  touch();
}

StreamConnection::StreamConnection(TransportCore& core, Flow flow, asio::ssl::context* tls,
                                   std::string tls_server_name)
    : core_(&core), flow_(flow), outbound_(true), stream_(outboundStream(core.io(), tls)),
      tls_server_name_(std::move(tls_server_name)), timer_(core.io()), idle_timer_(core.io()) {
  touch();
}

StreamConnection::~StreamConnection() = default;

StreamConnection::Socket& StreamConnection::socket() {
  if (auto* tls = std::get_if<TlsStream>(&stream_)) {
    return tls->next_layer();
  }
  return std::get<Socket>(stream_);
}

void StreamConnection::armTimer(std::chrono::milliseconds after, const char* what) {
  uint64_t generation = ++timer_generation_;
  timed_out_ = false;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation, what, after](std::error_code ec) {
    if (ec || self->closed_ || generation != self->timer_generation_) {
      return;
    }
    self->timed_out_ = true;
    if (self->close_after_flush_) {
      self->close(self->flush_reason_);
      return;
    }
    GH_LOG_DEBUG(Module::Transport, "connection {}: {} timeout after {} ms", self->id(), what,
                 after.count());
    std::error_code ignored;
    self->socket().cancel(ignored); // the pending connect/handshake completes with an error
  });
}

void StreamConnection::startInbound() {
  disableNagle();
  if (std::holds_alternative<TlsStream>(stream_)) {
    startHandshake();
  } else {
    becomeOpen();
  }
}

void StreamConnection::disableNagle() {
  // A response written shortly after another one otherwise waits for the peer's delayed ACK
  // (~40 ms on Linux): signaling latency nobody wants, for bandwidth SIP does not need.
  std::error_code ignored;
  socket().set_option(asio::ip::tcp::no_delay(true), ignored);
}

void StreamConnection::startOutbound(const net::Endpoint& bind_address) {
  state_ = State::Connecting;
  std::error_code ec;
  auto protocol = flow_.remote.isV6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4();
  socket().open(protocol, ec);
  if (!ec && bind_address.valid() && bind_address.family() == flow_.remote.family()) {
    net::Endpoint local = bind_address;
    local.setPort(0);
    socket().bind(net::toAsio<asio::ip::tcp>(local), ec);
  }
  if (ec) {
    auto self = shared_from_this();
    close(fmt::format("cannot open a socket toward {}: {}", flow_.remote.toString(), ec.message()),
          net::NetErrc::Io);
    return;
  }
  armTimer(core_->limits().connect_timeout, "connect");
  socket().async_connect(
      net::toAsio<asio::ip::tcp>(flow_.remote),
      [self = shared_from_this()](std::error_code error) { self->onConnected(error); });
}

void StreamConnection::onConnected(const std::error_code& error) {
  if (closed_) {
    return;
  }
  ++timer_generation_;
  timer_.cancel();
  if (error) {
    ++core_->mutableCounters().connect_failures;
    if (timed_out_) {
      close(fmt::format("connect timeout after {} ms to {}",
                        core_->limits().connect_timeout.count(), flow_.remote.toString()),
            net::NetErrc::Timeout);
    } else {
      net::NetError failure = connectError(error, flow_.remote);
      close(failure.text, failure.code);
    }
    return;
  }
  std::error_code ec;
  flow_.local = net::fromAsio(socket().local_endpoint(ec));
  disableNagle();
  if (std::holds_alternative<TlsStream>(stream_)) {
    startHandshake();
  } else {
    becomeOpen();
  }
}

void StreamConnection::startHandshake() {
  state_ = State::Handshaking;
  auto& tls = std::get<TlsStream>(stream_);
  SSL* ssl = tls.native_handle();
  if (outbound_ && !tls_server_name_.empty()) {
    // SNI, and the name the certificate must carry (RFC 5922 §7.2: the SAN dNSName or,
    // without one, the CN). No partial wildcards: Microsoft and RFC 5922 both refuse them.
    // SSL_set_tlsext_host_name() is a macro with a C cast.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(tls_server_name_.c_str()));
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    SSL_set1_host(ssl, tls_server_name_.c_str());
  }
  std::error_code ec;
  tls.set_verify_callback(
      [this](bool preverified, asio::ssl::verify_context& context) {
        X509_STORE_CTX* store = context.native_handle();
        if (!preverified && verify_failure_.error == X509_V_OK) {
          verify_failure_.error = X509_STORE_CTX_get_error(store);
          verify_failure_.depth = X509_STORE_CTX_get_error_depth(store);
          verify_failure_.certificate = certificateSummary(X509_STORE_CTX_get_current_cert(store));
        }
        return preverified;
      },
      ec);
  armTimer(core_->limits().connect_timeout, "TLS handshake");
  auto type = outbound_ ? asio::ssl::stream_base::client : asio::ssl::stream_base::server;
  tls.async_handshake(
      type, [self = shared_from_this()](std::error_code error) { self->onHandshake(error); });
}

void StreamConnection::onHandshake(const std::error_code& error) {
  if (closed_) {
    return;
  }
  ++timer_generation_;
  timer_.cancel();
  if (error) {
    std::string reason = timed_out_
                             ? fmt::format("TLS handshake timeout after {} ms",
                                           core_->limits().connect_timeout.count())
                             : handshakeFailureReason(error, verify_failure_, tls_server_name_);
    ++core_->mutableCounters().tls_handshake_failures;
    if (outbound_) {
      ++core_->mutableCounters().connect_failures;
    }
    GH_LOG_WARN(Module::Transport, "TLS handshake {} {} failed: {}", outbound_ ? "to" : "from",
                flow_.remote.toString(), reason);
    close(fmt::format("TLS handshake with {} failed: {}", flow_.remote.toString(), reason),
          timed_out_ ? net::NetErrc::Timeout : net::NetErrc::TlsHandshake);
    return;
  }
  SSL* ssl = std::get<TlsStream>(stream_).native_handle();
  peer_certificate_ = describeCertificate(SSL_get0_peer_certificate(ssl));
  GH_LOG_INFO(Module::Transport, "TLS {} {} ({}, {}): peer certificate {}",
              outbound_ ? "to" : "from", flow_.remote.toString(), SSL_get_version(ssl),
              SSL_get_cipher_name(ssl), certificateSummary(SSL_get0_peer_certificate(ssl)));
  becomeOpen();
}

void StreamConnection::becomeOpen() {
  state_ = State::Open;
  if (outbound_) {
    ++core_->mutableCounters().connected;
  }
  touch();
  if (core_->limits().idle_timeout.count() > 0) {
    armIdle(core_->limits().idle_timeout);
  }
  startRead();
  if (!queue_.empty() && !writing_) {
    writeNext();
  }
}

void StreamConnection::startRead() {
  if (closed_ || reading_stopped_) {
    return;
  }
  std::visit(
      [this](auto& stream) {
        stream.async_read_some(asio::buffer(read_buffer_),
                               [self = shared_from_this()](std::error_code ec, std::size_t n) {
                                 self->onRead(ec, n);
                               });
      },
      stream_);
}

void StreamConnection::onRead(const std::error_code& error, std::size_t size) {
  if (closed_) {
    return;
  }
  if (error) {
    if (error == asio::error::operation_aborted) {
      return;
    }
    std::string reason;
    if (error == asio::error::eof) {
      reason = "closed by the peer";
    } else if (std::holds_alternative<TlsStream>(stream_) &&
               (error.category() == asio::error::get_ssl_category() ||
                error == asio::ssl::error::stream_truncated)) {
      reason = tlsReadErrorReason(error);
    } else {
      reason = fmt::format("read error: {}", error.message());
    }
    close(reason);
    return;
  }
  core_->mutableCounters().bytes_in += size;
  touch();
  input_.append(read_buffer_.data(), size);
  processInput();
  startRead();
}

void StreamConnection::processInput() {
  auto self = shared_from_this(); // a callback may close (and unregister) this connection
  std::size_t consumed = 0;
  const ParseLimits& limits = core_->limits().parse;
  while (!closed_ && !reading_stopped_ && consumed < input_.size()) {
    std::string_view rest = std::string_view(input_).substr(consumed);
    auto frame = frameStream(rest, limits);
    if (!frame) {
      // The stream cannot be resynchronised: report (a 400 may still go out), then close.
      reading_stopped_ = true;
      core_->reportParseError(
          rest.substr(0, std::min<std::size_t>(rest.size(), limits.max_message_bytes)),
          frame.error(), flow_);
      closeAfterFlush(fmt::format("framing error: {}", frame.error().what));
      break;
    }
    if (frame->kind == StreamFrame::Kind::NeedMore) {
      break;
    }
    if (frame->kind == StreamFrame::Kind::KeepAlive) {
      consumed += frame->length;
      crlf_run_ += static_cast<uint32_t>(frame->length);
      if (crlf_run_ >= 4) { // RFC 5626 §3.5.1: a CRLFCRLF ping gets a CRLF pong
        crlf_run_ = 0;
        ++core_->mutableCounters().keepalives_answered;
        enqueue("\r\n", nullptr);
      }
      continue;
    }
    crlf_run_ = 0;
    std::string_view wire = rest.substr(0, frame->length);
    consumed += frame->length;
    if (!core_->deliver(wire, Framing::Stream, flow_)) {
      reading_stopped_ = true;
      closeAfterFlush("unparseable message on the stream");
      break;
    }
  }
  if (!closed_) {
    input_.erase(0, consumed);
  }
}

void StreamConnection::enqueue(std::string bytes, SendCompletion done) {
  Destination where = destinationOf(flow_);
  if (closed_) {
    core_->failSend(std::move(done), {net::NetErrc::Closed, "the connection is closed"}, where);
    return;
  }
  std::size_t bound = core_->limits().max_send_queue_bytes;
  if (!queue_.empty() && queued_bytes_ + bytes.size() > bound) {
    core_->failSend(
        std::move(done),
        {net::NetErrc::QueueFull, fmt::format("send queue toward {} is full ({} bytes queued)",
                                              flow_.remote.toString(), queued_bytes_)},
        where);
    return;
  }
  queued_bytes_ += bytes.size();
  queue_.push_back(Pending{std::move(bytes), std::move(done)});
  if (state_ == State::Open && !writing_) {
    writeNext();
  }
}

void StreamConnection::writeNext() {
  writing_ = true;
  std::visit(
      [this](auto& stream) {
        asio::async_write(stream, asio::buffer(queue_.front().bytes),
                          [self = shared_from_this()](std::error_code ec, std::size_t n) {
                            self->onWritten(ec, n);
                          });
      },
      stream_);
}

void StreamConnection::onWritten(const std::error_code& error, std::size_t size) {
  writing_ = false;
  if (closed_) {
    return;
  }
  if (error) {
    close(fmt::format("write to {} failed: {}", flow_.remote.toString(), error.message()),
          net::NetErrc::Io);
    return;
  }
  core_->mutableCounters().bytes_out += size;
  touch();
  Pending done = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= done.bytes.size();
  // Start the next write first: the completion may enqueue more.
  if (!queue_.empty()) {
    writeNext();
  }
  if (done.done) {
    done.done(SendResult(flow_));
  }
  if (!closed_ && close_after_flush_ && queue_.empty() && !writing_) {
    close(flush_reason_);
  }
}

void StreamConnection::closeAfterFlush(std::string reason) {
  if (closed_) {
    return;
  }
  if (queue_.empty() || state_ != State::Open) {
    close(reason);
    return;
  }
  close_after_flush_ = true;
  flush_reason_ = std::move(reason);
  armTimer(core_->limits().connect_timeout, "flush");
}

void StreamConnection::armIdle(std::chrono::steady_clock::duration after) {
  idle_timer_.expires_after(after);
  idle_timer_.async_wait([self = shared_from_this()](std::error_code ec) {
    if (!ec && !self->closed_) {
      self->onIdleTimer();
    }
  });
}

void StreamConnection::onIdleTimer() {
  auto idle = core_->limits().idle_timeout;
  auto quiet = std::chrono::steady_clock::now() - last_activity_;
  if (quiet < idle) {
    armIdle(idle - quiet);
    return;
  }
  ++core_->mutableCounters().closed_idle;
  close(fmt::format("idle for {} s", idle.count()));
}

void StreamConnection::close(std::string_view reason, net::NetErrc code) {
  if (closed_) {
    return;
  }
  auto self = shared_from_this();
  closed_ = true;
  ++timer_generation_;
  timer_.cancel();
  idle_timer_.cancel();
  std::error_code ignored;
  socket().shutdown(Socket::shutdown_both, ignored);
  socket().close(ignored);
  std::deque<Pending> failed;
  failed.swap(queue_);
  queued_bytes_ = 0;
  if (core_->shuttingDown()) {
    return; // nobody is left to tell
  }
  net::NetError error{code, std::string(reason)};
  Destination where = destinationOf(flow_);
  where.tls_server_name = tls_server_name_;
  for (auto& pending : failed) {
    if (pending.done) {
      core_->failSend(std::move(pending.done), error, where);
    }
  }
  core_->connectionClosed(*this, reason);
}

} // namespace gh::sip
