#pragma once

#include <string>

namespace gh::app {

struct CheckOptions {
  std::string config_path;
};

// Exit codes: 0 clean, 1 findings (errors in the config), 2 usage or unreadable file.
int runCheck(const CheckOptions& options);

} // namespace gh::app
