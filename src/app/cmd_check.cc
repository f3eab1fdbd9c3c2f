#include "app/cmd_check.h"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "config/loader.h"

namespace gh::app {

int runCheck(const CheckOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.config_path, ec)) {
    fmt::print(stderr, "gatehouse check: cannot read config '{}': no such file\n",
               options.config_path);
    return 2;
  }
  auto config = config::loadFile(options.config_path);
  if (!config) {
    std::fputs(config::formatDiagnostics(config.error()).c_str(), stderr);
    fmt::print(stderr, "gatehouse check: {} is not valid; nothing was started\n",
               options.config_path);
    return 1;
  }
  if (!config->warnings.empty()) {
    std::fputs(config::formatDiagnostics(config->warnings).c_str(), stderr);
  }
  fmt::print("{}: valid: {} interface(s), {} peer(s), {} route(s)\n", options.config_path,
             config->interfaces.size(), config->peers.size(), config->routes.size());
  return 0;
}

} // namespace gh::app
