#include "profiles/certificate_rules.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "profiles/name_match.h"

namespace gh::profiles {

namespace {

constexpr int64_t kDay = 86400;

std::string fileName(const config::TlsSettings& tls) {
  return tls.certificate.text;
}

void checkDates(const CertificateFacts& facts, const config::TlsSettings& tls, Findings& out) {
  const auto& where = tls.certificate.where;
  if (facts.seconds_to_start > 0) {
    out.push_back({Severity::Error, where,
                   fmt::format("certificate {} is not valid yet (for {} more day(s)): peers "
                               "refuse the TLS handshake",
                               fileName(tls), (facts.seconds_to_start + kDay - 1) / kDay)});
  } else if (facts.seconds_left <= 0) {
    out.push_back({Severity::Error, where,
                   fmt::format("certificate {} expired on {}: peers refuse the TLS handshake",
                               fileName(tls), facts.not_after)});
  } else if (facts.seconds_left < kExpiryWarningDays * kDay) {
    out.push_back({Severity::Warning, where,
                   fmt::format("certificate {} expires on {}, in {} day(s)", fileName(tls),
                               facts.not_after, facts.seconds_left / kDay)});
  }
}

void checkNames(const CertificateFacts& facts, const CertificateUse& use,
                const config::SbcSettings& sbc, Findings& out) {
  const config::TlsSettings& tls = *use.tls;
  const std::vector<std::string> names = certificateNames(facts);
  const std::string listed = fmt::format("{}", fmt::join(names, ", "));
  // One finding per profile: several peers of one profile judge the names alike.
  std::vector<config::Profile> judged;
  for (const config::Peer* peer : use.peers) {
    if (std::find(judged.begin(), judged.end(), peer->profile) != judged.end())
      continue;
    judged.push_back(peer->profile);
    if (sbc.fqdn.empty())
      continue; // the loader insists on [sbc] fqdn where a profile needs it
    const NameVerdict v = matchCertificateName(names, sbc.fqdn, peer->profile);
    if (v.accepted)
      continue;
    const Rule* name_rule = findRule(peer->profile, RuleId::CertificateName);
    const Rule* wildcard_rule = findRule(peer->profile, RuleId::NoWildcard);
    if (v.match == NameMatch::Wildcard && wildcard_rule != nullptr) {
      out.push_back(ruleFinding(*wildcard_rule, tls.certificate.where,
                                fmt::format("certificate {} is a wildcard ({}) toward peer {}",
                                            fileName(tls), v.name, peer->name)));
      continue;
    }
    if (name_rule == nullptr)
      continue;
    std::string what;
    switch (v.match) {
    case NameMatch::CaseDiffers:
      what = fmt::format("certificate {} names {}, not {} in the same case (compared "
                         "case-sensitively by peer {})",
                         fileName(tls), v.name, sbc.fqdn, peer->name);
      break;
    case NameMatch::WildcardDepth:
      what = fmt::format("certificate {} names {}, which covers one label, not {} (peer {})",
                         fileName(tls), v.name, sbc.fqdn, peer->name);
      break;
    default:
      what = fmt::format("certificate {} names {}, not [sbc] fqdn {} (peer {})", fileName(tls),
                         listed.empty() ? "nothing" : listed, sbc.fqdn, peer->name);
      break;
    }
    out.push_back(ruleFinding(*name_rule, tls.certificate.where, what));
  }
}

void checkPurposes(const CertificateFacts& facts, const CertificateUse& use, Findings& out) {
  const config::TlsSettings& tls = *use.tls;
  if (!facts.server_auth && use.serves_listeners) {
    out.push_back({Severity::Error, tls.certificate.where,
                   fmt::format("certificate {} lacks the Server Authentication EKU: clients "
                               "refuse the TLS handshake on its listeners",
                               fileName(tls))});
  }
  if (facts.client_auth)
    return;
  for (const config::Peer* peer : use.peers) {
    if (const Rule* rule = findRule(peer->profile, RuleId::ClientCertificate)) {
      out.push_back(ruleFinding(*rule, tls.certificate.where,
                                fmt::format("certificate {} lacks the Client Authentication EKU "
                                            "that mutual TLS toward peer {} needs",
                                            fileName(tls), peer->name)));
    }
  }
}

} // namespace

std::vector<std::string> certificateNames(const CertificateFacts& facts) {
  std::vector<std::string> names = facts.dns_names;
  if (!facts.common_name.empty() &&
      std::find(names.begin(), names.end(), facts.common_name) == names.end()) {
    names.push_back(facts.common_name);
  }
  return names;
}

Findings checkCertificate(const CertificateFacts& facts, const CertificateUse& use,
                          const config::SbcSettings& sbc) {
  Findings out;
  const config::TlsSettings& tls = *use.tls;
  if (!facts.key_matches) {
    out.push_back({Severity::Error, tls.private_key.where,
                   fmt::format("private key {} does not belong to certificate {}",
                               tls.private_key.text, tls.certificate.text)});
  }
  if (facts.chain_error) {
    out.push_back(
        {Severity::Error, tls.certificate.where,
         fmt::format("certificate {} does not verify against {}: {}: peers refuse "
                     "the TLS handshake (unknown CA)",
                     fileName(tls),
                     tls.ca_bundle.text.empty() ? "the system CA store" : tls.ca_bundle.text,
                     *facts.chain_error)});
  }
  checkDates(facts, tls, out);
  checkPurposes(facts, use, out);
  checkNames(facts, use, sbc, out);
  return out;
}

} // namespace gh::profiles
