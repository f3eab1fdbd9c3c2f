#include "profiles/finding.h"

#include <algorithm>

#include <fmt/format.h>

namespace gh::profiles {

std::string_view severityName(Severity severity) {
  switch (severity) {
  case Severity::Error: return "error";
  case Severity::Warning: return "warning";
  case Severity::Note: return "note";
  }
  return "error";
}

Finding ruleFinding(const Rule& rule, config::SourceLocation where, std::string_view what) {
  return {rule.severity, std::move(where), fmt::format("{}: {}", what, answer(rule)), &rule};
}

std::string formatFinding(const Finding& finding) {
  std::string out;
  const auto& w = finding.where;
  if (!w.file.empty()) {
    out = w.line == 0 ? fmt::format("{}: ", w.file)
                      : fmt::format("{}:{}:{}: ", w.file, w.line, std::max<uint32_t>(w.column, 1));
  }
  out += fmt::format("{}: {}", severityName(finding.severity), finding.message);
  if (finding.rule != nullptr)
    out += fmt::format(" [{}]", ruleTag(*finding.rule));
  return out;
}

std::size_t countSeverity(const Findings& findings, Severity severity) {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == severity; }));
}

} // namespace gh::profiles
