#pragma once
// `gatehouse check`, certificates: opens each certificate, key and CA bundle the config names
// (the loader never does) and judges them with profiles/certificate_rules.h under the profile of
// every TLS peer that sees them.

#include "config/config.h"
#include "profiles/finding.h"

namespace gh::app {

profiles::Findings checkTlsFiles(const config::Config& config);

} // namespace gh::app
