#include "net/endpoint.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace gh::net {

namespace {

std::optional<uint16_t> parsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > 65535 || text.empty()) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

} // namespace

std::optional<Endpoint> Endpoint::fromIp(std::string_view ip, uint16_t port) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']')
    ip = ip.substr(1, ip.size() - 2);
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN)
    return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';
  Endpoint e;
  if (::inet_pton(AF_INET, text, &e.storage_.v4.sin_addr) == 1) {
    e.storage_.v4.sin_family = AF_INET;
    e.storage_.v4.sin_port = htons(port);
    return e;
  }
  e.storage_ = {};
  if (::inet_pton(AF_INET6, text, &e.storage_.v6.sin6_addr) == 1) {
    e.storage_.v6.sin6_family = AF_INET6;
    e.storage_.v6.sin6_port = htons(port);
    return e;
  }
  return std::nullopt;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text, uint16_t default_port) {
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return std::nullopt;
    auto rest = text.substr(close + 1);
    uint16_t port = default_port;
    if (!rest.empty()) {
      if (rest.front() != ':')
        return std::nullopt;
      auto p = parsePort(rest.substr(1));
      if (!p)
        return std::nullopt;
      port = *p;
    }
    return fromIp(text.substr(1, close - 1), port);
  }
  auto colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    auto p = parsePort(text.substr(colon + 1));
    if (!p)
      return std::nullopt;
    return fromIp(text.substr(0, colon), *p);
  }
  return fromIp(text, default_port); // bare IPv4, or bare IPv6 without a port
}

std::optional<Endpoint> Endpoint::fromSockaddr(const sockaddr* address, socklen_t length) {
  Endpoint e;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    std::memcpy(&e.storage_.v4, address, sizeof(sockaddr_in));
    return e;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    std::memcpy(&e.storage_.v6, address, sizeof(sockaddr_in6));
    return e;
  }
  return std::nullopt;
}

Endpoint Endpoint::fromV4(uint32_t address_host_order, uint16_t port) {
  Endpoint e;
  e.storage_.v4.sin_family = AF_INET;
  e.storage_.v4.sin_addr.s_addr = htonl(address_host_order);
  e.storage_.v4.sin_port = htons(port);
  return e;
}

Endpoint Endpoint::fromV6(const uint8_t (&bytes)[16], uint16_t port) {
  Endpoint e;
  e.storage_.v6.sin6_family = AF_INET6;
  std::memcpy(&e.storage_.v6.sin6_addr, bytes, 16);
  e.storage_.v6.sin6_port = htons(port);
  return e;
}

uint16_t Endpoint::port() const {
  if (isV4())
    return ntohs(storage_.v4.sin_port);
  if (isV6())
    return ntohs(storage_.v6.sin6_port);
  return 0;
}

void Endpoint::setPort(uint16_t port) {
  if (isV4())
    storage_.v4.sin_port = htons(port);
  if (isV6())
    storage_.v6.sin6_port = htons(port);
}

socklen_t Endpoint::sockaddrLength() const {
  if (isV4())
    return sizeof(sockaddr_in);
  if (isV6())
    return sizeof(sockaddr_in6);
  return 0;
}

std::string Endpoint::ip() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (isV4())
    ::inet_ntop(AF_INET, &storage_.v4.sin_addr, text, sizeof text);
  if (isV6())
    ::inet_ntop(AF_INET6, &storage_.v6.sin6_addr, text, sizeof text);
  return text;
}

std::string Endpoint::ipForUri() const {
  return isV6() ? "[" + ip() + "]" : ip();
}

std::string Endpoint::toString() const {
  if (!valid())
    return "(none)";
  return ipForUri() + ":" + std::to_string(port());
}

bool Endpoint::sameAddress(const Endpoint& other) const {
  if (family() != other.family())
    return false;
  if (isV4())
    return storage_.v4.sin_addr.s_addr == other.storage_.v4.sin_addr.s_addr;
  if (isV6()) {
    return std::memcmp(&storage_.v6.sin6_addr, &other.storage_.v6.sin6_addr, 16) == 0;
  }
  return true;
}

bool operator==(const Endpoint& a, const Endpoint& b) {
  return a.sameAddress(b) && a.port() == b.port();
}

std::size_t Endpoint::hash() const {
  std::size_t h = std::hash<uint32_t>{}(port());
  if (isV4())
    return h ^ (std::hash<uint32_t>{}(storage_.v4.sin_addr.s_addr) * 0x9e3779b97f4a7c15ull);
  if (isV6()) {
    uint64_t parts[2];
    std::memcpy(parts, &storage_.v6.sin6_addr, 16);
    return h ^ ((parts[0] * 0x9e3779b97f4a7c15ull) + parts[1]);
  }
  return h;
}

} // namespace gh::net
