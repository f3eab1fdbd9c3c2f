#pragma once
// Reads a TOML config into a validated Config, or reports every problem it finds in one pass.
// Loading is pure: it reads the TOML file and nothing else (certificate files are checked by
// `gatehouse check`), opens no socket, and either returns a complete Config or none.
//
//   auto config = gh::config::loadFile("/etc/gatehouse/gatehouse.toml");
//   if (!config) {
//     std::cerr << gh::config::formatDiagnostics(config.error());  // file:line:col: ...; hint
//     return 1;
//   }
//   auto snapshot = std::make_shared<const gh::config::Config>(std::move(*config));

#include <filesystem>
#include <string_view>

#include "common/expected.h"
#include "config/config.h"
#include "config/diagnostic.h"

namespace gh::config {

// On failure: every error, plus the warnings, sorted by position. On success the warnings are in
// Config::warnings.
using LoadResult = Expected<Config, Diagnostics>;

// Relative paths in the file resolve against the file's own folder (made absolute).
LoadResult loadFile(const std::filesystem::path& path);

// `name` is what diagnostics print. Relative paths resolve against `base_dir`, or against the
// folder part of `name` when `base_dir` is empty.
LoadResult loadString(std::string_view text, std::string_view name,
                      const std::filesystem::path& base_dir = {});

} // namespace gh::config
