#include "config/validate.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "config/regex_syntax.h"
#include "config/suggest.h"

namespace gh::config {
namespace {

std::string quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

std::string position(const SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// Two binds collide when they are the same address, or one is the wildcard of the other's family.
bool sameBind(const IpAddress& a, const IpAddress& b) {
  return a == b || (a.family == b.family && (isUnspecified(a) || isUnspecified(b)));
}

bool isStream(Transport t) {
  return t != Transport::Udp;
}

std::string listenerText(const SipListener& l) {
  return std::string(transportName(l.transport)) + ":" + std::to_string(l.port);
}

std::string rangeText(const PortRange& r) {
  return std::to_string(r.first) + "-" + std::to_string(r.last);
}

bool inRange(const PortRange& r, uint16_t port) {
  return port >= r.first && port <= r.last;
}

class Validator {
public:
  Validator(const Config& config, Diagnostics& diagnostics)
      : config_(config), diagnostics_(diagnostics) {}

  void run() {
    checkUnique(config_.interfaces, "interface");
    checkUnique(config_.peers, "peer");
    checkUnique(config_.routes, "route");
    checkTlsPair(config_.tls, "[tls]");
    for (const Interface& iface : config_.interfaces) {
      checkInterface(iface);
    }
    checkListenerConflicts();
    checkMediaRanges();
    checkMediaEngine();
    for (const Peer& peer : config_.peers) {
      checkPeer(peer);
    }
    checkPeerAddresses();
    for (std::size_t i = 0; i < config_.routes.size(); ++i) {
      checkRoute(config_.routes[i], i);
    }
  }

private:
  void error(const SourceLocation& where, std::string message, std::string hint = {}) {
    diagnostics_.push_back(Diagnostic{Severity::Error, where, std::move(message), std::move(hint)});
  }

  void warning(const SourceLocation& where, std::string message, std::string hint = {}) {
    diagnostics_.push_back(
        Diagnostic{Severity::Warning, where, std::move(message), std::move(hint)});
  }

  template <class T>
  void checkUnique(const std::vector<T>& items, std::string_view kind) {
    std::map<std::string, const T*> seen;
    for (const T& item : items) {
      if (item.name.empty()) {
        continue; // already reported as missing
      }
      auto [it, inserted] = seen.emplace(item.name, &item);
      if (!inserted) {
        error(item.where, "duplicate " + std::string(kind) + " name " + quote(item.name),
              "the first is at " + position(it->second->where) + "; names must be unique");
      }
    }
  }

  template <class T>
  std::vector<std::string_view> namesOf(const std::vector<T>& items) {
    std::vector<std::string_view> names;
    for (const T& item : items) {
      if (!item.name.empty() && std::find(names.begin(), names.end(), item.name) == names.end()) {
        names.push_back(item.name);
      }
    }
    return names;
  }

  // The loader leaves address_where empty when the address was missing or did not parse, and a
  // media range of 0-0 when the range did not parse; both are reported already.
  static bool addressKnown(const Interface& iface) { return !iface.address_where.file.empty(); }

  static bool rangeKnown(const Interface& iface) {
    return iface.media_ports && iface.media_ports->first != 0;
  }

  const Interface* needInterface(const NameRef& ref, std::string_view who) {
    if (ref.name.empty()) {
      return nullptr;
    }
    if (const Interface* iface = findInterface(config_, ref.name)) {
      return iface;
    }
    error(ref.where,
          std::string(who) + " names interface " + quote(ref.name) + " which is not defined",
          suggestionHint(ref.name, namesOf(config_.interfaces), "defined"));
    return nullptr;
  }

  const Peer* needPeer(const NameRef& ref, std::string_view who) {
    if (const Peer* peer = findPeer(config_, ref.name)) {
      return peer;
    }
    error(ref.where, std::string(who) + " names peer " + quote(ref.name) + " which is not defined",
          suggestionHint(ref.name, namesOf(config_.peers), "defined"));
    return nullptr;
  }

  // A certificate without its key (or the reverse) can never be loaded.
  void checkTlsPair(const TlsSettings& tls, std::string_view section) {
    if (!tls.certificate.text.empty() && tls.private_key.text.empty()) {
      error(tls.certificate.where, "certificate without private_key in " + std::string(section),
            "add private_key = \"<file>.key\"");
    } else if (tls.certificate.text.empty() && !tls.private_key.text.empty()) {
      error(tls.private_key.where, "private_key without certificate in " + std::string(section),
            "add certificate = \"<file>.crt\"");
    }
  }

  void checkInterface(const Interface& iface) {
    const bool has_tls_listener =
        std::any_of(iface.sip.begin(), iface.sip.end(),
                    [](const SipListener& l) { return l.transport == Transport::Tls; });
    if (addressKnown(iface) && isUnspecified(iface.address) && !iface.advertise &&
        (!iface.sip.empty() || iface.media_ports)) {
      error(iface.address_where,
            "interface " + quote(iface.name) +
                " binds to the wildcard address and has no "
                "'advertise'",
            "SDP, Via and Contact need a concrete address: bind a specific one or set advertise");
    }
    if (iface.tls_overridden && (iface.tls.certificate.where != config_.tls.certificate.where ||
                                 iface.tls.private_key.where != config_.tls.private_key.where)) {
      checkTlsPair(iface.tls, "[interface.tls]");
    }
    for (const SipListener& listener : iface.sip) {
      if (listener.transport == Transport::Tls &&
          (iface.tls.certificate.text.empty() || iface.tls.private_key.text.empty())) {
        error(listener.where,
              "TLS listener " + quote(listenerText(listener)) + " on interface " +
                  quote(iface.name) + " has no certificate and private key",
              "set certificate and private_key in [tls] or in this interface's tls table");
      }
    }
    if (iface.require_client_certificate && !has_tls_listener) {
      warning(iface.where,
              "require_client_certificate has no effect: interface " + quote(iface.name) +
                  " has no TLS listener",
              "add \"tls:5061\" to its sip list, or remove require_client_certificate");
    } else if (iface.require_client_certificate && iface.tls.ca_bundle.text.empty()) {
      warning(iface.where,
              "interface " + quote(iface.name) +
                  " verifies client certificates against the system CA store",
              "set ca_bundle to accept only clients signed by your own CA");
    }
    if (rangeKnown(iface)) {
      const PortRange& range = *iface.media_ports;
      if (range.first % 2 != 0) {
        warning(range.where, "media_ports " + quote(rangeText(range)) + " starts at an odd port",
                "RTP takes even ports and RTCP the next odd one; start at " +
                    std::to_string(range.first - 1) + " or " + std::to_string(range.first + 1));
      }
      const uint32_t pairs = (static_cast<uint32_t>(range.last) - range.first + 1) / 2;
      if (config_.protection.max_calls != 0 && pairs < config_.protection.max_calls) {
        warning(range.where,
                "media_ports " + quote(rangeText(range)) + " holds " + std::to_string(pairs) +
                    " RTP/RTCP pairs, fewer than protection.max_calls (" +
                    std::to_string(config_.protection.max_calls) + ")",
                "calls beyond that are refused with 503; widen the range or lower max_calls");
      }
    }
    const bool has_peer =
        std::any_of(config_.peers.begin(), config_.peers.end(),
                    [&](const Peer& p) { return p.interface.name == iface.name; });
    if (!iface.sip.empty() && iface.allow.empty() && !has_peer) {
      warning(iface.where,
              "interface " + quote(iface.name) +
                  " accepts SIP from no one: its allow list is "
                  "empty and no peer uses it",
              "add the senders' networks to allow, e.g. allow = [\"10.0.0.0/16\"]");
    }
  }

  void checkListenerConflicts() {
    struct Seen {
      const Interface* iface;
      const SipListener* listener;
    };

    std::vector<Seen> seen;
    for (const Interface& iface : config_.interfaces) {
      if (!addressKnown(iface)) {
        continue;
      }
      for (const SipListener& listener : iface.sip) {
        for (const Seen& other : seen) {
          if (other.listener->port == listener.port &&
              isStream(other.listener->transport) == isStream(listener.transport) &&
              sameBind(other.iface->address, iface.address)) {
            std::string where_other = other.iface == &iface
                                          ? "in the same interface"
                                          : "on interface " + quote(other.iface->name);
            error(listener.where,
                  "listener " + quote(listenerText(listener)) + " on " +
                      formatIpAddress(iface.address) + " conflicts with " +
                      quote(listenerText(*other.listener)) + " " + where_other,
                  isStream(listener.transport) && other.listener->transport != listener.transport
                      ? "tcp and tls share the TCP port space; use another port (tls:5061)"
                      : "each address:port:transport can be bound once; first at " +
                            position(other.listener->where));
            break;
          }
        }
        seen.push_back(Seen{&iface, &listener});
      }
    }
  }

  // [media] engine_interfaces maps our interface names; a name we do not have is a typo.
  void checkMediaEngine() {
    const MediaSettings& media = config_.media;
    for (std::size_t i = 0; i < media.engine_interfaces.size(); ++i) {
      const std::string& name = media.engine_interfaces[i].first;
      if (findInterface(config_, name) == nullptr) {
        error(media.engine_interfaces_where[i],
              "engine_interfaces names interface " + quote(name) + " which is not defined",
              suggestionHint(name, namesOf(config_.interfaces), "defined"));
      }
    }
    if (!media.engine && !media.engine_interfaces.empty()) {
      warning(media.engine_interfaces_where.front(),
              "engine_interfaces has no effect without [media] engine",
              "set engine = \"ng:127.0.0.1:2223\" to drive a remote media engine");
    }
  }

  void checkMediaRanges() {
    const auto& ifaces = config_.interfaces;
    for (std::size_t j = 0; j < ifaces.size(); ++j) {
      if (!rangeKnown(ifaces[j]) || !addressKnown(ifaces[j])) {
        continue;
      }
      const PortRange& range = *ifaces[j].media_ports;
      for (std::size_t i = 0; i < j; ++i) {
        if (!rangeKnown(ifaces[i]) || !addressKnown(ifaces[i]) ||
            !sameBind(ifaces[i].address, ifaces[j].address)) {
          continue;
        }
        const PortRange& other = *ifaces[i].media_ports;
        if (range.first <= other.last && other.first <= range.last) {
          error(range.where,
                "media_ports " + quote(rangeText(range)) + " of interface " +
                    quote(ifaces[j].name) + " overlaps " + quote(rangeText(other)) +
                    " of interface " + quote(ifaces[i].name) + " on the same address " +
                    formatIpAddress(ifaces[j].address),
                "interfaces that share an address need disjoint port ranges");
          break;
        }
      }
      for (const Interface& iface : ifaces) {
        if (!addressKnown(iface) || !sameBind(iface.address, ifaces[j].address)) {
          continue;
        }
        for (const SipListener& listener : iface.sip) {
          if (listener.transport == Transport::Udp && inRange(range, listener.port)) {
            error(listener.where,
                  "SIP listener " + quote(listenerText(listener)) + " lies inside media_ports " +
                      quote(rangeText(range)) + " of interface " + quote(ifaces[j].name),
                  "move the media range away from the SIP port");
          }
        }
      }
      if (config_.media.ng_listen && sameBind(config_.media.ng_listen->ip, ifaces[j].address) &&
          inRange(range, config_.media.ng_listen->port)) {
        error(config_.media.ng_listen_where,
              "ng_listen port " + std::to_string(config_.media.ng_listen->port) +
                  " lies inside media_ports " + quote(rangeText(range)) + " of interface " +
                  quote(ifaces[j].name),
              "pick an NG port outside every media range, e.g. 22222");
      }
    }
    if (config_.media.ng_listen) {
      for (const Interface& iface : ifaces) {
        if (!addressKnown(iface)) {
          continue;
        }
        for (const SipListener& listener : iface.sip) {
          if (listener.transport == Transport::Udp &&
              listener.port == config_.media.ng_listen->port &&
              sameBind(iface.address, config_.media.ng_listen->ip)) {
            error(config_.media.ng_listen_where,
                  "ng_listen " + formatSocketAddress(*config_.media.ng_listen) +
                      " conflicts with SIP listener " + quote(listenerText(listener)) +
                      " of interface " + quote(iface.name),
                  "use another port for NG, e.g. 22222");
          }
        }
      }
    }
  }

  void checkPeer(const Peer& peer) {
    const std::string who = "peer " + quote(peer.name);
    const Interface* iface = needInterface(peer.interface, who);
    if (iface != nullptr) {
      const bool has_listener =
          std::any_of(iface->sip.begin(), iface->sip.end(),
                      [&](const SipListener& l) { return l.transport == peer.transport; });
      if (!has_listener) {
        const char* example = peer.transport == Transport::Tls ? ":5061\"" : ":5060\"";
        error(peer.where,
              who + " uses " + std::string(transportName(peer.transport)) + " but interface " +
                  quote(iface->name) + " has no " + std::string(transportName(peer.transport)) +
                  " listener",
              "add \"" + std::string(transportName(peer.transport)) + example +
                  " to the interface's sip list, or change the peer's transport");
      }
      if (peer.address && addressKnown(*iface) &&
          peer.address->ip.family != iface->address.family) {
        error(peer.address_where,
              who + " has an address of another IP family than interface " + quote(iface->name),
              "an IPv4 interface reaches IPv4 peers only (and IPv6 likewise)");
      }
      for (const PeerTarget& target : peer.targets) {
        if (target.address && addressKnown(*iface) &&
            target.address->ip.family != iface->address.family) {
          error(target.where,
                who + " target " + quote(target.fqdn) + " has an address of another IP family " +
                    "than interface " + quote(iface->name),
                "an IPv4 interface reaches IPv4 peers only (and IPv6 likewise)");
        }
      }
      const bool microsoft = peer.profile == Profile::MicrosoftExchangeUm ||
                             peer.profile == Profile::TeamsDirectRouting;
      if (microsoft && peer.transport == Transport::Tls && iface->tls.certificate.text.empty()) {
        error(peer.where,
              who + " (" + std::string(profileName(peer.profile)) +
                  ") requires mutual TLS but no certificate is configured",
              "set certificate and private_key in [tls]: Gatehouse presents it as its client "
              "certificate");
      }
    }
    if (peer.identity == Identity::Fqdn && config_.sbc.fqdn.empty()) {
      error(peer.where,
            who + " uses identity = \"fqdn\" (profile " + std::string(profileName(peer.profile)) +
                ") but [sbc] fqdn is not set",
            "add [sbc] fqdn = \"sbc.example.com\", or set identity = \"address\" on the peer");
    }
    if (peer.transport == Transport::Tls && peer.fqdn.empty()) {
      warning(peer.where, who + " uses TLS without an fqdn",
              "its certificate can only be checked against the IP address; set fqdn");
    }
  }

  void checkPeerAddresses() {
    for (std::size_t j = 0; j < config_.peers.size(); ++j) {
      const Peer& peer = config_.peers[j];
      if (!peer.address) {
        continue;
      }
      for (std::size_t i = 0; i < j; ++i) {
        const Peer& other = config_.peers[i];
        if (other.address && other.address->ip == peer.address->ip) {
          warning(peer.address_where,
                  "peers " + quote(other.name) + " and " + quote(peer.name) +
                      " share the address " + formatIpAddress(peer.address->ip),
                  "requests from it count as coming from " + quote(other.name) +
                      " (the first); route on from_interface or Request-URI instead");
          break;
        }
      }
    }
  }

  void checkRegex(const Regex& regex, unsigned* groups = nullptr) {
    try {
      std::regex compiled(regex.pattern, kRegexSyntax);
      if (groups != nullptr) {
        *groups = compiled.mark_count();
      }
    } catch (const std::regex_error& e) {
      error(regex.where, "regex does not compile: " + std::string(e.what()),
            "the syntax is ECMAScript; in TOML write regexes in 'single quotes' so that "
            "backslashes stay as written");
    }
  }

  // Variables must have a value for every target the route may pick.
  void checkTemplate(const Template& tpl, const Route& route, unsigned groups = 9) {
    for (const TemplatePart& part : tpl.parts) {
      if (part.kind == TemplatePart::Kind::Group && part.group > groups) {
        error(tpl.where,
              "$" + std::to_string(part.group) + " refers to a group the pattern does not have",
              "the pattern has " + std::to_string(groups) +
                  " group(s); $0 or $& is the whole match");
      }
      if (part.kind != TemplatePart::Kind::Var) {
        continue;
      }
      if (part.variable == Variable::SbcFqdn && config_.sbc.fqdn.empty()) {
        error(tpl.where, "${sbc.fqdn} is used but [sbc] fqdn is not set",
              "add [sbc] fqdn = \"sbc.example.com\"");
      }
      if (part.variable == Variable::PeerFqdn) {
        for (const NameRef& target : route.to_peers) {
          const Peer* peer = findPeer(config_, target.name);
          if (peer != nullptr && peer->fqdn.empty()) {
            error(tpl.where, "${peer.fqdn} is used but peer " + quote(peer->name) + " has no fqdn",
                  "set fqdn on the peer, or use ${peer.host} (fqdn, else address)");
          }
        }
      }
    }
  }

  void checkHeaderActions(const HeaderActions& actions, const Route& route) {
    for (const HeaderReplace& replace : actions.replace) {
      unsigned groups = 0;
      checkRegex(replace.pattern, &groups);
      checkTemplate(replace.with, route, groups);
    }
    for (const HeaderValue& value : actions.set) {
      checkTemplate(value.value, route);
    }
    for (const HeaderValue& value : actions.add) {
      checkTemplate(value.value, route);
    }
  }

  static bool isCatchAll(const Route& route) {
    const RouteMatch& m = route.match;
    return !m.request_uri && !m.from && !m.to && m.from_peers.empty() &&
           m.from_interfaces.empty() && m.methods.empty();
  }

  void checkRoute(const Route& route, std::size_t index) {
    const std::string who = "route " + quote(route.name);
    std::vector<const Peer*> targets;
    for (const NameRef& ref : route.to_peers) {
      if (const Peer* peer = needPeer(ref, who)) {
        targets.push_back(peer);
      }
    }
    std::vector<const Peer*> sources;
    for (const NameRef& ref : route.match.from_peers) {
      if (const Peer* peer = needPeer(ref, who)) {
        sources.push_back(peer);
      }
    }
    std::vector<const Interface*> from_ifaces;
    for (const NameRef& ref : route.match.from_interfaces) {
      if (const Interface* iface = needInterface(ref, who)) {
        from_ifaces.push_back(iface);
      }
    }
    for (const auto* regex : {&route.match.request_uri, &route.match.from, &route.match.to}) {
      if (*regex) {
        checkRegex(**regex);
      }
    }
    if (route.rewrite_request_uri) {
      checkTemplate(*route.rewrite_request_uri, route);
    }
    checkHeaderActions(route.headers, route);
    checkHeaderActions(route.reply.headers, route);

    for (const Peer* source : sources) {
      if (std::find(targets.begin(), targets.end(), source) != targets.end()) {
        warning(route.match.where,
                who + " sends requests from peer " + quote(source->name) + " back to it",
                "check from_peer and to_peer");
      }
      if (!from_ifaces.empty() &&
          std::none_of(from_ifaces.begin(), from_ifaces.end(),
                       [&](const Interface* i) { return i->name == source->interface.name; })) {
        warning(route.match.where,
                who + " can never match peer " + quote(source->name) + ": it is on interface " +
                    quote(source->interface.name) + ", not in from_interface",
                "both conditions must hold");
      }
    }

    for (std::size_t i = 0; i < index; ++i) {
      if (isCatchAll(config_.routes[i])) {
        warning(route.where,
                who + " is never reached: route " + quote(config_.routes[i].name) +
                    " above it matches every request",
                "routes are tried in file order and the first match wins; move the catch-all "
                "route last");
        break;
      }
    }

    if (route.reject || !route.media.anchor) {
      return;
    }
    // Anchoring needs ports on both sides' interfaces.
    std::set<const Interface*> sides;
    for (const Peer* target : targets) {
      if (const Interface* iface = findInterface(config_, target->interface.name)) {
        sides.insert(iface);
      }
    }
    for (const Interface* iface : from_ifaces) {
      sides.insert(iface);
    }
    for (const Peer* source : sources) {
      if (const Interface* iface = findInterface(config_, source->interface.name)) {
        sides.insert(iface);
      }
    }
    if (from_ifaces.empty() && sources.empty()) {
      for (const Interface& iface : config_.interfaces) {
        if (!iface.sip.empty()) {
          sides.insert(&iface);
        }
      }
    }
    for (const Interface* iface : sides) {
      // A remote media engine ([media] engine) owns the media ports, not our interfaces.
      if (!iface->media_ports && !config_.media.engine) {
        error(route.media.where,
              who + " anchors media but interface " + quote(iface->name) + " has no media_ports",
              "add media_ports = \"20000-39999\" to the interface, or set [route.media] anchor = "
              "false to leave SDP untouched");
      }
    }
    for (const Peer* target : targets) {
      const MediaPolicy outbound = applyMediaOverride(target->media, route.media.outbound);
      if (route.media.outbound.srtp_suites && outbound.mode != MediaMode::Srtp) {
        warning(route.media.outbound.where,
                "srtp_suites has no effect: media toward peer " + quote(target->name) + " is " +
                    std::string(mediaModeName(outbound.mode)),
                "set mode = \"srtp\" to offer SRTP");
      }
    }
  }

  const Config& config_;
  Diagnostics& diagnostics_;
};

} // namespace

void validateConfig(const Config& config, Diagnostics& diagnostics) {
  Validator(config, diagnostics).run();
}

} // namespace gh::config
