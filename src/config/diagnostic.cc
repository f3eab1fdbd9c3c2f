#include "config/diagnostic.h"

#include <algorithm>

namespace gh::config {

std::string formatDiagnostic(const Diagnostic& diagnostic) {
  std::string out = diagnostic.where.file;
  if (diagnostic.where.line != 0) {
    out += ':';
    out += std::to_string(diagnostic.where.line);
    out += ':';
    out += std::to_string(diagnostic.where.column);
  }
  out += ": ";
  if (diagnostic.severity == Severity::Warning) {
    out += "warning: ";
  }
  out += diagnostic.message;
  if (!diagnostic.hint.empty()) {
    out += "; ";
    out += diagnostic.hint;
  }
  return out;
}

std::string formatDiagnostics(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += formatDiagnostic(d);
    out += '\n';
  }
  return out;
}

bool hasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

} // namespace gh::config
