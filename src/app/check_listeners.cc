#include "app/check_listeners.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace gh::app {

namespace {

std::string cause(int error) {
  switch (error) {
  case EADDRINUSE: return "address in use (another process, or a running gatehouse, holds it)";
  case EADDRNOTAVAIL: return "cannot assign address (it is not an address of this host)";
  case EACCES: return "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)";
  default: return std::strerror(error);
  }
}

// 0 when `address`:`port` can be bound for `transport`, else the errno.
int tryBind(const config::IpAddress& address, uint16_t port, config::Transport transport) {
  const int family = address.family == config::IpFamily::V4 ? AF_INET : AF_INET6;
  const int type = transport == config::Transport::Udp ? SOCK_DGRAM : SOCK_STREAM;
  const int fd = ::socket(family, type | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno;
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (family == AF_INET) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    std::memcpy(&sa.sin_addr, address.bytes.data(), 4);
    std::memcpy(&storage, &sa, sizeof sa);
    length = sizeof sa;
  } else {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    std::memcpy(&sa.sin6_addr, address.bytes.data(), 16);
    std::memcpy(&storage, &sa, sizeof sa);
    length = sizeof sa;
  }
  int error = 0;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0)
    error = errno;
  ::close(fd); // never keep it: `gatehouse run` binds for real
  return error;
}

} // namespace

profiles::Findings checkListeners(const config::Config& config) {
  profiles::Findings out;
  for (const config::Interface& iface : config.interfaces) {
    for (const config::SipListener& listener : iface.sip) {
      const int error = tryBind(iface.address, listener.port, listener.transport);
      if (error == 0)
        continue;
      out.push_back(
          {profiles::Severity::Error, listener.where.file.empty() ? iface.where : listener.where,
           fmt::format("interface {} cannot bind {} {}: {}", iface.name,
                       config::transportName(listener.transport),
                       config::formatSocketAddress({iface.address, listener.port}), cause(error))});
    }
  }
  return out;
}

} // namespace gh::app
