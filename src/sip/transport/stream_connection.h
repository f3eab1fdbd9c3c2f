#pragma once
// Internal: one TCP or TLS connection, inbound or outbound. It frames the byte stream into
// messages (bounded by the parser limits), answers RFC 5626 keep-alives, queues sends while it
// connects or handshakes, and closes itself on idle, errors or framing failures. Owned by the
// TransportCore's table; Asio handlers hold a shared_ptr and do nothing once it is closed.

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <asio/ip/tcp.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>

#include "net/net_error.h"
#include "sip/transport/callbacks.h"
#include "sip/transport/peer_certificate.h"
#include "sip/transport/tls_diagnostics.h"

namespace gh::sip {

class TransportCore;

class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
public:
  using Socket = asio::ip::tcp::socket;
  using TlsStream = asio::ssl::stream<Socket>;

  // Inbound: an accepted socket; `tls` is the listener's server context or nullptr for TCP.
  StreamConnection(TransportCore& core, Flow flow, Socket socket, asio::ssl::context* tls);
  // Outbound: not yet connected; `tls` is the interface's client context or nullptr for TCP.
  StreamConnection(TransportCore& core, Flow flow, asio::ssl::context* tls,
                   std::string tls_server_name);
  ~StreamConnection();

  void startInbound();
  void startOutbound(const net::Endpoint& bind_address);
  void enqueue(std::string bytes, SendCompletion done);
  // Idempotent. Queued sends fail with `code` and `reason`; the core drops the connection.
  void close(std::string_view reason, net::NetErrc code = net::NetErrc::Closed);
  // Closes once what is queued has been written (or after the connect timeout): used after a
  // framing error so the 400 the upper layer sends from onParseError still goes out.
  void closeAfterFlush(std::string reason);

  const Flow& flow() const { return flow_; }

  ConnectionId id() const { return flow_.connection; }

  bool outbound() const { return outbound_; }

  bool closed() const { return closed_; }

  const std::string& tlsServerName() const { return tls_server_name_; }

  const PeerCertificate& peerCertificate() const { return peer_certificate_; }

private:
  enum class State : uint8_t { Connecting, Handshaking, Open };

  struct Pending {
    std::string bytes;
    SendCompletion done;
  };

  Socket& socket();
  void armTimer(std::chrono::milliseconds after, const char* what);
  void onConnected(const std::error_code& error);
  void startHandshake();
  void disableNagle();
  void onHandshake(const std::error_code& error);
  void becomeOpen();
  void startRead();
  void onRead(const std::error_code& error, std::size_t size);
  void processInput();
  void writeNext();
  void onWritten(const std::error_code& error, std::size_t size);
  void armIdle(std::chrono::steady_clock::duration after);
  void onIdleTimer();

  void touch() { last_activity_ = std::chrono::steady_clock::now(); }

  TransportCore* core_;
  Flow flow_;
  bool outbound_;
  std::variant<Socket, TlsStream> stream_;
  std::string tls_server_name_;
  State state_ = State::Connecting;
  bool closed_ = false;
  bool writing_ = false;
  bool reading_stopped_ = false;
  bool close_after_flush_ = false;
  std::string flush_reason_;
  bool timed_out_ = false;
  uint64_t timer_generation_ = 0;
  asio::steady_timer timer_; // connect, handshake, flush deadline
  asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point last_activity_;
  std::deque<Pending> queue_;
  std::size_t queued_bytes_ = 0;
  std::string input_;
  uint32_t crlf_run_ = 0; // CR/LF octets seen since the last message: "\r\n\r\n" is a ping
  std::array<char, 16384> read_buffer_{};
  VerifyFailure verify_failure_;
  PeerCertificate peer_certificate_;
};

} // namespace gh::sip
