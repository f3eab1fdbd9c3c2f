#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "profiles/checks.h"
#include "profiles/to_host.h"
#include "route/router.h"
#include "sip/message/uri.h"

namespace gh::profiles {

namespace {

using config::MediaMode;
using config::MediaOverride;
using config::Peer;
using config::Profile;
using config::Route;
using config::SourceLocation;

// Where a media key came from: the route's override table when it sets the key, else the
// peer's media policy (its [peer.media] table, or the peer itself).
template <class T>
SourceLocation mediaWhere(const std::optional<T>& route_key, const MediaOverride& route_table,
                          const Peer& peer) {
  if (route_key && !route_table.where.file.empty())
    return route_table.where;
  return peer.media.where.file.empty() ? peer.where : peer.media.where;
}

SourceLocation orRoute(const SourceLocation& where, const Route& route) {
  return where.file.empty() ? route.where : where;
}

// Where a route writes To: its set action, else a replace on To, else the route itself.
SourceLocation toWhere(const Route& route) {
  for (const auto& set : route.headers.set) {
    if (set.header == "To")
      return set.where;
  }
  for (const auto& replace : route.headers.replace) {
    if (replace.header == "To")
      return replace.where;
  }
  return route.where;
}

bool offersSha1_80(const config::MediaPolicy& policy) {
  return std::find(policy.srtp_suites.begin(), policy.srtp_suites.end(),
                   config::SrtpSuite::AesCm128HmacSha1_80) != policy.srtp_suites.end();
}

std::string suiteList(const config::MediaPolicy& policy) {
  std::vector<std::string_view> names;
  for (auto suite : policy.srtp_suites)
    names.push_back(config::srtpSuiteName(suite));
  return fmt::format("{}", fmt::join(names, ", "));
}

void checkToHost(const config::Config& config, const route::CompiledRoute& compiled,
                 const Peer& peer, Findings& out) {
  const Rule* rule = findRule(peer.profile, RuleId::ToHost);
  if (rule == nullptr || peer.fqdn.empty())
    return;
  const Route& r = *compiled.route;
  ToHostResult to = evaluateToHost(config, compiled, peer);
  if (!to.host.empty() && sip::hostEquals(to.host, peer.fqdn))
    return;
  std::string what;
  if (to.host.empty()) {
    what = fmt::format("route {} to {} sends To '{}', which names no SIP host (the forwarding "
                       "address is {})",
                       r.name, peer.name, to.to, peer.fqdn);
  } else {
    what = fmt::format("route {} to {} {} To host {} (the forwarding address is {}; write "
                       "headers.set.To = \"<sip:${{ruri.user}}@${{peer.fqdn}}>\")",
                       r.name, peer.name, to.host == to.sample.host ? "keeps" : "sends", to.host,
                       peer.fqdn);
  }
  out.push_back(ruleFinding(*rule, toWhere(r), what));
}

void checkMicrosoftMedia(const route::CompiledRoute& compiled, const Peer& peer, Findings& out) {
  const Route& r = *compiled.route;
  if (const Rule* rule = findRule(peer.profile, RuleId::MediaAnchored);
      rule != nullptr && !r.media.anchor) {
    out.push_back(ruleFinding(
        *rule, orRoute(r.media.where, r),
        fmt::format("route {} does not anchor media (media.anchor = false): the caller's SDP "
                    "reaches {} unchanged",
                    r.name, peer.name)));
    return; // the media policy below is never applied
  }
  const MediaOverride& o = r.media.outbound;
  const config::MediaPolicy policy = config::applyMediaOverride(peer.media, o);
  if (const Rule* rule = findRule(peer.profile, RuleId::SrtpOffered)) {
    if (policy.mode != MediaMode::Srtp) {
      out.push_back(
          ruleFinding(*rule, mediaWhere(o.mode, o, peer),
                      fmt::format("no SRTP offered: route {} sends media mode \"{}\" "
                                  "to {}",
                                  r.name, config::mediaModeName(policy.mode), peer.name)));
    } else if (!offersSha1_80(policy)) {
      out.push_back(ruleFinding(*rule, mediaWhere(o.srtp_suites, o, peer),
                                fmt::format("route {} offers {} to {}, not "
                                            "AES_CM_128_HMAC_SHA1_80",
                                            r.name, suiteList(policy), peer.name)));
    }
  }
  if (const Rule* rule = findRule(peer.profile, RuleId::NoRtcpMux);
      rule != nullptr && policy.rtcp_mux != config::RtcpMuxMode::Strip) {
    out.push_back(
        ruleFinding(*rule, mediaWhere(o.rtcp_mux, o, peer),
                    fmt::format("media policy offers rtcp-mux to {} (route {}, rtcp_mux = \"{}\")",
                                peer.name, r.name, config::rtcpMuxModeName(policy.rtcp_mux))));
  }
  if (const Rule* rule = findRule(peer.profile, RuleId::NoIce);
      rule != nullptr && policy.ice != config::IceMode::Remove) {
    out.push_back(ruleFinding(
        *rule, mediaWhere(o.ice, o, peer),
        fmt::format("ICE attributes reach {} (route {}, ice = \"keep\")", peer.name, r.name)));
  }
}

// A PBX trunk without SRTP: plain RTP toward it, whichever side of the route it is on.
void checkPbxMedia(const Route& r, const Peer& peer, const MediaOverride& o, std::string_view side,
                   Findings& out) {
  const Rule* rule = findRule(peer.profile, RuleId::PlainRtp);
  if (rule == nullptr || !r.media.anchor)
    return;
  const config::MediaPolicy policy = config::applyMediaOverride(peer.media, o);
  if (policy.mode == MediaMode::Srtp) {
    out.push_back(ruleFinding(*rule, mediaWhere(o.mode, o, peer),
                              fmt::format("route {} offers SRTP to {} ({}); a trunk without "
                                          "SRTP wants mode \"rtp\"",
                                          r.name, peer.name, side)));
  }
}

void checkTarget(const config::Config& config, const route::CompiledRoute& compiled,
                 const config::NameRef& ref, Findings& out) {
  const Route& r = *compiled.route;
  const Peer* peer = config::findPeer(config, ref.name);
  if (peer == nullptr) {
    out.push_back(
        {Severity::Error, orRoute(ref.where, r),
         fmt::format("route {} sends to peer {}, which is not defined", r.name, ref.name)});
    return;
  }
  const config::Interface* iface = config::findInterface(config, peer->interface.name);
  if (iface == nullptr) {
    out.push_back({Severity::Error, peer->where,
                   fmt::format("peer {} (target of route {}) names interface {}, which is not "
                               "defined",
                               peer->name, r.name, peer->interface.name)});
    return;
  }
  const bool listens = std::any_of(iface->sip.begin(), iface->sip.end(),
                                   [&](const auto& l) { return l.transport == peer->transport; });
  if (!listens) {
    out.push_back({Severity::Error, orRoute(ref.where, r),
                   fmt::format("route {} sends to peer {} over {}, but its interface {} has no "
                               "{} listener: the request cannot be sent",
                               r.name, peer->name, config::transportName(peer->transport),
                               iface->name, config::transportName(peer->transport))});
  }
  checkToHost(config, compiled, *peer, out);
  checkMicrosoftMedia(compiled, *peer, out);
  checkPbxMedia(r, *peer, r.media.outbound, "toward the callee", out);
}

} // namespace

Findings checkRoutes(const config::Config& config) {
  Findings out;
  const route::Router router(config);
  for (const route::CompiledRoute& compiled : router.routes()) {
    const Route& r = *compiled.route;
    for (const config::NameRef& ref : r.to_peers)
      checkTarget(config, compiled, ref, out);
    if (r.to_peers.empty())
      continue; // a rejecting route sends nothing
    for (const config::NameRef& ref : r.match.from_peers) {
      if (const Peer* caller = config::findPeer(config, ref.name))
        checkPbxMedia(r, *caller, r.media.inbound, "toward the caller", out);
    }
  }
  return out;
}

} // namespace gh::profiles
