#include "profiles/name_match.h"

namespace gh::profiles {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

// How `name` relates to `fqdn`, without any profile's judgement.
NameMatch classify(std::string_view name, std::string_view fqdn) {
  if (name == fqdn)
    return NameMatch::Exact;
  if (equalsIgnoreCase(name, fqdn))
    return NameMatch::CaseDiffers;
  if (!isWildcardName(name))
    return NameMatch::NoMatch;
  std::string_view suffix = name.substr(1); // ".example.com"
  if (fqdn.size() <= suffix.size() ||
      !equalsIgnoreCase(fqdn.substr(fqdn.size() - suffix.size()), suffix)) {
    return NameMatch::NoMatch;
  }
  std::string_view covered = fqdn.substr(0, fqdn.size() - suffix.size());
  return covered.find('.') == std::string_view::npos ? NameMatch::Wildcard
                                                     : NameMatch::WildcardDepth;
}

bool acceptedBy(NameMatch match, const NameRules& rules) {
  switch (match) {
  case NameMatch::Exact: return true;
  case NameMatch::CaseDiffers: return !rules.case_sensitive;
  case NameMatch::Wildcard: return rules.wildcard_allowed;
  case NameMatch::WildcardDepth:
  case NameMatch::NoMatch: return false;
  }
  return false;
}

} // namespace

bool isWildcardName(std::string_view name) {
  return name.starts_with("*.");
}

NameRules nameRules(config::Profile profile) {
  if (profile == config::Profile::MicrosoftExchangeUm)
    return {.case_sensitive = true, .wildcard_allowed = false};
  return {.case_sensitive = false, .wildcard_allowed = true};
}

NameVerdict matchCertificateName(const std::vector<std::string>& names, std::string_view fqdn,
                                 config::Profile profile) {
  const NameRules rules = nameRules(profile);
  NameVerdict best;
  for (const std::string& name : names) {
    NameMatch m = classify(name, fqdn);
    bool ok = acceptedBy(m, rules);
    // An accepted name beats any refused one; among equals the closer relation explains more.
    auto rank = [](bool accepted, NameMatch match) {
      return (accepted ? 0 : 16) + static_cast<int>(match);
    };
    if (best.name.empty() || rank(ok, m) < rank(best.accepted, best.match))
      best = {m, name, ok};
  }
  return best;
}

} // namespace gh::profiles
