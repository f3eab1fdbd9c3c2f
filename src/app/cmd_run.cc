#include "app/cmd_run.h"

#include <cstdio>

#include <fmt/format.h>

#include "common/log.h"
#include "config/loader.h"

namespace gh::app {

int runRun(const RunOptions& options) {
  auto config = config::loadFile(options.config_path);
  if (!config) {
    std::fputs(config::formatDiagnostics(config.error()).c_str(), stderr);
    fmt::print(stderr, "gatehouse run: {} is not valid; nothing was started\n",
               options.config_path);
    return 1;
  }
  log::setAllLevels(config->log.level);
  for (const auto& m : config->log.modules) {
    log::setLevel(m.module, m.level);
  }
  if (!options.log_level.empty()) {
    if (auto level = log::levelFromName(options.log_level)) {
      log::setAllLevels(*level);
    }
  }
  GH_LOG_INFO(Module::Main, "config {} loaded: {} interface(s), {} peer(s), {} route(s)",
              options.config_path, config->interfaces.size(), config->peers.size(),
              config->routes.size());
  // The signaling engine (SIP transports, transactions, B2BUA) and the media relay are later
  // milestones; refuse to pretend to serve calls until they exist.
  GH_LOG_ERROR(Module::Main, "this build has no SIP or media engine yet: nothing to run");
  return 3;
}

} // namespace gh::app
