#pragma once
// The one place that says how config regexes are compiled, so the loader's check and the route
// layer's matcher can never disagree. Case-insensitive because SIP host names are, and because
// Kamailio's `=~`, which users port their rules from, is too.

#include <regex>

namespace gh::config {

inline constexpr std::regex_constants::syntax_option_type kRegexSyntax =
    std::regex_constants::ECMAScript | std::regex_constants::icase;

} // namespace gh::config
