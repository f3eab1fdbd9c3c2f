#pragma once
// Checks that need the whole configuration: names that must exist or be unique, listeners and
// port ranges that collide, TLS material a listener needs, regexes that must compile and
// templates whose variables must have a value (internal to the config module).

#include "config/config.h"
#include "config/diagnostic.h"

namespace gh::config {

void validateConfig(const Config& config, Diagnostics& diagnostics);

} // namespace gh::config
