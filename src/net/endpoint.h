#pragma once
// An IP address and port as the kernel wants it (sockaddr_in / sockaddr_in6), shared by the SIP
// transports and the media relay so that neither converts addresses on its hot path.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gh::net {

class Endpoint {
public:
  Endpoint() = default;

  // "192.0.2.1:5060", "[2001:db8::1]:5060"; a missing port is `default_port`.
  static std::optional<Endpoint> parse(std::string_view text, uint16_t default_port = 0);
  // A bare address ("192.0.2.1", "2001:db8::1", "[2001:db8::1]") and a port.
  static std::optional<Endpoint> fromIp(std::string_view ip, uint16_t port);
  static std::optional<Endpoint> fromSockaddr(const sockaddr* address, socklen_t length);
  static Endpoint fromV4(uint32_t address_host_order, uint16_t port);
  static Endpoint fromV6(const uint8_t (&bytes)[16], uint16_t port);

  bool valid() const { return storage_.any.sa_family != AF_UNSPEC; }

  bool isV4() const { return storage_.any.sa_family == AF_INET; }

  bool isV6() const { return storage_.any.sa_family == AF_INET6; }

  int family() const { return storage_.any.sa_family; }

  uint16_t port() const;
  void setPort(uint16_t port);

  // Host order, valid when isV4().
  uint32_t v4() const { return ntohl(storage_.v4.sin_addr.s_addr); }

  const sockaddr* sockaddrPtr() const { return &storage_.any; }

  sockaddr* sockaddrPtr() { return &storage_.any; }

  socklen_t sockaddrLength() const;

  static constexpr socklen_t capacity() { return sizeof(Storage); }

  std::string ip() const;       // "192.0.2.1", "2001:db8::1"
  std::string ipForUri() const; // "192.0.2.1", "[2001:db8::1]" (RFC 3261 host)
  std::string toString() const; // "192.0.2.1:5060", "[2001:db8::1]:5060"

  bool sameAddress(const Endpoint& other) const; // ignores the port
  friend bool operator==(const Endpoint& a, const Endpoint& b);
  std::size_t hash() const;

private:
  union Storage {
    sockaddr any;
    sockaddr_in v4;
    sockaddr_in6 v6;
  };

  Storage storage_{.any = {.sa_family = AF_UNSPEC, .sa_data = {}}};
};

} // namespace gh::net

template <>
struct std::hash<gh::net::Endpoint> {
  std::size_t operator()(const gh::net::Endpoint& e) const noexcept { return e.hash(); }
};
