#pragma once
// One result of `gatehouse check`: severity, what, where in the config, and, for a profile rule,
// the rule it breaks (whose table row names the answer the peer would give).

#include <cstdint>
#include <string>
#include <vector>

#include "config/source_location.h"
#include "profiles/rules.h"

namespace gh::profiles {

struct Finding {
  Severity severity = Severity::Error;
  config::SourceLocation where; // empty file = not tied to a key
  std::string message;          // what, ending with the peer's answer for profile rules
  const Rule* rule = nullptr;   // the broken profile rule, if any
};

using Findings = std::vector<Finding>;

// A finding for a broken rule: `what`, then the peer's answer from the rule's row.
Finding ruleFinding(const Rule& rule, config::SourceLocation where, std::string_view what);

std::string_view severityName(Severity severity); // "error", "warning", "note"

// `file:line:col: error: message [rule-id]`; the location part is left out when unknown.
std::string formatFinding(const Finding& finding);

std::size_t countSeverity(const Findings& findings, Severity severity);

} // namespace gh::profiles
