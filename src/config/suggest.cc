#include "config/suggest.h"

#include <algorithm>
#include <vector>

#include "common/text.h"

namespace gh::config {

std::size_t editDistance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rows suffice for the transposition rule.
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const bool same = asciiLower(a[i - 1]) == asciiLower(b[j - 1]);
      std::size_t best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0U : 1U)});
      if (i > 1 && j > 1 && asciiLower(a[i - 1]) == asciiLower(b[j - 2]) &&
          asciiLower(a[i - 2]) == asciiLower(b[j - 1])) {
        best = std::min(best, prev2[j - 2] + 1);
      }
      cur[j] = best;
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::optional<std::string_view> closestMatch(std::string_view word,
                                             std::span<const std::string_view> candidates) {
  // A third of the word, at least one edit: "adress" -> "address", but "foo" is not "tls".
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string_view> best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    const std::size_t d = editDistance(word, candidate);
    if (d < best_distance && d < candidate.size()) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string joinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) {
      out += ", ";
    }
    out += name;
  }
  return out;
}

std::string suggestionHint(std::string_view word, std::span<const std::string_view> candidates,
                           std::string_view label) {
  std::string hint;
  if (auto close = closestMatch(word, candidates)) {
    hint = "did you mean '" + std::string(*close) + "'? ";
  }
  if (candidates.empty()) {
    hint += std::string(label) + ": none";
  } else {
    hint += std::string(label) + ": " + joinNames(candidates);
  }
  return hint;
}

} // namespace gh::config
