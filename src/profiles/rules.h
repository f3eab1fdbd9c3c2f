#pragma once
// What each peer profile demands, as data: one row per rule with the answer the peer gives when
// the rule is broken and a one-line why. `gatehouse check` evaluates these rows, and
// docs/microsoft.md documents the same rows (a unit test keeps the two in step).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "config/config.h"

namespace gh::profiles {

enum class Severity : uint8_t { Error, Warning, Note };

enum class RuleId : uint8_t {
  TlsTransport,      // the peer speaks SIP over TLS only
  Port5061,          // ... and only on 5061
  CertificateName,   // our certificate names [sbc] fqdn under the profile's matching rules
  NoWildcard,        // a wildcard certificate is refused outright
  ClientCertificate, // mutual TLS: our certificate carries the Client Authentication EKU
  FqdnIdentity,      // Contact and Via carry [sbc] fqdn
  TlsVersion,        // the TLS versions the peer negotiates
  OptionsInterval,   // OPTIONS keep-alives the peer expects
  ToHost,            // the To host toward the peer
  MediaAnchored,     // the route relays media (so the policy below is applied at all)
  SrtpOffered,       // SDES-SRTP with AES_CM_128_HMAC_SHA1_80
  NoRtcpMux,         // no a=rtcp-mux in the offer
  NoIce,             // no ICE attribute in the offer
  PlainTransport,    // tcp/udp toward a PBX trunk
  PlainRtp,          // plain RTP toward a PBX trunk
};

struct Rule {
  config::Profile profile;
  RuleId id;
  std::string_view key;         // with the profile name, the tag printed after a finding
  Severity severity;            // of the finding when the rule is broken
  uint16_t response;            // SIP status the peer answers; 0 = no SIP answer (see outcome)
  std::string_view outcome;     // what the peer does: "answers 488", "refuses the TLS handshake"
  std::string_view requirement; // what the config must say
  std::string_view why;         // one line: why the peer insists
};

std::span<const Rule> allRules();
// nullptr when the profile has no such rule.
const Rule* findRule(config::Profile profile, RuleId id);

// "Exchange UM", "Teams", "CUCM", "the peer": how findings name the peer's software.
std::string_view peerLabel(config::Profile profile);
// "Exchange UM answers 488", "Teams refuses the TLS connection".
std::string answer(const Rule& rule);
// "microsoft-exchange-um.to-host".
std::string ruleTag(const Rule& rule);
// The table as markdown rows (`gatehouse check --rules`, and docs/microsoft.md's tables).
std::string rulesMarkdown(config::Profile profile);

} // namespace gh::profiles
