#pragma once
// One SIP connection of a simulated peer in `gatehouse demo`: a TCP socket, optionally wrapped
// in TLS, with deadlines on every read and write so a silent or broken Gatehouse makes the demo
// fail with a reason instead of hanging. Messages are cut from the stream by Content-Length.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "sip/message/message.h"

namespace gh::app::demo {

class SipStream {
public:
  SipStream() = default;

  SipStream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {} // takes both

  SipStream(SipStream&& other) noexcept;
  SipStream& operator=(SipStream&& other) noexcept;
  SipStream(const SipStream&) = delete;
  SipStream& operator=(const SipStream&) = delete;
  ~SipStream();

  bool isOpen() const { return fd_ >= 0; }

  SSL* ssl() const { return ssl_; }

  // Server side of a TLS handshake on an accepted socket.
  bool acceptTls(std::chrono::milliseconds timeout, std::string& why);
  bool send(std::string_view bytes, std::string& why);
  // The next SIP message; nullopt with `why` on timeout, close or a framing/parse error.
  std::optional<sip::Message> receive(std::chrono::milliseconds timeout, std::string& why);
  void close();

private:
  // Waits until the socket is readable (or writable); false on timeout.
  bool wait(bool for_write, std::chrono::steady_clock::time_point deadline) const;

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

// A non-blocking TCP socket bound to `local_ip` (port 0 = any) and, for `listen`, listening.
int listenTcp(std::string_view ip, uint16_t port, std::string& why);
// Connects from `local_ip` to ip:port within `timeout`.
int connectTcp(std::string_view local_ip, std::string_view ip, uint16_t port,
               std::chrono::milliseconds timeout, std::string& why);
// Accepts one connection within `timeout`; -1 with `why` otherwise.
int acceptTcp(int listener, std::chrono::milliseconds timeout, std::string& why);

} // namespace gh::app::demo
