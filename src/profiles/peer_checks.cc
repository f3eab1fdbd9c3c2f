#include <algorithm>

#include <fmt/format.h>

#include "profiles/checks.h"

namespace gh::profiles {

namespace {

using config::Peer;
using config::Profile;

bool isMicrosoft(Profile p) {
  return p == Profile::MicrosoftExchangeUm || p == Profile::TeamsDirectRouting;
}

void checkTransport(const Peer& peer, Findings& out) {
  const std::string_view transport = config::transportName(peer.transport);
  if (isMicrosoft(peer.profile) && peer.transport != config::Transport::Tls) {
    const Rule& rule = *findRule(peer.profile, RuleId::TlsTransport);
    out.push_back(ruleFinding(
        rule, peer.where,
        fmt::format("peer {} uses transport {}, but {}", peer.name, transport, rule.why)));
  }
  if (const Rule* rule = findRule(peer.profile, RuleId::Port5061);
      rule != nullptr && peer.port != 5061) {
    out.push_back(ruleFinding(
        *rule, peer.address && peer.address->port != 0 ? peer.address_where : peer.where,
        fmt::format("peer {} is reached on port {}, but {}", peer.name, peer.port, rule->why)));
  }
  if (peer.profile == Profile::CiscoCucm && peer.transport == config::Transport::Tls) {
    const Rule& rule = *findRule(peer.profile, RuleId::PlainTransport);
    out.push_back(ruleFinding(
        rule, peer.where,
        fmt::format("peer {} uses tls: make sure its CUCM trunk has a secure SIP trunk profile "
                    "that trusts Gatehouse's certificate",
                    peer.name)));
  }
}

void checkIdentity(const Peer& peer, Findings& out) {
  const Rule* rule = findRule(peer.profile, RuleId::FqdnIdentity);
  if (rule != nullptr && peer.identity != config::Identity::Fqdn) {
    out.push_back(ruleFinding(*rule, peer.where,
                              fmt::format("peer {} gets Gatehouse's address in Contact "
                                          "(identity = \"address\"), not [sbc] fqdn",
                                          peer.name)));
  }
}

void checkKeepAlive(const Peer& peer, Findings& out) {
  const Rule* rule = findRule(peer.profile, RuleId::OptionsInterval);
  if (rule == nullptr || peer.options_interval == std::chrono::seconds{60})
    return;
  std::string what =
      peer.options_interval.count() == 0
          ? fmt::format("peer {} gets no OPTIONS keep-alives (options_interval_s = 0); 60 is "
                        "recommended",
                        peer.name)
          : fmt::format("peer {} gets OPTIONS every {} s; 60 is recommended", peer.name,
                        peer.options_interval.count());
  out.push_back(ruleFinding(*rule, peer.where, what));
}

void checkTlsVersion(const config::Config& config, const Peer& peer, Findings& out) {
  const Rule* rule = findRule(peer.profile, RuleId::TlsVersion);
  const config::Interface* iface = config::findInterface(config, peer.interface.name);
  if (rule == nullptr || iface == nullptr || iface->tls.min_version == config::TlsVersion::Tls12)
    return;
  out.push_back(
      ruleFinding(*rule, iface->tls.where,
                  fmt::format("interface {} accepts TLS {} at least toward peer {}", iface->name,
                              config::tlsVersionName(iface->tls.min_version), peer.name)));
}

} // namespace

Findings checkPeers(const config::Config& config) {
  Findings out;
  for (const Peer& peer : config.peers) {
    checkTransport(peer, out);
    checkIdentity(peer, out);
    checkKeepAlive(peer, out);
    checkTlsVersion(config, peer, out);
    const bool reached =
        std::any_of(config.routes.begin(), config.routes.end(), [&](const config::Route& r) {
          return std::any_of(r.to_peers.begin(), r.to_peers.end(),
                             [&](const config::NameRef& ref) { return ref.name == peer.name; });
        });
    if (isMicrosoft(peer.profile) && !reached) {
      out.push_back({Severity::Note, peer.where,
                     fmt::format("no route sends to peer {}, so its route rules were not checked",
                                 peer.name)});
    }
  }
  return out;
}

} // namespace gh::profiles
