#pragma once
// Did-you-mean for misspelt keys, enum values and names (internal to the config module).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gh::config {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ASCII
// case-insensitive: "extrenal" is one edit from "external".
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, when it is close enough to be a plausible typo.
std::optional<std::string_view> closestMatch(std::string_view word,
                                             std::span<const std::string_view> candidates);

// "a, b, c"
std::string joinNames(std::span<const std::string_view> names);

// "did you mean 'x'? " + "<label>: a, b, c", or just the list when nothing is close.
std::string suggestionHint(std::string_view word, std::span<const std::string_view> candidates,
                           std::string_view label);

} // namespace gh::config
