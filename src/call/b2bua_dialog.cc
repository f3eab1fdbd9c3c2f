// In-dialog requests (BYE, re-INVITE, UPDATE, INFO, NOTIFY, OPTIONS, ...), ACK, 2xx
// retransmission and the responses carried back.

#include <fmt/format.h>

#include "call/b2bua.h"
#include "call/call_state.h"
#include "call/header_policy.h"
#include "call/message_copy.h"
#include "common/log.h"
#include "sip/transaction/random_id.h"
#include "sip/transaction/response_builder.h"

namespace gh::call {

namespace {

LegSide other(LegSide s) {
  return s == LegSide::A ? LegSide::B : LegSide::A;
}

const char* sideName(LegSide s) {
  return s == LegSide::A ? "caller" : "callee";
}

// Removes SDP lines starting with any of the prefixes (a route's reply rules).
std::string removeSdpLines(std::string_view sdp,
                           const std::vector<config::SdpLinePrefix>& prefixes) {
  if (prefixes.empty())
    return std::string(sdp);
  std::string out;
  out.reserve(sdp.size());
  while (!sdp.empty()) {
    auto end = sdp.find('\n');
    std::string_view line = end == std::string_view::npos ? sdp : sdp.substr(0, end + 1);
    sdp.remove_prefix(line.size());
    bool drop = std::any_of(prefixes.begin(), prefixes.end(), [&](const config::SdpLinePrefix& p) {
      return line.substr(0, p.prefix.size()) == p.prefix;
    });
    if (!drop)
      out += line;
  }
  return out;
}

} // namespace

void B2bua::inDialogRequest(sip::TxnId server, const sip::Message& request, const sip::Flow& flow) {
  (void)flow;
  LegSide side = LegSide::A;
  Call* c = findByDialog(request.callId(), request.to().tag(), &side);
  if (c == nullptr || (c->state == Call::State::Ending && request.method() != sip::Method::Bye)) {
    ++counters_.unknown_dialog_481;
    respond(server, sip::buildResponse(request, 481));
    GH_LOG_INFO(Module::Call, "call-id={} {} for an unknown dialog, 481", request.callId(),
                request.methodText());
    return;
  }
  Leg& from = leg(*c, side);
  uint32_t cseq = request.cseq().number;
  if (from.remote_cseq && cseq <= *from.remote_cseq && request.method() != sip::Method::Prack) {
    respond(server, sip::buildResponse(request, 500, {.reason = "CSeq Out of Order"}));
    return;
  }
  from.remote_cseq = cseq;
  if (request.method() == sip::Method::Invite || request.method() == sip::Method::Update) {
    auto contacts = request.contacts();
    if (!contacts.empty())
      from.remote_target = std::string(contacts.front().uri.raw);
  }

  if (request.method() == sip::Method::Bye) {
    respond(server, sip::buildResponse(request, 200));
    GH_LOG_INFO(Module::Call, "call-id={} call {} BYE from the {}", c->a.call_id, c->id,
                sideName(side));
    if (c->state == Call::State::Ending)
      return;
    if (c->invite && c->invite->answered && !c->invite->acked && c->invite->from == side) {
      // BYE without the ACK: complete the other leg's INVITE before ending it.
      stopOkRetransmit(*c);
      sendAck(*c, other(side), c->invite->other_cseq, "", "");
    }
    answerPending(*c);
    c->invite.reset();
    c->state = Call::State::Ending;
    Leg& to = leg(*c, other(side));
    if (to.confirmed)
      sendBye(*c, other(side), "BYE");
    if (c->byes_pending == 0)
      endCall(c->id, fmt::format("BYE from the {}", sideName(side)));
    return;
  }
  if (request.method() == sip::Method::Invite) {
    if (c->invite || c->state != Call::State::Confirmed) {
      ++counters_.glare_491;
      std::vector<sip::HeaderLine> lines{{"Retry-After", "1"}};
      respond(server, sip::buildResponse(request, 491, {.headers = lines}));
      GH_LOG_INFO(Module::Call, "call-id={} re-INVITE from the {} while another is pending, 491",
                  c->a.call_id, sideName(side));
      return;
    }
    InviteRelay relay;
    relay.from = side;
    relay.server = server;
    relay.from_cseq = cseq;
    relay.offer_in_request = !request.body().empty();
    c->invite = relay;
    server_owners_[server] = c->id;
  }
  const config::Config& config = *c->policy->config;
  std::optional<std::size_t> to_peer = leg(*c, other(side)).peer;
  MessageCopy copy =
      copyRequest(request, to_peer ? config.peers[*to_peer].header_policy : config::HeaderPolicy{});
  bool sdp_offer = !copy.body.empty() && (request.method() == sip::Method::Invite ||
                                          request.method() == sip::Method::Update);
  if (!sdp_offer) {
    std::string body = copy.body;
    relayRequest(*c, side, server, std::move(copy), body);
    return;
  }
  uint64_t id = c->id;
  std::string offer = copy.body;
  media_.offer(mediaContext(*c), side, offer,
               [this, id, side, server, copy](Expected<std::string, MediaFailure> sdp) mutable {
                 Call* call = findCall(id);
                 if (call == nullptr)
                   return;
                 if (!sdp) {
                   if (const sip::Transaction* t = layer_->find(server)) {
                     respond(server, sip::buildResponse(t->request(), sdp.error().sip_code));
                   }
                   if (call->invite && call->invite->server == server)
                     call->invite.reset();
                   return;
                 }
                 relayRequest(*call, side, server, std::move(copy), *sdp);
               });
}

void B2bua::relayRequest(Call& c, LegSide from, sip::TxnId server, MessageCopy copy,
                         std::string_view body) {
  Leg& to = leg(c, other(from));
  const bool is_invite = copy.method == "INVITE";
  route::HeaderList extra = std::move(copy.headers);
  if (copy.timer_supported)
    extra.push_back({"Supported", "timer"});
  if (copy.timer_required)
    extra.push_back({"Require", "timer"});
  if (c.policy->config->sbc.topology_hiding)
    hideIdentityHosts(extra, to.me.host);
  uint32_t cseq = ++to.local_cseq;
  std::string text = buildLegRequest(
      to, {.method = copy.method,
           .cseq = cseq,
           .branch = sip::makeBranch(),
           .with_contact = is_invite || copy.method == "UPDATE" || copy.method == "NOTIFY" ||
                           copy.method == "REFER" || copy.method == "SUBSCRIBE",
           .user_agent = c.policy->config->sbc.user_agent,
           .extra = &extra,
           .content_type = copy.content_type,
           .body = body});
  auto txn = layer_->sendRequest(text, to.flow);
  if (!txn) {
    if (const sip::Transaction* t = layer_->find(server)) {
      respond(server, sip::buildResponse(t->request(), 503));
    }
    if (is_invite)
      c.invite.reset();
    return;
  }
  client_owners_[*txn] = {c.id, Purpose::Relay, other(from)};
  c.relays[*txn] = {server, from};
  if (is_invite && c.invite) {
    c.invite->client = *txn;
    c.invite->other_cseq = cseq;
  }
}

void B2bua::onRelayedResponse(Call& c, const TxnOwner& owner, sip::TxnId client,
                              const sip::Message& response) {
  (void)owner;
  const uint16_t code = response.statusCode();
  auto relay = c.relays.find(client);
  if (relay == c.relays.end()) {
    // A 2xx retransmission of a re-INVITE: ACKed again once we have ACKed it; before that (the
    // other side has not ACKed yet) the ACK still to come answers it.
    if (code >= 200 && code < 300 && response.cseq().method == sip::Method::Invite) {
      Leg& l = leg(c, owner.leg);
      if (!l.last_ack.empty() && l.last_ack_cseq == response.cseq().number)
        layer_->sendStateless(l.flow, l.last_ack);
    }
    return;
  }
  auto [server, from] = relay->second;
  const bool is_invite = response.cseq().method == sip::Method::Invite;
  if (code < 200 && (!is_invite || code == 100))
    return;
  if (code >= 200)
    c.relays.erase(relay);
  Leg& answered_on = leg(c, other(from));
  if (is_invite && code >= 200 && code < 300) {
    auto contacts = response.contacts();
    if (!contacts.empty())
      answered_on.remote_target = std::string(contacts.front().uri.raw);
  }
  const config::Config& config = *c.policy->config;
  std::optional<std::size_t> to_peer = leg(c, from).peer;
  MessageCopy copy = copyResponse(response, to_peer ? config.peers[*to_peer].header_policy
                                                    : config::HeaderPolicy{});
  if (is_invite && code >= 300 && c.invite && c.invite->client == client)
    c.invite.reset();
  if (server == 0)
    return; // the request was cancelled meanwhile
  const bool sdp =
      !copy.body.empty() && (is_invite || response.cseq().method == sip::Method::Update);
  if (!sdp) {
    std::string body = copy.body;
    forwardResponse(c, from, server, std::move(copy), body);
    return;
  }
  uint64_t id = c.id;
  bool is_answer = !is_invite || !c.invite || c.invite->offer_in_request;
  std::string body = copy.body;
  auto done = [this, id, from, server, copy](Expected<std::string, MediaFailure> out) mutable {
    Call* call = findCall(id);
    if (call == nullptr)
      return;
    if (!out) {
      hangUp(*call, "media failure on a re-offer");
      return;
    }
    forwardResponse(*call, from, server, std::move(copy), *out);
  };
  if (is_answer) {
    media_.answer(mediaContext(c), other(from), body, std::move(done));
  } else {
    media_.offer(mediaContext(c), other(from), body, std::move(done));
  }
}

std::string B2bua::forwardResponse(Call& c, LegSide to, sip::TxnId server, MessageCopy copy,
                                   std::string_view body) {
  const sip::Transaction* t = layer_->find(server);
  if (t == nullptr)
    return {};
  const sip::Message& request = t->request();
  const bool dialog_forming = copy.code < 300 && (request.method() == sip::Method::Invite ||
                                                  request.method() == sip::Method::Update);
  Leg& l = leg(c, to);
  route::HeaderList headers = std::move(copy.headers);
  if (copy.timer_supported)
    headers.push_back({"Supported", "timer"});
  if (copy.timer_required)
    headers.push_back({"Require", "timer"});
  if (c.policy->config->sbc.topology_hiding)
    hideIdentityHosts(headers, l.me.host);
  std::string final_body(body);
  if (to == LegSide::A && c.route != nullptr) {
    route::applyHeaderActions(*c.route, true, c.facts.view(), headers);
    if (!final_body.empty())
      final_body = removeSdpLines(final_body, c.route->route->reply.remove_sdp_lines);
  }
  const std::string& ua = c.policy->config->sbc.user_agent;
  if (!ua.empty())
    headers.push_back({"Server", ua});
  std::vector<sip::HeaderLine> lines;
  lines.reserve(headers.size());
  for (const auto& h : headers)
    lines.push_back({h.name, h.value});
  std::string contact = contactValue(l.me);
  std::string text =
      sip::buildResponse(request, copy.code,
                         {.reason = copy.reason,
                          .to_tag = l.local_tag,
                          .contact = dialog_forming && copy.code > 100 ? std::string_view(contact)
                                                                       : std::string_view{},
                          .headers = std::move(lines),
                          .content_type = final_body.empty() ? std::string_view{}
                                                             : std::string_view(copy.content_type),
                          .body = final_body});
  const bool invite_2xx =
      request.method() == sip::Method::Invite && copy.code >= 200 && copy.code < 300;
  respond(server, text);
  if (invite_2xx && c.invite && c.invite->server == server) {
    c.invite->answered = true;
    l.confirmed = true;
    if (c.state == Call::State::Answered || c.state == Call::State::Early ||
        c.state == Call::State::Calling) {
      c.state = Call::State::Answered;
    }
    startOkRetransmit(c, to, text);
  }
  return text;
}

void B2bua::onAck(const sip::Message& ack, const sip::Flow& flow) {
  (void)flow;
  LegSide side = LegSide::A;
  Call* c = findByDialog(ack.callId(), ack.to().tag(), &side);
  if (c == nullptr || !c->invite || c->invite->from != side || !c->invite->answered ||
      c->invite->acked || ack.cseq().number != c->invite->from_cseq) {
    return; // a retransmitted ACK, or one for a dialog we no longer have
  }
  relayAck(*c, side, ack);
}

void B2bua::relayAck(Call& c, LegSide from, const sip::Message& ack) {
  stopOkRetransmit(c);
  c.invite->acked = true;
  if (c.state == Call::State::Answered)
    c.state = Call::State::Confirmed;
  uint32_t other_cseq = c.invite->other_cseq;
  LegSide to = other(from);
  if (c.invite->offer_in_request || ack.body().empty()) {
    c.invite.reset();
    sendAck(c, to, other_cseq, "", "");
    return;
  }
  // Late offer: the ACK carries the answer to the offer the 2xx made.
  std::string content_type(ack.contentType());
  uint64_t id = c.id;
  c.invite.reset();
  media_.answer(mediaContext(c), from, ack.body(),
                [this, id, to, other_cseq, content_type](Expected<std::string, MediaFailure> sdp) {
                  Call* call = findCall(id);
                  if (call == nullptr)
                    return;
                  if (!sdp) {
                    sendAck(*call, to, other_cseq, "", "");
                    hangUp(*call, "media failure on the answer in the ACK");
                    return;
                  }
                  sendAck(*call, to, other_cseq, content_type, *sdp);
                });
}

void B2bua::sendAck(Call& c, LegSide on, uint32_t cseq, std::string_view content_type,
                    std::string_view body) {
  Leg& l = leg(c, on);
  l.last_ack = buildLegRequest(l, {.method = "ACK",
                                   .cseq = cseq,
                                   .branch = sip::makeBranch(),
                                   .user_agent = c.policy->config->sbc.user_agent,
                                   .content_type = content_type,
                                   .body = body});
  l.last_ack_cseq = cseq;
  layer_->sendStateless(l.flow, l.last_ack);
}

void B2bua::sendBye(Call& c, LegSide on, std::string_view reason) {
  Leg& l = leg(c, on);
  GH_LOG_DEBUG(Module::Call, "call-id={} call {} BYE to the {} ({})", c.a.call_id, c.id,
               sideName(on), reason);
  std::string text = buildLegRequest(l, {.method = "BYE",
                                         .cseq = ++l.local_cseq,
                                         .branch = sip::makeBranch(),
                                         .user_agent = c.policy->config->sbc.user_agent});
  auto txn = layer_->sendRequest(text, l.flow);
  if (!txn)
    return;
  client_owners_[*txn] = {c.id, Purpose::Bye, on};
  ++c.byes_pending;
}

void B2bua::startOkRetransmit(Call& c, LegSide to, std::string ok) {
  if (!c.invite)
    return;
  stopOkRetransmit(c); // at most one retransmission timer per INVITE
  const auto& settings = layer_->settings();
  c.invite->ok = std::move(ok);
  c.invite->interval = settings.t1;
  c.invite->give_up = timers_.now() + settings.timerB();
  uint64_t id = c.id;
  const bool reliable = sip::isReliable(leg(c, to).flow.transport);
  // The closure reschedules itself: the pending timer holds the only strong reference, so a
  // cancelled or finished retransmission frees it (a self-capture would be a cycle, a leak).
  auto fire = std::make_shared<std::function<void()>>();
  std::weak_ptr<std::function<void()>> weak = fire;
  *fire = [this, id, to, reliable, weak]() {
    auto self = weak.lock();
    Call* call = findCall(id);
    if (!self || call == nullptr || !call->invite || call->invite->acked)
      return;
    call->invite->timer = 0;
    if (timers_.now() >= call->invite->give_up) {
      GH_LOG_INFO(Module::Call, "call-id={} call {} no ACK from the {} for the 2xx: hanging up",
                  call->a.call_id, call->id, sideName(to));
      call->invite.reset();
      hangUp(*call, "no ACK");
      return;
    }
    if (!reliable) {
      layer_->sendStateless(leg(*call, to).flow, call->invite->ok);
      call->invite->interval = std::min(call->invite->interval * 2, layer_->settings().t2);
    }
    auto wait =
        reliable ? std::chrono::duration_cast<sip::Duration>(call->invite->give_up - timers_.now())
                 : call->invite->interval;
    call->invite->timer = timers_.schedule(wait, [self]() { (*self)(); });
  };
  c.invite->timer =
      timers_.schedule(reliable ? settings.timerB() : settings.t1, [fire]() { (*fire)(); });
}

void B2bua::stopOkRetransmit(Call& c) {
  if (c.invite && c.invite->timer != 0) {
    timers_.cancel(c.invite->timer);
    c.invite->timer = 0;
  }
}

} // namespace gh::call
