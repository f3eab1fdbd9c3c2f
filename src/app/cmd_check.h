#pragma once

#include <string>

namespace gh::app {

struct CheckOptions {
  std::string config_path;
  bool offline = false; // skip certificate files and listener binds (config for another host)
  bool strict = false;  // warnings count as findings
  bool rules = false;   // print the profile rule table instead of checking
};

// Loads the config, then checks what the loader cannot: certificate files, listeners, routes
// against the profile rules of the peers they reach. Exit codes: 0 clean (warnings and notes
// allowed unless strict), 1 findings, 2 usage or unreadable config file.
int runCheck(const CheckOptions& options);

} // namespace gh::app
