#pragma once
// The addresses a peer is reached at, one list for every kind of peer: its `targets` (Teams'
// SIP proxies), else its single fqdn/address. Keys name a target in PeerHealth, logs and stats.

#include <string>
#include <vector>

#include "config/config.h"

namespace gh::call {

// The peer's targets, or one made of its fqdn/address/port when it has none.
std::vector<config::PeerTarget> targetsOf(const config::Peer& peer);

// "fqdn:port", or "ip:port" for a target without fqdn.
std::string targetKey(const config::PeerTarget& target);

} // namespace gh::call
