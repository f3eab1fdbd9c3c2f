#pragma once
// Small translations from the config's vocabulary to the SIP layer's, shared by the B2BUA, the
// OPTIONS pinger and the app that wires them.

#include <cstddef>
#include <optional>
#include <string_view>

#include "config/config.h"
#include "sip/transport/flow.h"

namespace gh::call {

sip::Transport toSipTransport(config::Transport transport);

// Position of the interface called `name` in config.interfaces.
std::optional<std::size_t> interfaceIndex(const config::Config& config, std::string_view name);

} // namespace gh::call
