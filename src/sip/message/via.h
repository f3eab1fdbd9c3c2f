#pragma once
// One Via value (RFC 3261 §20.42, RFC 3581 rport).
//
//   auto via = parseVia("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;rport");
//   via->transport == "UDP"; via->port == 5060; via->branch == "z9hG4bK776"; via->has_rport

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "sip/message/params.h"
#include "sip/message/uri.h"

namespace gh::sip {

inline constexpr std::string_view kMagicCookie = "z9hG4bK";

struct ViaView {
  std::string_view protocol; // "SIP"
  std::string_view version;  // "2.0"
  std::string_view transport;
  std::string_view host; // IPv6 references keep their brackets
  HostKind host_kind = HostKind::None;
  uint16_t port = 0;
  bool has_port = false;
  ParamsView params;
  std::string_view branch;
  std::string_view received;
  std::string_view maddr;
  std::optional<uint8_t> ttl;
  bool has_rport = false;
  std::optional<uint16_t> rport; // the value, when the parameter carries one

  // RFC 3261 §17.2.3: branch ids starting with the magic cookie identify the transaction.
  bool hasRfc3261Branch() const {
    return branch.size() > kMagicCookie.size() &&
           branch.substr(0, kMagicCookie.size()) == kMagicCookie;
  }
};

Result<ViaView> parseVia(std::string_view value);

} // namespace gh::sip
