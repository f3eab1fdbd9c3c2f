// The initial INVITE: routing, the B leg, failover, responses back to the caller, CANCEL.

#include <fmt/format.h>

#include "call/b2bua.h"
#include "call/call_state.h"
#include "call/config_lookup.h"
#include "call/e164.h"
#include "call/header_policy.h"
#include "call/message_copy.h"
#include "call/peer_health.h"
#include "call/peer_targets.h"
#include "common/log.h"
#include "sip/parser/parser.h"
#include "sip/transaction/header_text.h"
#include "sip/transaction/random_id.h"
#include "sip/transaction/response_builder.h"

namespace gh::call {

namespace {

std::optional<net::Endpoint> toEndpoint(const config::IpAddress& ip, uint16_t port) {
  if (ip.family == config::IpFamily::V4) {
    uint32_t v4 = (uint32_t{ip.bytes[0]} << 24) | (uint32_t{ip.bytes[1]} << 16) |
                  (uint32_t{ip.bytes[2]} << 8) | ip.bytes[3];
    return net::Endpoint::fromV4(v4, port);
  }
  uint8_t bytes[16];
  std::copy(ip.bytes.begin(), ip.bytes.end(), bytes);
  return net::Endpoint::fromV6(bytes, port);
}

// The target of a peer with `targets` that the call tries now; nullptr for other peers.
const config::PeerTarget* currentTarget(const B2bua::Call& c, const config::Peer& peer) {
  if (peer.targets.empty() || !c.order_ready || c.order_pos >= c.target_order.size())
    return nullptr;
  return &peer.targets[c.target_order[c.order_pos]];
}

} // namespace

void B2bua::newInvite(sip::TxnId server, const sip::Message& invite, const sip::Flow& flow) {
  const auto& policy = policy_;
  const config::Config& config = *policy->config;
  if (!accepting_) {
    ++counters_.refused_shutting_down;
    route::HeaderList extra{{"Retry-After", "30"}};
    std::vector<sip::HeaderLine> lines{{"Retry-After", "30"}};
    respond(server, sip::buildResponse(invite, 503, {.headers = lines}));
    GH_LOG_INFO(Module::Call, "call-id={} INVITE refused: shutting down, 503", invite.callId());
    return;
  }
  std::string source_key = flow.remote.ip();
  const auto& prot = config.protection;
  if ((prot.max_calls != 0 && calls_.size() >= prot.max_calls) ||
      (prot.max_calls_per_source != 0 &&
       calls_per_source_[source_key] >= prot.max_calls_per_source)) {
    ++counters_.refused_calls_cap;
    std::vector<sip::HeaderLine> lines{{"Retry-After", std::to_string(prot.retry_after.count())}};
    respond(server, sip::buildResponse(invite, 503, {.headers = lines}));
    GH_LOG_WARN(Module::Call,
                "call-id={} INVITE from {} refused: call cap reached ({} total, {} "
                "from this source), 503",
                invite.callId(), flow.remote.toString(), calls_.size(),
                calls_per_source_[source_key]);
    if (calls_per_source_[source_key] == 0)
      calls_per_source_.erase(source_key);
    return;
  }
  auto verdict = policy->sources.classify(flow.interface, flow.remote);
  auto from = invite.from();
  auto to = invite.to();
  route::RequestFacts facts{.method = invite.methodText(),
                            .request_uri = invite.requestUriText(),
                            .from_uri = from.uri.raw,
                            .to_uri = to.uri.raw,
                            .interface = flow.interface,
                            .peer = verdict.peer};
  const route::CompiledRoute* route = policy->router.select(facts);
  if (route == nullptr) {
    ++counters_.no_route_404;
    respond(server, sip::buildResponse(invite, 404));
    GH_LOG_INFO(Module::Call, "call-id={} INVITE {} from {}: no route matches, 404",
                invite.callId(), invite.requestUriText(), flow.remote.toString());
    return;
  }
  if (route->route->reject || route->to_peers.empty()) {
    ++counters_.rejected_by_route;
    uint16_t code = route->route->reject ? route->route->reject->code : 403;
    std::string_view reason = route->route->reject ? route->route->reject->reason : "";
    respond(server, sip::buildResponse(invite, code, {.reason = reason}));
    GH_LOG_INFO(Module::Call, "call-id={} INVITE {}: route '{}' rejects with {}", invite.callId(),
                invite.requestUriText(), route->route->name, code);
    return;
  }

  auto owned = std::make_unique<Call>();
  Call& c = *owned;
  c.id = next_call_++;
  c.policy = policy;
  c.route = route;
  c.source_key = source_key;
  c.a_invite_wire = std::string(invite.wire());
  c.from_text = std::string(from.uri.raw);
  c.to_text = std::string(to.uri.raw);
  c.a_max_forwards = std::min<uint32_t>(invite.maxForwards().value_or(70), 70) - 1;
  if (c.a_max_forwards == 0)
    c.a_max_forwards = 1; // >0 here: precheck answered 483 at 0

  Leg& a = c.a;
  a.call_id = std::string(invite.callId());
  a.remote_tag = std::string(from.tag());
  a.local_tag = sip::makeTag();
  a.local_uri = sip::withTag(to, "");
  a.remote_uri = sip::withTag(from, "");
  auto contacts = invite.contacts();
  a.remote_target = std::string(contacts.empty() ? from.uri.raw : contacts.front().uri.raw);
  for (const auto& rr : invite.recordRoutes())
    a.route_set.push_back(fmt::format("<{}>", rr.uri.raw));
  a.remote_cseq = invite.cseq().number;
  a.local_cseq = 1;
  a.flow = flow;
  a.interface = flow.interface;
  a.peer = verdict.peer;
  auto me = identityFor(config, flow.interface, verdict.peer, flow.transport);
  if (!me) {
    respond(server, sip::buildResponse(invite, 500));
    GH_LOG_ERROR(Module::Call, "call-id={} no listener for {} on interface #{}", invite.callId(),
                 sip::viaName(flow.transport), flow.interface);
    return;
  }
  a.me = *me;

  CallFacts& f = c.facts;
  auto ruri = invite.requestUri();
  f.ruri_user = std::string(ruri.user);
  f.ruri_host = std::string(ruri.host);
  f.ruri_port = ruri.has_port ? std::to_string(ruri.port) : "";
  f.from_user = std::string(from.uri.user);
  f.from_host = std::string(from.uri.host);
  f.to_user = std::string(to.uri.user);
  f.to_host = std::string(to.uri.host);
  f.sbc_fqdn = config.sbc.fqdn;
  f.source_address = flow.remote.ip();

  InviteRelay relay;
  relay.from = LegSide::A;
  relay.server = server;
  relay.from_cseq = invite.cseq().number;
  relay.offer_in_request = !invite.body().empty();
  c.invite = relay;

  uint64_t id = c.id;
  calls_.emplace(id, std::move(owned));
  registerDialog(c, LegSide::A);
  server_owners_[server] = id;
  ++calls_per_source_[source_key];
  ++counters_.calls_total;
  ++counters_.calls_active;
  GH_LOG_INFO(Module::Call, "call-id={} call {} INVITE {} from {} ({}) -> route '{}'", a.call_id,
              id, invite.requestUriText(), flow.remote.toString(), c.from_text, route->route->name);

  c.invite_body = std::string(invite.body()); // replaced by the media hook's offer
  if (!c.invite_body.empty()) {
    c.invite_content_type = std::string(invite.contentType());
    c.a_offer = c.invite_body;
  }
  proceed(c);
}

// Takes the call to its current target: the peer's address, or the next address DNS gave for
// its FQDN (resolved on first use), then leg B, the media offer (once) and the INVITE.
void B2bua::proceed(Call& c) {
  const config::Config& config = *c.policy->config;
  const config::Peer& peer = config.peers[c.route->to_peers[c.target]];
  if (!peer.targets.empty() && !c.order_ready) {
    // Teams' SIP proxies in order, skipping those under a Retry-After and trying those known
    // down last (PeerHealth::callOrder).
    std::vector<std::string> keys;
    for (const config::PeerTarget& t : peer.targets)
      keys.push_back(targetKey(t));
    if (env_.health != nullptr) {
      c.target_order = env_.health->callOrder(peer.name, keys, timers_.now());
    } else {
      c.target_order.clear();
      for (std::size_t i = 0; i < keys.size(); ++i)
        c.target_order.push_back(i);
    }
    c.order_pos = 0;
    c.order_ready = true;
    if (c.target_order.empty()) {
      std::string why =
          fmt::format("every target of peer '{}' is held by a 503 Retry-After", peer.name);
      if (!tryNextTarget(c, why))
        failInitial(c, 503, "", why);
      return;
    }
  }
  const config::PeerTarget* target = currentTarget(c, peer);
  const std::optional<config::SocketAddress>& address = target ? target->address : peer.address;
  const uint16_t port_now = target ? target->port : peer.port;
  const std::string& fqdn_now = target ? target->fqdn : peer.fqdn;
  if (address) {
    c.target_endpoint = *toEndpoint(address->ip, port_now);
  } else if (c.dns_index < c.dns_targets.size()) {
    c.target_endpoint = c.dns_targets[c.dns_index];
  } else if (!c.dns_done && env_.resolve) {
    uint64_t id = c.id;
    std::optional<uint16_t> port;
    if (target != nullptr || !peer.use_srv)
      port = port_now;
    env_.resolve(fqdn_now, port, toSipTransport(peer.transport),
                 [this, id](std::vector<net::Endpoint> targets, std::string error) {
                   Call* call = findCall(id);
                   if (call == nullptr || call->cancelled) {
                     if (call != nullptr)
                       endCall(id, "cancelled while resolving");
                     return;
                   }
                   call->dns_done = true;
                   call->dns_targets = std::move(targets);
                   call->dns_index = 0;
                   if (call->dns_targets.empty()) {
                     std::string why = "DNS: " + error;
                     noteTargetFailure(*call, 0, nullptr, why);
                     if (!tryNextTarget(*call, why))
                       failInitial(*call, 503, "", why);
                     return;
                   }
                   proceed(*call);
                 });
    return;
  } else {
    std::string why = fmt::format("peer '{}' has no address and its FQDN '{}' did not resolve",
                                  peer.name, fqdn_now);
    if (!tryNextTarget(c, why))
      failInitial(c, 503, "", why);
    return;
  }
  if (!buildBLeg(c))
    return;
  const std::size_t peer_index = c.route->to_peers[c.target];
  if (c.offer_done && c.offer_peer != peer_index) {
    // The offer carries the first peer's interface addresses and media policy (SRTP or not,
    // suites, ICE...): release those ports and make it again for this peer.
    media_.release(mediaContext(c));
    c.invite_body = c.a_offer;
    c.offer_done = false;
  }
  if (c.invite_body.empty() || c.offer_done) {
    sendBInvite(c);
    return;
  }
  uint64_t id = c.id;
  std::string offer = c.invite_body;
  media_.offer(mediaContext(c), LegSide::A, offer,
               [this, id](Expected<std::string, MediaFailure> sdp) {
                 Call* call = findCall(id);
                 if (call == nullptr)
                   return;
                 if (!sdp) {
                   failInitial(*call, sdp.error().sip_code, "", sdp.error().reason);
                   return;
                 }
                 call->invite_body = std::move(*sdp);
                 call->offer_done = true;
                 call->offer_peer = call->route->to_peers[call->target];
                 sendBInvite(*call);
               });
}

// Fills leg B for the route's current target peer from the caller's INVITE. False when the call
// failed (the caller has been answered).
bool B2bua::buildBLeg(Call& c) {
  const config::Config& config = *c.policy->config;
  std::size_t peer_index = c.route->to_peers[c.target];
  const config::Peer& peer = config.peers[peer_index];
  auto iface = interfaceIndex(config, peer.interface.name);
  auto transport = toSipTransport(peer.transport);
  auto me = iface ? identityFor(config, *iface, peer_index, transport) : std::nullopt;
  if (!me) {
    failInitial(c, 503, "",
                fmt::format("peer '{}': interface '{}' has no {} listener", peer.name,
                            peer.interface.name, sip::uriParam(transport)));
    return false;
  }
  auto parsed = sip::parseMessage(c.a_invite_wire);
  if (!parsed) {
    failInitial(c, 500, "", "the caller's INVITE no longer parses");
    return false;
  }
  const sip::Message& invite = *parsed;

  if (!c.b.call_id.empty())
    dialogs_.erase(fmt::format("{}\n{}", c.b.call_id, c.b.local_tag));
  Leg b;
  b.interface = *iface;
  b.peer = peer_index;
  b.me = *me;
  const config::PeerTarget* target = currentTarget(c, peer);
  const std::string& peer_fqdn = target ? target->fqdn : peer.fqdn;
  const uint16_t peer_port = target ? target->port : peer.port;
  b.tls_name = peer_fqdn;
  b.flow.transport = transport;
  b.flow.interface = static_cast<sip::InterfaceIndex>(*iface);
  b.flow.remote = c.target_endpoint;
  if (env_.local_endpoint)
    b.flow.local = env_.local_endpoint(b.flow.interface, transport).value_or(net::Endpoint{});
  b.call_id = config.sbc.topology_hiding ? sip::makeCallId() : c.a.call_id;
  b.local_tag = sip::makeTag();
  b.local_cseq = 1;

  CallFacts& f = c.facts;
  f.peer_name = peer.name;
  f.peer_fqdn = peer_fqdn;
  f.peer_host = peer_fqdn.empty() ? b.flow.remote.ipForUri() : peer_fqdn;
  f.peer_port = std::to_string(peer_port);
  route::TemplateFacts facts = f.view();

  if (c.route->route->rewrite_request_uri) {
    b.remote_target = route::expand(*c.route->route->rewrite_request_uri, facts);
  } else {
    b.remote_target = fmt::format(
        "sip:{}{}{}:{}{}", f.ruri_user, f.ruri_user.empty() ? "" : "@", f.peer_host, peer_port,
        transport == sip::Transport::Udp ? ""
                                         : fmt::format(";transport={}", sip::uriParam(transport)));
  }

  auto from = invite.from();
  route::HeaderList headers;
  if (config.sbc.topology_hiding && from.uri.isSip()) {
    std::string display = from.display_name.empty() ? "" : fmt::format("{} ", from.display_name);
    headers.push_back(
        {"From", fmt::format("{}<{}:{}{}{}>", display, sip::schemeName(from.uri.scheme),
                             from.uri.user, from.uri.has_user ? "@" : "", me->host)});
  } else {
    headers.push_back({"From", sip::withTag(from, "")});
  }
  headers.push_back({"To", sip::withTag(invite.to(), "")});
  copyEndToEndHeaders(invite, peer.header_policy, headers);
  if (config.sbc.topology_hiding)
    hideIdentityHosts(headers, me->host);
  auto supported = invite.tokens(sip::HeaderId::Supported);
  if (supported && std::find(supported->begin(), supported->end(), "timer") != supported->end()) {
    headers.push_back({"Supported", "timer"});
  }
  auto require = invite.tokens(sip::HeaderId::Require);
  if (require && std::find(require->begin(), require->end(), "timer") != require->end()) {
    headers.push_back({"Require", "timer"});
  }
  if (peer.e164) {
    // Teams routes by E.164 numbers marked ;user=phone; the route's own actions still win.
    b.remote_target = e164Uri(b.remote_target);
    for (auto& h : headers) {
      if (h.name == "From" || h.name == "To")
        h.value = e164NameAddr(h.value);
    }
  }
  if (!peer.x_ms_sbc.empty()) {
    route::removeHeader(headers, "X-MS-SBC"); // the caller's own, if any, names another SBC
    headers.push_back({"X-MS-SBC", peer.x_ms_sbc});
  }
  route::applyHeaderActions(*c.route, false, facts, headers);
  if (const auto* h = route::findHeader(headers, "From"))
    b.local_uri = h->value;
  if (const auto* h = route::findHeader(headers, "To"))
    b.remote_uri = h->value;
  route::removeHeader(headers, "From");
  route::removeHeader(headers, "To");
  c.b_headers = std::move(headers);
  c.b = std::move(b);
  c.b_early = false;
  registerDialog(c, LegSide::B);
  return true;
}

void B2bua::sendBInvite(Call& c) {
  Leg& b = c.b;
  std::string text = buildLegRequest(
      b, {.method = "INVITE",
          .cseq = b.local_cseq,
          .branch = sip::makeBranch(),
          .with_contact = true,
          .user_agent = c.policy->config->sbc.user_agent,
          .extra = &c.b_headers,
          .content_type = c.invite_body.empty() ? std::string_view{} : c.invite_content_type,
          .body = c.invite_body,
          .max_forwards = c.a_max_forwards});
  auto txn = layer_->sendRequest(text, b.flow);
  if (!txn) {
    failInitial(c, 503, "",
                fmt::format("cannot start the INVITE toward {}: {}", b.flow.remote.toString(),
                            sip::txnErrorName(txn.error())));
    return;
  }
  client_owners_[*txn] = {c.id, Purpose::InitialInvite, LegSide::B};
  c.invite->client = *txn;
  c.invite->other_cseq = b.local_cseq;
  armNoAnswer(c);
  GH_LOG_DEBUG(Module::Call, "call-id={} call {} INVITE -> {} {} (b call-id={})", c.a.call_id, c.id,
               b.remote_target, b.flow.remote.toString(), b.call_id);
}

bool B2bua::tryNextTarget(Call& c, std::string_view why) {
  if (c.b_early || c.cancelled)
    return false;
  const auto& peers = c.policy->config->peers;
  const config::Peer& peer = peers[c.route->to_peers[c.target]];
  const config::PeerTarget* target = currentTarget(c, peer);
  const bool has_address = target ? target->address.has_value() : peer.address.has_value();
  if (!has_address && c.dns_index + 1 < c.dns_targets.size()) {
    ++c.dns_index;
    GH_LOG_INFO(Module::Call, "call-id={} call {} peer '{}' at {} failed ({}); trying {}",
                c.a.call_id, c.id, peer.name, c.target_endpoint.toString(), why,
                c.dns_targets[c.dns_index].toString());
    proceed(c);
    return true;
  }
  if (target != nullptr && c.order_pos + 1 < c.target_order.size()) {
    const config::PeerTarget& next = peer.targets[c.target_order[c.order_pos + 1]];
    GH_LOG_INFO(Module::Call, "call-id={} call {} peer '{}' target {} failed ({}); trying {}",
                c.a.call_id, c.id, peer.name, targetKey(*target), why, targetKey(next));
    ++c.order_pos;
    c.dns_targets.clear();
    c.dns_index = 0;
    c.dns_done = false;
    proceed(c);
    return true;
  }
  if (c.target + 1 >= c.route->to_peers.size())
    return false;
  GH_LOG_INFO(Module::Call, "call-id={} call {} peer '{}' failed ({}); trying '{}'", c.a.call_id,
              c.id, peer.name, why, peers[c.route->to_peers[c.target + 1]].name);
  ++c.target;
  c.dns_targets.clear();
  c.dns_index = 0;
  c.dns_done = false;
  c.target_order.clear();
  c.order_pos = 0;
  c.order_ready = false;
  proceed(c);
  return true;
}

void B2bua::noteTargetAnswer(Call& c, uint16_t code) {
  if (env_.health == nullptr || c.cancelled)
    return;
  const config::Peer& peer = c.policy->config->peers[c.route->to_peers[c.target]];
  if (const config::PeerTarget* target = currentTarget(c, peer))
    env_.health->recordInviteAnswer(peer.name, targetKey(*target), code, timers_.now());
}

void B2bua::noteTargetFailure(Call& c, uint16_t code, const sip::Message* response,
                              std::string_view why) {
  if (env_.health == nullptr || c.b_early || c.cancelled)
    return;
  const config::Peer& peer = c.policy->config->peers[c.route->to_peers[c.target]];
  const config::PeerTarget* target = currentTarget(c, peer);
  if (target == nullptr)
    return;
  std::optional<std::chrono::seconds> retry_after;
  if (response != nullptr) {
    if (const sip::HeaderField* h = response->first(sip::HeaderId::RetryAfter))
      retry_after = parseRetryAfter(h->value);
  }
  env_.health->recordInviteFailure(peer.name, targetKey(*target), code, retry_after, why,
                                   timers_.now());
}

void B2bua::failInitial(Call& c, uint16_t code, std::string_view reason, std::string_view why) {
  GH_LOG_INFO(Module::Call, "call-id={} call {} fails with {}: {}", c.a.call_id, c.id, code, why);
  if (c.invite && c.invite->from == LegSide::A && c.invite->server != 0 && !c.invite->answered) {
    if (const sip::Transaction* t = layer_->find(c.invite->server)) {
      respond(c.invite->server,
              sip::buildResponse(t->request(), code, {.reason = reason, .to_tag = c.a.local_tag}));
    }
  }
  ++counters_.calls_failed;
  // A B-leg INVITE still running must end (CANCEL, then its 487) before the call can go.
  if (c.invite && c.invite->client != 0 && layer_->find(c.invite->client) != nullptr &&
      !c.cancelled) {
    c.cancelled = true;
    (void)layer_->cancel(c.invite->client);
    return;
  }
  endCall(c.id, why);
}

void B2bua::onCancel(sip::TxnId invite_server, const sip::Message& cancel) {
  auto owner = server_owners_.find(invite_server);
  Call* c = owner == server_owners_.end() ? nullptr : findCall(owner->second);
  if (c == nullptr || !c->invite || c->invite->server != invite_server) {
    // Already answered or unknown: the layer's 200 to the CANCEL is all that is owed.
    if (const sip::Transaction* t = layer_->find(invite_server)) {
      respond(invite_server, sip::buildResponse(t->request(), 487));
    }
    return;
  }
  GH_LOG_INFO(Module::Call, "call-id={} call {} CANCEL from the {} leg", cancel.callId(), c->id,
              c->invite->from == LegSide::A ? "caller's" : "callee's");
  if (const sip::Transaction* t = layer_->find(invite_server)) {
    respond(invite_server,
            sip::buildResponse(t->request(), 487, {.to_tag = leg(*c, c->invite->from).local_tag}));
  }
  bool initial = c->state == Call::State::Calling || c->state == Call::State::Early;
  if (c->invite->client != 0 && layer_->find(c->invite->client) != nullptr) {
    (void)layer_->cancel(c->invite->client);
  }
  if (initial) {
    c->cancelled = true;
    ++counters_.calls_failed;
    if (c->invite->client == 0)
      endCall(c->id, "cancelled before the INVITE left");
  } else {
    c->invite->server = 0; // the re-INVITE's final response from the other leg is dropped
  }
}

void B2bua::onResponse(sip::TxnId client, const sip::Message& response, const sip::Flow& flow) {
  (void)flow;
  auto owner = client_owners_.find(client);
  if (owner == client_owners_.end())
    return;
  TxnOwner who = owner->second;
  Call* c = findCall(who.call);
  if (c == nullptr)
    return;
  switch (who.purpose) {
  case Purpose::InitialInvite: onInitialResponse(*c, client, response); return;
  case Purpose::Relay: onRelayedResponse(*c, who, client, response); return;
  case Purpose::Bye:
    if (response.statusCode() >= 200 && --c->byes_pending <= 0)
      endCall(c->id, "BYE completed");
    return;
  case Purpose::Prack: return;
  }
}

void B2bua::onInitialResponse(Call& c, sip::TxnId client, const sip::Message& response) {
  const uint16_t code = response.statusCode();
  if (code == 100)
    return;
  if (!c.invite || c.invite->client != client) {
    // A 2xx retransmission after the ACK went out, or an old target's late answer.
    if (code >= 200 && code < 300 && !c.b.last_ack.empty() && response.callId() == c.b.call_id &&
        response.cseq().number == c.b.last_ack_cseq) {
      layer_->sendStateless(c.b.flow, c.b.last_ack);
    }
    return;
  }
  Leg& b = c.b;
  if (code >= 200 && code < 300 && b.confirmed) {
    // The callee retransmits its 2xx because the caller has not ACKed ours yet (§13.3.1.4): we
    // retransmit toward the caller ourselves, and the callee's ACK follows the caller's.
    return;
  }
  if (code >= 200)
    disarmNoAnswer(c);
  auto to_tag = response.to().tag();
  if (code < 300 && !to_tag.empty()) {
    if (b.remote_tag.empty() || code >= 200)
      b.remote_tag = std::string(to_tag);
    auto contacts = response.contacts();
    if (!contacts.empty())
      b.remote_target = std::string(contacts.front().uri.raw);
    b.route_set.clear();
    auto rr = response.recordRoutes();
    for (auto it = rr.rbegin(); it != rr.rend(); ++it) {
      b.route_set.push_back(fmt::format("<{}>", it->uri.raw));
    }
  }
  if (c.cancelled) {
    if (code >= 200 && code < 300) {
      // The callee answered while we were cancelling: complete its dialog and end it.
      b.confirmed = true;
      sendAck(c, LegSide::B, c.invite->other_cseq, "", "");
      c.invite.reset();
      c.state = Call::State::Ending;
      sendBye(c, LegSide::B, "cancelled");
      if (c.byes_pending == 0)
        endCall(c.id, "cancelled");
    } else if (code >= 300) {
      endCall(c.id, fmt::format("cancelled ({} from the callee)", code));
    }
    return;
  }
  const bool failover_code = code >= 300 && judgeInviteFailure(code, std::nullopt).try_next;
  if ((code < 200 && !to_tag.empty()) || (code >= 200 && !failover_code))
    noteTargetAnswer(c, code);
  if (code < 200) {
    armNoAnswer(c);
    if (!to_tag.empty())
      c.b_early = true;
    c.state = Call::State::Early;
    auto require = response.tokens(sip::HeaderId::Require);
    if (require && std::find(require->begin(), require->end(), "100rel") != require->end()) {
      prackReliable(c, response);
    }
  } else if (code < 300) {
    b.confirmed = true;
    c.state = Call::State::Answered;
    ++counters_.calls_answered;
  } else if (failover_code) {
    // 408 and 503 only: 4xx/5xx/6xx answers (603 Decline above all) are final, never retried.
    noteTargetFailure(c, code, &response, fmt::format("{}", code));
    if (tryNextTarget(c, fmt::format("{}", code)))
      return;
  }
  const config::Config& config = *c.policy->config;
  const config::HeaderPolicy& to_caller =
      c.a.peer ? config.peers[*c.a.peer].header_policy : config::HeaderPolicy{};
  MessageCopy copy = copyResponse(response, to_caller);
  if (code == 503) {
    // The far peer's Retry-After speaks of that peer; at the PBX it would take the whole trunk
    // (every route through Gatehouse) out of service for that long (RFC 3261 §16.7 drops it too).
    route::removeHeader(copy.headers, "Retry-After");
  }
  if (code >= 300) {
    GH_LOG_INFO(Module::Call, "call-id={} call {} callee answered {} {}", c.a.call_id, c.id, code,
                response.reasonPhrase());
    forwardResponse(c, LegSide::A, c.invite->server, std::move(copy), "");
    ++counters_.calls_failed;
    endCall(c.id, fmt::format("{} from the callee", code));
    return;
  }
  if (copy.body.empty()) {
    if (code >= 200 && c.invite->offer_in_request && !c.invite->early_answer.empty()) {
      copy.content_type = c.invite->early_answer_type;
      std::string answer = c.invite->early_answer;
      forwardResponse(c, LegSide::A, c.invite->server, std::move(copy), answer);
      return;
    }
    forwardResponse(c, LegSide::A, c.invite->server, std::move(copy), "");
    return;
  }
  uint64_t id = c.id;
  bool is_answer = c.invite->offer_in_request;
  auto done = [this, id, copy](Expected<std::string, MediaFailure> sdp) mutable {
    Call* call = findCall(id);
    if (call == nullptr || !call->invite)
      return;
    if (!sdp) {
      GH_LOG_INFO(Module::Call, "call-id={} callee's SDP refused by media: {}", call->a.call_id,
                  sdp.error().reason);
      if (copy.code >= 200) {
        hangUp(*call, "media failure");
      }
      return;
    }
    if (copy.code < 200 && call->invite->offer_in_request) {
      call->invite->early_answer = *sdp;
      call->invite->early_answer_type = copy.content_type;
    }
    forwardResponse(*call, LegSide::A, call->invite->server, std::move(copy), *sdp);
  };
  std::string body = copy.body;
  if (is_answer) {
    media_.answer(mediaContext(c), LegSide::B, body, std::move(done));
  } else {
    media_.offer(mediaContext(c), LegSide::B, body, std::move(done));
  }
}

void B2bua::onTimeout(sip::TxnId client) {
  clientFailed(client, 408, "no final response (Timer B/F)");
}

void B2bua::onTransportError(sip::TxnId client) {
  clientFailed(client, 503, "transport error");
}

// A client transaction ended without a final response: the INVITE fails over or answers the
// caller `code`, a relayed request answers its sender `code`, a BYE simply completes.
void B2bua::clientFailed(sip::TxnId client, uint16_t code, std::string_view why) {
  auto owner = client_owners_.find(client);
  if (owner == client_owners_.end())
    return;
  TxnOwner who = owner->second;
  Call* c = findCall(who.call);
  if (c == nullptr)
    return;
  switch (who.purpose) {
  case Purpose::InitialInvite:
    if (!c->invite || c->invite->client != client)
      return;
    if (c->cancelled) {
      endCall(c->id, fmt::format("cancelled; then {}", why));
      return;
    }
    noteTargetFailure(*c, 0, nullptr, why);
    if (tryNextTarget(*c, why))
      return;
    c->invite->client = 0;
    failInitial(*c, code, "", fmt::format("INVITE to {}: {}", c->b.flow.remote.toString(), why));
    return;
  case Purpose::Relay: {
    auto relay = c->relays.find(client);
    if (relay == c->relays.end())
      return;
    auto [server, side] = relay->second;
    c->relays.erase(relay);
    if (c->invite && c->invite->client == client)
      c->invite.reset();
    if (const sip::Transaction* t = layer_->find(server)) {
      respond(server, sip::buildResponse(t->request(), code));
    }
    return;
  }
  case Purpose::Bye:
    if (--c->byes_pending <= 0)
      endCall(c->id, fmt::format("BYE ended: {}", why));
    return;
  case Purpose::Prack: return;
  }
}

void B2bua::onStrayResponse(const sip::Message& response, const sip::Flow& flow) {
  (void)flow;
  // A 2xx retransmission for an INVITE whose transaction is gone: ACK it again from the dialog.
  if (response.statusCode() < 200 || response.statusCode() >= 300)
    return;
  LegSide side = LegSide::B;
  Call* c = findByDialog(response.callId(), response.from().tag(), &side);
  if (c == nullptr)
    return;
  Leg& l = leg(*c, side);
  if (!l.last_ack.empty() && response.cseq().number == l.last_ack_cseq)
    layer_->sendStateless(l.flow, l.last_ack);
}

void B2bua::armNoAnswer(Call& c) {
  disarmNoAnswer(c);
  uint64_t id = c.id;
  auto limit = c.policy->config->timers.no_answer;
  c.no_answer_timer =
      timers_.schedule(std::chrono::duration_cast<sip::Duration>(limit), [this, id, limit]() {
        Call* call = findCall(id);
        if (call == nullptr)
          return;
        call->no_answer_timer = 0;
        if (call->cancelled || !call->invite || call->invite->answered)
          return;
        failInitial(*call, 408, "", fmt::format("no answer within {} s (Timer C)", limit.count()));
      });
}

void B2bua::disarmNoAnswer(Call& c) {
  if (c.no_answer_timer != 0) {
    timers_.cancel(c.no_answer_timer);
    c.no_answer_timer = 0;
  }
}

void B2bua::prackReliable(Call& c, const sip::Message& response) {
  const sip::HeaderField* rseq = response.first(sip::HeaderId::RSeq);
  if (rseq == nullptr)
    return;
  Leg& b = c.b;
  route::HeaderList extra{{"RAck", fmt::format("{} {} INVITE", rseq->value, c.invite->other_cseq)}};
  std::string text = buildLegRequest(b, {.method = "PRACK",
                                         .cseq = ++b.local_cseq,
                                         .branch = sip::makeBranch(),
                                         .user_agent = c.policy->config->sbc.user_agent,
                                         .extra = &extra});
  auto txn = layer_->sendRequest(text, b.flow);
  if (txn)
    client_owners_[*txn] = {c.id, Purpose::Prack, LegSide::B};
}

} // namespace gh::call
