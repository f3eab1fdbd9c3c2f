#pragma once
// Does a certificate name the SBC? The names come from the certificate (SAN DNS entries and the
// subject CN); how they are compared depends on the profile of the peer that checks them:
// Exchange UM wants the exact name in the same case and refuses wildcards, Teams and RFC 6125
// peers compare without case and let "*.example.com" cover exactly one label.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace gh::profiles {

enum class NameMatch : uint8_t {
  Exact,         // a name equals the FQDN byte for byte
  CaseDiffers,   // equal ignoring case only
  Wildcard,      // "*.example.com" covers "sbc.example.com"
  WildcardDepth, // "*.example.com" against "a.b.example.com": a wildcard covers one label only
  NoMatch,
};

struct NameRules {
  bool case_sensitive = false;
  bool wildcard_allowed = true;
};

NameRules nameRules(config::Profile profile);

struct NameVerdict {
  NameMatch match = NameMatch::NoMatch;
  std::string name;      // the certificate name that came closest (empty when there is none)
  bool accepted = false; // under the profile's rules
};

// The best match of `names` (SAN DNS names and CN) against `fqdn`, judged by `profile`.
NameVerdict matchCertificateName(const std::vector<std::string>& names, std::string_view fqdn,
                                 config::Profile profile);

bool isWildcardName(std::string_view name);

} // namespace gh::profiles
