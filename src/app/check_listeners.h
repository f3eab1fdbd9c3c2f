#pragma once
// `gatehouse check`, listeners: binds every [[interface]] SIP listener once (SO_REUSEADDR, as
// `gatehouse run` will) and closes it again, so that "address in use" or "cannot assign
// address" shows before the node is started rather than when it starts.

#include "config/config.h"
#include "profiles/finding.h"

namespace gh::app {

profiles::Findings checkListeners(const config::Config& config);

} // namespace gh::app
