#pragma once
// One finding about a config file, printed as `file:line:col: message; hint`.

#include <cstdint>
#include <string>
#include <vector>

#include "config/source_location.h"

namespace gh::config {

enum class Severity : uint8_t { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;
  std::string hint; // how to fix it; may be empty
};

using Diagnostics = std::vector<Diagnostic>;

// `file:line:col: message; hint` for errors, `file:line:col: warning: message; hint` for
// warnings; `file: message` when the line is unknown (0).
std::string formatDiagnostic(const Diagnostic& diagnostic);
// One formatted diagnostic per line, each ending in '\n'.
std::string formatDiagnostics(const Diagnostics& diagnostics);
bool hasErrors(const Diagnostics& diagnostics);

} // namespace gh::config
