#include "route/source_filter.h"

#include <cstring>

namespace gh::route {

namespace {

// The address bytes in network order and their length (4 or 16), or 0 when not IP.
std::size_t addressBytes(const net::Endpoint& e, const uint8_t*& bytes) {
  if (e.isV4()) {
    bytes = reinterpret_cast<const uint8_t*>(
        &reinterpret_cast<const sockaddr_in*>(e.sockaddrPtr())->sin_addr);
    return 4;
  }
  if (e.isV6()) {
    bytes = reinterpret_cast<const uint8_t*>(
        &reinterpret_cast<const sockaddr_in6*>(e.sockaddrPtr())->sin6_addr);
    return 16;
  }
  return 0;
}

std::size_t familySize(const config::IpAddress& ip) {
  return ip.family == config::IpFamily::V4 ? 4 : 16;
}

} // namespace

bool sameIp(const config::IpAddress& ip, const net::Endpoint& address) {
  const uint8_t* bytes = nullptr;
  std::size_t n = addressBytes(address, bytes);
  return n != 0 && n == familySize(ip) && std::memcmp(ip.bytes.data(), bytes, n) == 0;
}

bool cidrContains(const config::Cidr& cidr, const net::Endpoint& address) {
  const uint8_t* bytes = nullptr;
  std::size_t n = addressBytes(address, bytes);
  if (n == 0 || n != familySize(cidr.network))
    return false;
  unsigned bits = cidr.prefix_length;
  for (std::size_t i = 0; i < n && bits > 0; ++i) {
    unsigned take = bits >= 8 ? 8 : bits;
    auto mask = static_cast<uint8_t>(0xff00u >> take);
    if ((bytes[i] & mask) != (cidr.network.bytes[i] & mask))
      return false;
    bits -= take;
  }
  return true;
}

std::optional<std::size_t> SourceFilter::peerOf(const net::Endpoint& source) const {
  const auto& peers = config_->peers;
  for (std::size_t i = 0; i < peers.size(); ++i) {
    if (peers[i].address && sameIp(peers[i].address->ip, source))
      return i;
    for (const auto& target : peers[i].targets) {
      if (target.address && sameIp(target.address->ip, source))
        return i;
    }
    for (const auto& cidr : peers[i].sources) {
      if (cidrContains(cidr, source))
        return i;
    }
  }
  return std::nullopt;
}

SourceVerdict SourceFilter::classify(std::size_t interface_index,
                                     const net::Endpoint& source) const {
  SourceVerdict verdict;
  verdict.peer = peerOf(source);
  if (interface_index >= config_->interfaces.size())
    return verdict;
  const config::Interface& iface = config_->interfaces[interface_index];
  if (verdict.peer && config_->peers[*verdict.peer].interface.name == iface.name) {
    verdict.allowed = true;
    return verdict;
  }
  for (const auto& cidr : iface.allow) {
    if (cidrContains(cidr, source)) {
      verdict.allowed = true;
      return verdict;
    }
  }
  return verdict;
}

} // namespace gh::route
