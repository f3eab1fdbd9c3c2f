#include "app/cmd_check.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "app/check_listeners.h"
#include "app/check_tls.h"
#include "config/loader.h"
#include "profiles/checks.h"
#include "profiles/rules.h"

namespace gh::app {

namespace {

int printRules() {
  for (auto profile : {config::Profile::MicrosoftExchangeUm, config::Profile::TeamsDirectRouting,
                       config::Profile::CiscoCucm, config::Profile::Generic}) {
    fmt::print("### {}\n\n{}\n", config::profileName(profile), profiles::rulesMarkdown(profile));
  }
  return 0;
}

void append(profiles::Findings& to, profiles::Findings from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

} // namespace

int runCheck(const CheckOptions& options) {
  if (options.rules)
    return printRules();
  if (options.config_path.empty()) {
    fmt::print(stderr, "gatehouse check: --config is required\n");
    return 2;
  }
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

  profiles::Findings findings;
  if (!options.offline) {
    append(findings, checkTlsFiles(*config));
    append(findings, checkListeners(*config));
  }
  append(findings, profiles::checkPeers(*config));
  append(findings, profiles::checkRoutes(*config));
  // In file order, as the loader reports: the config reads top to bottom.
  std::stable_sort(findings.begin(), findings.end(),
                   [](const auto& a, const auto& b) { return a.where.line < b.where.line; });
  for (const profiles::Finding& f : findings)
    fmt::print(stderr, "{}\n", profiles::formatFinding(f));

  const std::size_t errors = profiles::countSeverity(findings, profiles::Severity::Error);
  const std::size_t warnings =
      profiles::countSeverity(findings, profiles::Severity::Warning) + config->warnings.size();
  if (errors > 0 || (options.strict && warnings > 0)) {
    fmt::print(stderr, "gatehouse check: {}: {} error(s), {} warning(s)\n", options.config_path,
               errors, warnings);
    return 1;
  }
  fmt::print("{}: valid: {} interface(s), {} peer(s), {} route(s){}{}\n", options.config_path,
             config->interfaces.size(), config->peers.size(), config->routes.size(),
             options.offline ? "; certificates and listeners not checked (--offline)"
                             : "; certificates and listeners checked",
             warnings > 0 ? fmt::format("; {} warning(s)", warnings) : std::string{});
  return 0;
}

} // namespace gh::app
