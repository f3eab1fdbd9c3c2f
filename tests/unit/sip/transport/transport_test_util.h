#pragma once
// Shared pieces of the transport tests: a recording TransportCallbacks, a bounded io_context
// pump, SIP message builders and a raw POSIX client for poking at listeners byte by byte.

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <fmt/format.h>

#include "net/endpoint.h"
#include "sip/transport/callbacks.h"

namespace gh::sip::test {

using namespace std::chrono_literals;

struct Received {
  std::string wire;
  bool is_request = true;
  std::string method_or_status;
  Flow flow;
};

struct Closed {
  ConnectionId id;
  Flow flow;
  std::string reason;
};

class RecordingCallbacks : public TransportCallbacks {
public:
  void onMessage(Message&& message, const Flow& flow) override {
    received.push_back({std::string(message.wire()), message.isRequest(),
                        message.isRequest() ? std::string(message.methodText())
                                            : std::to_string(message.statusCode()),
                        flow});
    if (on_message) {
      on_message(message, flow);
    }
  }

  void onParseError(std::string_view bytes, const Error& error, const Flow& flow) override {
    parse_errors.push_back({std::string(bytes), error.what, flow});
    if (on_parse_error) {
      on_parse_error(flow);
    }
  }

  void onConnectionClosed(ConnectionId id, const Flow& flow, std::string_view reason) override {
    closed.push_back({id, flow, std::string(reason)});
  }

  struct ParseFailure {
    std::string bytes;
    std::string what;
    Flow flow;
  };

  std::vector<Received> received;
  std::vector<ParseFailure> parse_errors;
  std::vector<Closed> closed;
  std::function<void(const Message&, const Flow&)> on_message;
  std::function<void(const Flow&)> on_parse_error;
};

// Runs the loop until `done` holds or `limit` passes; every wait in these tests is bounded.
inline bool runUntil(asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    if (io.stopped()) {
      io.restart();
    }
    io.run_for(5ms);
  }
  return true;
}

inline void runFor(asio::io_context& io, std::chrono::milliseconds duration) {
  runUntil(
      io, [] { return false; }, duration);
}

inline std::string request(std::string_view method, std::string_view transport,
                           std::string_view via_host, std::string_view branch,
                           std::string_view body = "") {
  return fmt::format("{0} sip:bob@example.com SIP/2.0\r\n"
                     "Via: SIP/2.0/{1} {2};branch=z9hG4bK{3};rport\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:alice@example.com>;tag=a1\r\n"
                     "To: <sip:bob@example.com>\r\n"
                     "Call-ID: {3}@test\r\n"
                     "CSeq: 1 {0}\r\n"
                     "Content-Length: {4}\r\n\r\n{5}",
                     method, transport, via_host, branch, body.size(), body);
}

inline std::string response(int code, std::string_view transport, std::string_view branch) {
  return fmt::format("SIP/2.0 {0} OK\r\n"
                     "Via: SIP/2.0/{1} 127.0.0.1:5060;branch=z9hG4bK{2}\r\n"
                     "From: <sip:alice@example.com>;tag=a1\r\n"
                     "To: <sip:bob@example.com>;tag=b1\r\n"
                     "Call-ID: {2}@test\r\n"
                     "CSeq: 1 OPTIONS\r\n"
                     "Content-Length: 0\r\n\r\n",
                     code, transport, branch);
}

// A plain blocking-connect, non-blocking-read socket: connects complete against the listen
// backlog without the loop running, reads are polled from runUntil().
class RawClient {
public:
  RawClient(int type, const net::Endpoint& server) {
    fd_ = ::socket(server.family(), type, 0);
    if (fd_ >= 0 && ::connect(fd_, server.sockaddrPtr(), server.sockaddrLength()) == 0) {
      ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
      connected_ = true;
    }
  }

  ~RawClient() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Reads what is there; true once the peer closed (or reset) the connection.
  bool poll() {
    char buffer[65536];
    while (true) {
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) {
        data.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        eof = true;
      }
      return eof;
    }
  }

  net::Endpoint local() const {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
    auto e = net::Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&storage), length);
    return e ? *e : net::Endpoint{};
  }

  std::string data;
  bool eof = false;

private:
  int fd_ = -1;
  bool connected_ = false;
};

} // namespace gh::sip::test
