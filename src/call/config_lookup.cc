#include "call/config_lookup.h"

namespace gh::call {

sip::Transport toSipTransport(config::Transport transport) {
  switch (transport) {
  case config::Transport::Udp: return sip::Transport::Udp;
  case config::Transport::Tcp: return sip::Transport::Tcp;
  case config::Transport::Tls: return sip::Transport::Tls;
  }
  return sip::Transport::Udp;
}

std::optional<std::size_t> interfaceIndex(const config::Config& config, std::string_view name) {
  for (std::size_t i = 0; i < config.interfaces.size(); ++i) {
    if (config.interfaces[i].name == name)
      return i;
  }
  return std::nullopt;
}

} // namespace gh::call
