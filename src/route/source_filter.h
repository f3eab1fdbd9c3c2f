#pragma once
// Who may send SIP to an interface. A source is admitted when its IP is in the interface's allow
// list or is one of the peers reached through that interface; anything else is dropped without
// an answer (no open relay, and no reply that confirms a SIP server to a scanner).

#include <cstddef>
#include <optional>
#include <vector>

#include "config/config.h"
#include "net/endpoint.h"

namespace gh::route {

bool cidrContains(const config::Cidr& cidr, const net::Endpoint& address);
bool sameIp(const config::IpAddress& ip, const net::Endpoint& address);

struct SourceVerdict {
  bool allowed = false;
  std::optional<std::size_t> peer; // index into Config::peers when the source is a known peer
};

class SourceFilter {
public:
  explicit SourceFilter(const config::Config& config) : config_(&config) {}

  SourceVerdict classify(std::size_t interface_index, const net::Endpoint& source) const;
  // The peer a source address belongs to, on any interface.
  std::optional<std::size_t> peerOf(const net::Endpoint& source) const;

private:
  const config::Config* config_;
};

} // namespace gh::route
