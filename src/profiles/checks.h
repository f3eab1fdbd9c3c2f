#pragma once
// The profile and route checks of `gatehouse check` that need the config alone (no files, no
// sockets): each peer's keys against its profile's rules, and every route against the rules of
// the peers it reaches. Certificates are judged in certificate_rules.h from facts read by app/.

#include "config/config.h"
#include "profiles/finding.h"

namespace gh::profiles {

// Transport, port, identity, keep-alives and TLS version of each peer against its profile.
Findings checkPeers(const config::Config& config);

// Every route: its target peers exist and their interface listens on their transport; the
// request it sends (To host) and the media it offers satisfy the target peer's profile; the
// media toward a PBX source suits that PBX.
Findings checkRoutes(const config::Config& config);

} // namespace gh::profiles
