#include "media/ng/ng_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/log.h"

namespace gh::media::ng {

namespace {

std::string errnoText(const char* what) {
  return fmt::format("{}: {}", what, std::strerror(errno));
}

} // namespace

Expected<std::unique_ptr<NgServer>, std::string> NgServer::create(MediaControl& media,
                                                                  NgServerOptions options) {
  if (!options.listen.valid())
    return Unexpected(std::string("NG listen address is not set"));
  const int fd = ::socket(options.listen.family(), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return Unexpected(errnoText("NG socket"));
  // No SO_REUSEADDR: on Linux it lets a second UDP socket bind the same port, and a second
  // daemon silently sharing the controller's datagrams is worse than failing at startup.
  // Controllers pipeline bursts of offers (the benchmark keeps 32 in flight); best effort.
  const int rcvbuf = 4 << 20;
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  if (::bind(fd, options.listen.sockaddrPtr(), options.listen.sockaddrLength()) != 0) {
    std::string error = errnoText(fmt::format("NG bind {}", options.listen.toString()).c_str());
    ::close(fd);
    return Unexpected(std::move(error));
  }
  net::Endpoint local = options.listen;
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
    if (auto e = net::Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&bound), length))
      local = *e;
  }
  const int efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0) {
    std::string error = errnoText("NG eventfd");
    ::close(fd);
    return Unexpected(std::move(error));
  }
  return std::unique_ptr<NgServer>(new NgServer(media, std::move(options), fd, efd, local));
}

NgServer::NgServer(MediaControl& media, NgServerOptions options, int socket_fd, int event_fd,
                   net::Endpoint local)
    : options_(std::move(options)), fd_(socket_fd), event_fd_(event_fd), local_(local),
      buffer_(options_.max_datagram + 1) {
  handler_ = std::make_unique<NgHandler>(media, options_.handler,
                                         [this](std::function<void()> fn) { post(std::move(fn)); });
}

NgServer::~NgServer() {
  stop();
  handler_.reset(); // before the descriptors: late completions find the handler gone
  ::close(fd_);
  ::close(event_fd_);
}

void NgServer::start() {
  if (thread_.joinable() || stopping_.load())
    return;
  GH_LOG_INFO(Module::Ng, "NG control listening on udp {}", local_.toString());
  thread_ = std::thread([this] { run(); });
}

void NgServer::stop() {
  stopping_.store(true);
  const uint64_t one = 1;
  (void)::write(event_fd_, &one, sizeof(one));
  if (thread_.joinable())
    thread_.join();
  std::lock_guard lock(posted_mutex_);
  posted_.clear();
}

void NgServer::post(std::function<void()> fn) {
  if (stopping_.load())
    return;
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(fn));
  }
  const uint64_t one = 1;
  (void)::write(event_fd_, &one, sizeof(one));
}

NgServerCounters NgServer::counters() const {
  return NgServerCounters{handler_->counters(), oversize_.load(std::memory_order_relaxed),
                          send_errors_.load(std::memory_order_relaxed)};
}

void NgServer::drainPosted() {
  uint64_t value = 0;
  (void)::read(event_fd_, &value, sizeof(value));
  std::vector<std::function<void()>> work;
  {
    std::lock_guard lock(posted_mutex_);
    work.swap(posted_);
  }
  for (auto& fn : work)
    fn();
}

void NgServer::sendTo(const net::Endpoint& peer, const std::string& reply) {
  const ssize_t n = ::sendto(fd_, reply.data(), reply.size(), MSG_NOSIGNAL, peer.sockaddrPtr(),
                             peer.sockaddrLength());
  if (n < 0) {
    send_errors_.fetch_add(1, std::memory_order_relaxed);
    GH_LOG_WARN(Module::Ng, "NG reply of {} octets to {} failed: {}", reply.size(), peer.toString(),
                std::strerror(errno));
  }
}

void NgServer::receive() {
  // Bounded per wakeup so that posted completions are never starved by a flood.
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage from{};
    socklen_t length = sizeof(from);
    const ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&from), &length);
    if (n < 0)
      return; // EAGAIN, or an error we cannot act on (ICMP errors surface here)
    auto peer = net::Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&from), length);
    if (!peer)
      continue;
    if (static_cast<std::size_t>(n) > options_.max_datagram) {
      oversize_.fetch_add(1, std::memory_order_relaxed);
      GH_LOG_WARN(Module::Ng, "dropped NG datagram of {} octets from {}", n, peer->toString());
      continue;
    }
    const std::string_view datagram(buffer_.data(), static_cast<std::size_t>(n));
    handler_->handle(datagram, peer->toString(),
                     [this, to = *peer](std::string reply) { sendTo(to, reply); });
  }
}

void NgServer::run() {
  handler_->bindToCurrentThread();
  pollfd fds[2] = {{fd_, POLLIN, 0}, {event_fd_, POLLIN, 0}};
  while (!stopping_.load()) {
    const int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      GH_LOG_ERROR(Module::Ng, "NG poll failed: {}", std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN)
      drainPosted();
    if (stopping_.load())
      break;
    if (fds[0].revents & POLLIN)
      receive();
  }
}

} // namespace gh::media::ng
