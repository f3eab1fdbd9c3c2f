#pragma once
// Expands the config's header and Request-URI templates ("<sip:${ruri.user}@${peer.fqdn}>")
// against the facts of one request.

#include <regex>
#include <string>
#include <string_view>

#include "config/types.h"

namespace gh::route {

struct TemplateFacts {
  std::string_view ruri_user{}, ruri_host{}, ruri_port{};
  std::string_view from_user{}, from_host{};
  std::string_view to_user{}, to_host{};
  std::string_view peer_name{}, peer_fqdn{}, peer_host{}, peer_port{};
  std::string_view sbc_fqdn{};
  std::string_view source_address{};
};

// `groups` feeds $0..$9 of a replace pattern; null = groups expand to nothing.
std::string expand(const config::Template& tmpl, const TemplateFacts& facts,
                   const std::match_results<std::string_view::const_iterator>* groups = nullptr);

} // namespace gh::route
