#pragma once

#include <string>

namespace gh::app {

struct RunOptions {
  std::string config_path;
  std::string log_level; // overrides [log] level when set
};

int runRun(const RunOptions& options);

} // namespace gh::app
