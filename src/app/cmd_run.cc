#include "app/cmd_run.h"

#include <cstdio>

#include <fmt/format.h>

#include "app/control_server.h"
#include "app/media_node.h"
#include "app/sip_node.h"
#include "common/log.h"
#include "config/loader.h"

namespace gh::app {

namespace {

void applyLogLevels(const config::Config& config, const std::string& override_level) {
  log::setAllLevels(config.log.level);
  for (const auto& m : config.log.modules)
    log::setLevel(m.module, m.level);
  if (!override_level.empty()) {
    if (auto level = log::levelFromName(override_level))
      log::setAllLevels(*level);
  }
}

} // namespace

int runRun(const RunOptions& options) {
  auto config = config::loadFile(options.config_path);
  if (!config) {
    std::fputs(config::formatDiagnostics(config.error()).c_str(), stderr);
    fmt::print(stderr, "gatehouse run: {} is not valid; nothing was started\n",
               options.config_path);
    return 1;
  }
  applyLogLevels(*config, options.log_level);
  GH_LOG_INFO(Module::Main, "config {} loaded: {} interface(s), {} peer(s), {} route(s)",
              options.config_path, config->interfaces.size(), config->peers.size(),
              config->routes.size());
  SipNode node(std::make_shared<const config::Config>(std::move(*config)),
               {.config_path = options.config_path,
                .control_socket = options.control_socket,
                .drain = std::chrono::seconds(options.drain_seconds)});
  std::string why;
  if (!node.start(why)) {
    GH_LOG_ERROR(Module::Main, "cannot start: {}", why);
    fmt::print(stderr, "gatehouse run: cannot start: {}\n", why);
    return 1;
  }
  return node.run();
}

int runMedia(const MediaOptions& options) {
  auto config = config::loadFile(options.config_path);
  if (!config) {
    std::fputs(config::formatDiagnostics(config.error()).c_str(), stderr);
    fmt::print(stderr, "gatehouse media: {} is not valid; nothing was started\n",
               options.config_path);
    return 1;
  }
  applyLogLevels(*config, options.log_level);
  MediaNode node(std::make_shared<const config::Config>(std::move(*config)),
                 {.control_socket = options.control_socket, .workers = options.workers});
  std::string why;
  if (!node.start(why)) {
    GH_LOG_ERROR(Module::Main, "cannot start: {}", why);
    fmt::print(stderr, "gatehouse media: cannot start: {}\n", why);
    return 1;
  }
  return node.run();
}

int runControl(const ControlOptions& options) {
  std::string path = options.control_socket;
  if (path.empty()) {
    config::Config defaults;
    path = defaults.sbc.control_socket;
    if (!options.config_path.empty()) {
      auto config = config::loadFile(options.config_path);
      if (!config) {
        std::fputs(config::formatDiagnostics(config.error()).c_str(), stderr);
        return 1;
      }
      path = config->sbc.control_socket;
    }
  }
  std::string answer, why;
  if (!controlRequest(path, options.command, answer, why)) {
    fmt::print(stderr, "gatehouse {}: {}\n", options.command, why);
    return 1;
  }
  std::fputs(answer.c_str(), stdout);
  return answer.rfind("error:", 0) == 0 ? 1 : 0;
}

} // namespace gh::app
