#include "profiles/rules.h"

#include <array>

#include <fmt/format.h>

namespace gh::profiles {

namespace {

using config::Profile;

// The seed post's five rules (403 certificate, 488 To host, SRTP, rtcp-mux, ICE) plus what its
// INVITE shows working (TLS on 5061, FQDN in Contact, anchored media); Teams Direct Routing's
// published SBC requirements; and what a CUCM SIP trunk accepts without a secure profile.
constexpr std::array kRules = {
    // microsoft-exchange-um
    Rule{Profile::MicrosoftExchangeUm, RuleId::TlsTransport, "transport-tls", Severity::Error, 0,
         "accepts no connection", "transport = \"tls\"",
         "Exchange UM only accepts SIP over mutual TLS on 5061"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::Port5061, "port-5061", Severity::Error, 0,
         "accepts no connection", "port = 5061", "Exchange UM only accepts TLS on 5061"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::CertificateName, "certificate-name", Severity::Error,
         403, "answers 403", "certificate CN or SAN equal to [sbc] fqdn, same case",
         "Exchange UM compares the subject with the UM IP gateway address, case-sensitively"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::NoWildcard, "no-wildcard", Severity::Error, 403,
         "answers 403", "no wildcard certificate",
         "Exchange UM never matches a wildcard against the UM IP gateway address"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::ClientCertificate, "client-certificate",
         Severity::Error, 0, "refuses the TLS handshake",
         "certificate with the Client Authentication EKU",
         "Exchange UM asks for Gatehouse's certificate (mutual TLS) and checks its purpose"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::FqdnIdentity, "identity-fqdn", Severity::Error, 403,
         "answers 403", "identity = \"fqdn\" (Contact and Via carry [sbc] fqdn)",
         "Exchange UM knows the gateway by its FQDN; an IP address in Contact is a stranger"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::ToHost, "to-host", Severity::Error, 488,
         "answers 488", "To host equal to the peer's fqdn (the UM forwarding address)",
         "Exchange UM finds the dial plan by the To host, the forwarding address "
         "GUID.um.outlook.com"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::MediaAnchored, "media-anchored", Severity::Error,
         488, "answers 488", "media.anchor = true",
         "unanchored, the PBX's plain RTP offer reaches Exchange UM unchanged"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::SrtpOffered, "srtp", Severity::Error, 488,
         "answers 488", "media mode = \"srtp\" offering AES_CM_128_HMAC_SHA1_80",
         "Exchange UM takes SDES-SRTP only"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::NoRtcpMux, "no-rtcp-mux", Severity::Error, 488,
         "answers 488", "media rtcp_mux = \"strip\"",
         "Exchange UM rejects an offer that carries a=rtcp-mux"},
    Rule{Profile::MicrosoftExchangeUm, RuleId::NoIce, "no-ice", Severity::Error, 488, "answers 488",
         "media ice = \"remove\"", "Exchange UM rejects an offer that carries ICE attributes"},
    // teams-direct-routing
    Rule{Profile::TeamsDirectRouting, RuleId::TlsTransport, "transport-tls", Severity::Error, 0,
         "accepts no connection", "transport = \"tls\"",
         "Direct Routing's SIP proxies accept only TLS"},
    Rule{Profile::TeamsDirectRouting, RuleId::CertificateName, "certificate-name", Severity::Error,
         0, "refuses the TLS connection",
         "certificate CN or SAN naming [sbc] fqdn; a wildcard covers one label",
         "Teams checks the certificate against the SBC FQDN paired in the tenant"},
    Rule{Profile::TeamsDirectRouting, RuleId::ClientCertificate, "client-certificate",
         Severity::Error, 0, "refuses the TLS handshake",
         "certificate with the Client Authentication EKU",
         "Teams asks for Gatehouse's certificate (mutual TLS) and checks its purpose"},
    Rule{Profile::TeamsDirectRouting, RuleId::FqdnIdentity, "identity-fqdn", Severity::Error, 403,
         "answers 403", "identity = \"fqdn\" (Contact carries [sbc] fqdn)",
         "Teams finds the paired SBC by the FQDN in Contact"},
    Rule{Profile::TeamsDirectRouting, RuleId::TlsVersion, "tls-1.2", Severity::Warning, 0,
         "may refuse the TLS handshake", "[tls] min_version = \"1.2\"",
         "Direct Routing is documented with TLS 1.2; a 1.3-only SBC risks failed handshakes"},
    Rule{Profile::TeamsDirectRouting, RuleId::OptionsInterval, "options-60s", Severity::Warning, 0,
         "marks the SBC inactive", "options_interval_s = 60",
         "Teams expects OPTIONS about once a minute and stops routing to a silent SBC"},
    Rule{Profile::TeamsDirectRouting, RuleId::MediaAnchored, "media-anchored", Severity::Error, 488,
         "answers 488", "media.anchor = true",
         "unanchored, the PBX's plain RTP offer reaches Teams unchanged"},
    Rule{Profile::TeamsDirectRouting, RuleId::SrtpOffered, "srtp", Severity::Error, 488,
         "answers 488", "media mode = \"srtp\" offering AES_CM_128_HMAC_SHA1_80",
         "Teams media takes SDES-SRTP with AES_CM_128_HMAC_SHA1_80"},
    // cisco-cucm
    Rule{Profile::CiscoCucm, RuleId::PlainTransport, "transport", Severity::Note, 0,
         "refuses TLS unless its trunk has a secure profile", "transport = \"tcp\" or \"udp\"",
         "a CUCM trunk takes TLS only with a secure SIP trunk profile trusting our certificate"},
    Rule{Profile::CiscoCucm, RuleId::PlainRtp, "plain-rtp", Severity::Warning, 488, "answers 488",
         "media mode = \"rtp\" toward CUCM",
         "CUCM without an SRTP-enabled trunk (or its licence) rejects RTP/SAVP offers"},
    // generic: what any TLS peer that verifies Gatehouse checks (RFC 6125)
    Rule{Profile::Generic, RuleId::CertificateName, "certificate-name", Severity::Warning, 0,
         "refuses the TLS connection if it verifies names",
         "certificate CN or SAN naming [sbc] fqdn (any case; a wildcard covers one label)",
         "RFC 6125 name checking"},
};

} // namespace

std::span<const Rule> allRules() {
  return kRules;
}

const Rule* findRule(config::Profile profile, RuleId id) {
  for (const Rule& r : kRules) {
    if (r.profile == profile && r.id == id)
      return &r;
  }
  return nullptr;
}

std::string_view peerLabel(config::Profile profile) {
  switch (profile) {
  case Profile::MicrosoftExchangeUm: return "Exchange UM";
  case Profile::TeamsDirectRouting: return "Teams";
  case Profile::CiscoCucm: return "CUCM";
  case Profile::Generic: break;
  }
  return "the peer";
}

std::string answer(const Rule& rule) {
  return fmt::format("{} {}", peerLabel(rule.profile), rule.outcome);
}

std::string ruleTag(const Rule& rule) {
  return fmt::format("{}.{}", config::profileName(rule.profile), rule.key);
}

std::string rulesMarkdown(config::Profile profile) {
  std::string out = "| rule | requires | when broken | why |\n| --- | --- | --- | --- |\n";
  for (const Rule& r : kRules) {
    if (r.profile != profile)
      continue;
    std::string requirement(r.requirement);
    out += fmt::format("| `{}` | {} | {}: {} | {} |\n", r.key, requirement,
                       r.severity == Severity::Error     ? "error"
                       : r.severity == Severity::Warning ? "warning"
                                                         : "note",
                       answer(r), r.why);
  }
  return out;
}

} // namespace gh::profiles
