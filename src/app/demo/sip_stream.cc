#include "app/demo/sip_stream.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <openssl/err.h>

#include "sip/parser/framing.h"
#include "sip/parser/parser.h"

namespace gh::app::demo {

namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

bool setNonBlocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// The peers write a 100 and a 200 back to back: without this the 200 waits for the ACK of the
// 100 (Nagle + delayed ACK, ~40 ms) and the ladder would show the peer's delay as Gatehouse's.
void noDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool toAddress(std::string_view ip, uint16_t port, sockaddr_in& out) {
  std::memset(&out, 0, sizeof out);
  out.sin_family = AF_INET;
  out.sin_port = htons(port);
  std::string text(ip);
  return ::inet_pton(AF_INET, text.c_str(), &out.sin_addr) == 1;
}

std::string tlsError() {
  unsigned long code = ERR_get_error();
  char text[256] = "connection closed";
  if (code != 0)
    ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

} // namespace

SipStream::SipStream(SipStream&& other) noexcept
    : fd_(other.fd_), ssl_(other.ssl_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
  other.ssl_ = nullptr;
}

SipStream& SipStream::operator=(SipStream&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    ssl_ = other.ssl_;
    buffer_ = std::move(other.buffer_);
    other.fd_ = -1;
    other.ssl_ = nullptr;
  }
  return *this;
}

SipStream::~SipStream() {
  close();
}

void SipStream::close() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool SipStream::wait(bool for_write, Clock::time_point deadline) const {
  pollfd p{.fd = fd_, .events = static_cast<short>(for_write ? POLLOUT : POLLIN), .revents = 0};
  while (true) {
    int n = ::poll(&p, 1, remainingMs(deadline));
    if (n > 0)
      return true;
    if (n == 0 || errno != EINTR)
      return false;
  }
}

bool SipStream::acceptTls(std::chrono::milliseconds timeout, std::string& why) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    int r = SSL_accept(ssl_);
    if (r == 1)
      return true;
    int err = SSL_get_error(ssl_, r);
    if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) ||
        !wait(err == SSL_ERROR_WANT_WRITE, deadline)) {
      why = err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE
                ? "TLS handshake timed out"
                : fmt::format("TLS handshake failed: {}", tlsError());
      return false;
    }
  }
}

bool SipStream::send(std::string_view bytes, std::string& why) {
  auto deadline = Clock::now() + std::chrono::seconds(5);
  std::size_t done = 0;
  while (done < bytes.size()) {
    if (ssl_ != nullptr) {
      int r = SSL_write(ssl_, bytes.data() + done, static_cast<int>(bytes.size() - done));
      if (r > 0) {
        done += static_cast<std::size_t>(r);
        continue;
      }
      int err = SSL_get_error(ssl_, r);
      if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
          wait(err == SSL_ERROR_WANT_WRITE, deadline))
        continue;
      why = fmt::format("TLS write failed: {}", tlsError());
      return false;
    }
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR) && wait(true, deadline))
      continue;
    why = fmt::format("send failed: {}", n < 0 ? std::strerror(errno) : "timed out");
    return false;
  }
  return true;
}

std::optional<sip::Message> SipStream::receive(std::chrono::milliseconds timeout,
                                               std::string& why) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    auto frame = sip::frameStream(buffer_);
    if (!frame) {
      why = fmt::format("unframeable stream: {}", frame.error().what);
      return std::nullopt;
    }
    if (frame->kind == sip::StreamFrame::Kind::KeepAlive) {
      buffer_.erase(0, frame->length);
      continue;
    }
    if (frame->kind == sip::StreamFrame::Kind::Message) {
      auto message = sip::parseMessage(std::string_view(buffer_).substr(0, frame->length), {},
                                       sip::Framing::Stream);
      buffer_.erase(0, frame->length);
      if (!message) {
        why = fmt::format("unparseable message: {}", message.error().what);
        return std::nullopt;
      }
      return std::move(*message);
    }
    char chunk[16384];
    int got = 0;
    if (ssl_ != nullptr) {
      int r = SSL_read(ssl_, chunk, sizeof chunk);
      if (r <= 0) {
        int err = SSL_get_error(ssl_, r);
        if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
            wait(err == SSL_ERROR_WANT_WRITE, deadline))
          continue;
        why = err == SSL_ERROR_WANT_READ ? "timed out" : fmt::format("TLS: {}", tlsError());
        return std::nullopt;
      }
      got = r;
    } else {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (wait(false, deadline))
          continue;
        why = "timed out";
        return std::nullopt;
      }
      if (n <= 0) {
        why = n == 0 ? "connection closed by Gatehouse" : std::strerror(errno);
        return std::nullopt;
      }
      got = static_cast<int>(n);
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

int listenTcp(std::string_view ip, uint16_t port, std::string& why) {
  sockaddr_in addr{};
  if (!toAddress(ip, port, addr)) {
    why = fmt::format("bad address {}", ip);
    return -1;
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0) {
    why = fmt::format("cannot listen on {}:{}: {}", ip, port, std::strerror(errno));
    if (fd >= 0)
      ::close(fd);
    return -1;
  }
  return fd;
}

int acceptTcp(int listener, std::chrono::milliseconds timeout, std::string& why) {
  pollfd p{.fd = listener, .events = POLLIN, .revents = 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
    why = "no connection arrived";
    return -1;
  }
  int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0)
    why = fmt::format("accept failed: {}", std::strerror(errno));
  else
    noDelay(fd);
  return fd;
}

int connectTcp(std::string_view local_ip, std::string_view ip, uint16_t port,
               std::chrono::milliseconds timeout, std::string& why) {
  sockaddr_in local{}, remote{};
  if (!toAddress(local_ip, 0, local) || !toAddress(ip, port, remote)) {
    why = "bad address";
    return -1;
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      !setNonBlocking(fd)) {
    why = fmt::format("cannot bind {}: {}", local_ip, std::strerror(errno));
    if (fd >= 0)
      ::close(fd);
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0 &&
      errno != EINPROGRESS) {
    why = fmt::format("cannot connect to {}:{}: {}", ip, port, std::strerror(errno));
    ::close(fd);
    return -1;
  }
  pollfd p{.fd = fd, .events = POLLOUT, .revents = 0};
  int error = 0;
  socklen_t len = sizeof error;
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0 ||
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
    why = fmt::format("cannot connect to {}:{}: {}", ip, port,
                      error != 0 ? std::strerror(error) : "timed out");
    ::close(fd);
    return -1;
  }
  noDelay(fd);
  return fd;
}

} // namespace gh::app::demo
