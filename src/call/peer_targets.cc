#include "call/peer_targets.h"

#include <fmt/format.h>

namespace gh::call {

std::vector<config::PeerTarget> targetsOf(const config::Peer& peer) {
  if (!peer.targets.empty())
    return peer.targets;
  config::PeerTarget single;
  single.fqdn = peer.fqdn;
  single.address = peer.address;
  single.port = peer.port;
  single.where = peer.where;
  return {single};
}

std::string targetKey(const config::PeerTarget& target) {
  if (!target.fqdn.empty())
    return fmt::format("{}:{}", target.fqdn, target.port);
  std::string ip = target.address ? config::formatIpAddress(target.address->ip) : "?";
  if (target.address && target.address->ip.family == config::IpFamily::V6)
    ip = "[" + ip + "]";
  return fmt::format("{}:{}", ip, target.port);
}

} // namespace gh::call
