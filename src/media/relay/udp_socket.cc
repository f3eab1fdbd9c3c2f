#include "media/relay/udp_socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace gh::media::relay {

int openUdpSocket(const net::Endpoint& address, int buffer_bytes, std::atomic<uint64_t>& open) {
  int fd = ::socket(address.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -errno;
  }
  if (address.isV6()) {
    int only = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
  }
  if (buffer_bytes > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  }
  // Expedited forwarding, as voice expects (RFC 4594); failure only loses the marking.
  int tos = 0xb8;
  if (address.isV4()) {
    ::setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  } else {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
  }
  if (::bind(fd, address.sockaddrPtr(), address.sockaddrLength()) != 0) {
    int error = errno;
    ::close(fd);
    return -error;
  }
  open.fetch_add(1, std::memory_order_relaxed);
  return fd;
}

void closeUdpSocket(int& fd, std::atomic<uint64_t>& open) {
  if (fd >= 0) {
    ::close(fd);
    open.fetch_sub(1, std::memory_order_relaxed);
    fd = -1;
  }
}

} // namespace gh::media::relay
