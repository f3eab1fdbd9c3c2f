#include "call/b2bua.h"

#include <fmt/format.h>

#include "call/call_state.h"
#include "call/header_policy.h"
#include "common/log.h"
#include "sip/parser/status.h"
#include "sip/transaction/header_text.h"
#include "sip/transaction/response_builder.h"

namespace gh::call {

namespace {

RateLimitSettings limitsOf(const config::Config& c) {
  return {.requests_per_second = c.protection.requests_per_second,
          .burst = c.protection.burst,
          .max_sources = 65536};
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y)
      return false;
  }
  return true;
}

std::string dialogKey(std::string_view call_id, std::string_view local_tag) {
  std::string key;
  key.reserve(call_id.size() + local_tag.size() + 1);
  key.append(call_id).push_back('\n');
  key.append(local_tag);
  return key;
}

} // namespace

B2bua::B2bua(std::shared_ptr<const Policy> policy, Environment env, sip::TimerService& timers,
             MediaHook& media)
    : policy_(std::move(policy)), env_(std::move(env)), timers_(timers), media_(media),
      limiter_(limitsOf(*policy_->config)) {}

B2bua::~B2bua() {
  for (auto& [id, call] : calls_) {
    if (call->invite && call->invite->timer != 0)
      timers_.cancel(call->invite->timer);
    if (call->no_answer_timer != 0)
      timers_.cancel(call->no_answer_timer);
    media_.release(mediaContext(*call));
  }
}

void B2bua::reload(std::shared_ptr<const Policy> policy) {
  policy_ = std::move(policy);
  limiter_.reconfigure(limitsOf(*policy_->config));
}

// ---- ingress -----------------------------------------------------------------------------

void B2bua::onInbound(sip::Message&& message, const sip::Flow& flow) {
  if (message.isRequest()) {
    ++counters_.requests_received;
    auto verdict = policy_->sources.classify(flow.interface, flow.remote);
    if (!verdict.allowed) {
      ++counters_.dropped_not_allowed;
      GH_LOG_INFO(Module::Call,
                  "call-id={} {} from {} dropped: source not in the allow list of "
                  "interface #{} and not one of its peers",
                  message.callId(), message.methodText(), flow.remote.toString(), flow.interface);
      return;
    }
    if (message.method() != sip::Method::Ack) {
      switch (limiter_.admit(flow.remote, timers_.now())) {
      case RateVerdict::Accept: break;
      case RateVerdict::Reject503: {
        ++counters_.rate_limited_503;
        GH_LOG_INFO(Module::Call, "call-id={} {} from {}: over {} requests/s, 503",
                    message.callId(), message.methodText(), flow.remote.toString(),
                    policy_->config->protection.requests_per_second);
        route::HeaderList extra{
            {"Retry-After", std::to_string(policy_->config->protection.retry_after.count())}};
        respondStateless(message, flow, 503, extra);
        return;
      }
      case RateVerdict::Drop:
        ++counters_.rate_limited_dropped;
        GH_LOG_DEBUG(Module::Call, "{} from {} dropped: flooding", message.methodText(),
                     flow.remote.toString());
        return;
      }
    }
  } else {
    uint16_t code = message.statusCode();
    if (code >= 100 && code < 700)
      ++counters_.responses_received[code / 100];
  }
  if (layer_ != nullptr)
    layer_->handleMessage(std::move(message), flow);
}

void B2bua::onParseError(std::string_view bytes, const Error& error, const sip::Flow& flow) {
  auto verdict = policy_->sources.classify(flow.interface, flow.remote);
  if (!verdict.allowed) {
    ++counters_.dropped_not_allowed;
    return;
  }
  // Only a request whose Via, From, To, Call-ID and CSeq we can copy can be answered (§8.2.6);
  // such bytes would have parsed, so answering means building from the raw lines.
  auto status = sip::statusFor(error.code);
  auto dropped = [&](std::string_view why) {
    GH_LOG_INFO(Module::Call, "unparsable message from {} ({} bytes): {} at byte {}; dropped: {}",
                flow.remote.toString(), bytes.size(), error.what, error.offset, why);
  };
  if (bytes.size() < 4 || bytes.substr(0, 4) == "SIP/") {
    dropped("a response is never answered");
    return;
  }
  // Copy the mandatory headers line by line when present; without them there is no answer.
  std::string_view rest = bytes;
  std::string via, from, to, call_id, cseq;
  for (std::size_t guard = 0; guard < 256 && !rest.empty(); ++guard) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (line.empty())
      break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
      name.remove_suffix(1);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    auto id = sip::lookupHeader(name);
    if (id == sip::HeaderId::Via && via.empty())
      via = value;
    if (id == sip::HeaderId::From && from.empty())
      from = value;
    if (id == sip::HeaderId::To && to.empty())
      to = value;
    if (id == sip::HeaderId::CallId && call_id.empty())
      call_id = value;
    if (id == sip::HeaderId::CSeq && cseq.empty())
      cseq = value;
  }
  if (via.empty() || from.empty() || to.empty() || call_id.empty() || cseq.empty()) {
    dropped("no Via, From, To, Call-ID and CSeq to copy into a response");
    return;
  }
  if (cseq.find("ACK") != std::string::npos) {
    dropped("an ACK is never answered");
    return;
  }
  GH_LOG_INFO(Module::Call, "unparsable request from {} ({} bytes): {} at byte {}; answer {}",
              flow.remote.toString(), bytes.size(), error.what, error.offset, status.code);
  std::string out =
      fmt::format("SIP/2.0 {} {}\r\nVia: {}\r\nFrom: {}\r\nTo: {}\r\nCall-ID: {}\r\n"
                  "CSeq: {}\r\nWarning: 399 gatehouse \"{}\"\r\nContent-Length: 0\r\n\r\n",
                  status.code, status.reason, via, from, to, call_id, cseq, error.what);
  ++counters_.parse_errors_answered;
  ++counters_.responses_sent[status.code / 100];
  if (env_.send_stateless)
    env_.send_stateless(flow, std::move(out));
}

void B2bua::respondStateless(const sip::Message& request, const sip::Flow& flow, uint16_t code,
                             const route::HeaderList& extra) {
  if (request.method() == sip::Method::Ack)
    return;
  std::vector<sip::HeaderLine> lines;
  for (const auto& h : extra)
    lines.push_back({h.name, h.value});
  std::string text = sip::buildResponse(request, code, {.headers = std::move(lines)});
  countSent(text);
  if (env_.send_stateless)
    env_.send_stateless(flow, std::move(text));
}

void B2bua::respond(sip::TxnId server, std::string response) {
  countSent(response);
  auto ok = layer_->respond(server, std::move(response));
  if (!ok) {
    GH_LOG_DEBUG(Module::Call, "txn={} response not sent: {}", server,
                 sip::txnErrorName(ok.error()));
  }
}

void B2bua::countSent(std::string_view response) {
  if (response.size() > 8 && response[7] == ' ' && response[8] >= '1' && response[8] <= '6') {
    ++counters_.responses_sent[static_cast<std::size_t>(response[8] - '0')];
  }
}

// ---- TransactionUser: dispatch ------------------------------------------------------------

void B2bua::onRequest(sip::TxnId server, const sip::Message& request, const sip::Flow& flow) {
  if (!precheck(server, request))
    return;
  if (!request.to().tag().empty()) {
    inDialogRequest(server, request, flow);
    return;
  }
  switch (request.method()) {
  case sip::Method::Invite: newInvite(server, request, flow); return;
  case sip::Method::Options: answerOptions(server, request, flow); return;
  case sip::Method::Bye:
  case sip::Method::Info:
  case sip::Method::Update:
  case sip::Method::Prack:
  case sip::Method::Notify:
    ++counters_.unknown_dialog_481;
    respond(server, sip::buildResponse(request, 481));
    return;
  case sip::Method::Other: respond(server, sip::buildResponse(request, 501)); return;
  default: {
    std::vector<sip::HeaderLine> allow{
        {"Allow",
         "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, NOTIFY, PRACK, REFER, MESSAGE"}};
    respond(server, sip::buildResponse(request, 405, {.headers = allow}));
    return;
  }
  }
}

// Checks every request must pass before anything else: the answers RFC 3261 §8.2 and §16.3
// prescribe for what a B2BUA cannot carry.
bool B2bua::precheck(sip::TxnId server, const sip::Message& request) {
  auto uri = request.requestUri();
  if (uri.scheme != sip::UriScheme::Sip && uri.scheme != sip::UriScheme::Sips &&
      uri.scheme != sip::UriScheme::Tel) {
    respond(server, sip::buildResponse(request, 416));
    GH_LOG_INFO(Module::Call, "call-id={} {}: Request-URI scheme '{}' not supported, 416",
                request.callId(), request.methodText(), uri.scheme_text);
    return false;
  }
  auto max_forwards = request.maxForwards();
  if (max_forwards && *max_forwards == 0 && request.method() != sip::Method::Options) {
    respond(server, sip::buildResponse(request, 483));
    GH_LOG_INFO(Module::Call, "call-id={} {}: Max-Forwards 0, 483", request.callId(),
                request.methodText());
    return false;
  }
  auto require = request.tokens(sip::HeaderId::Require);
  if (require) {
    std::string unsupported;
    for (auto token : *require) {
      if (token == "timer")
        continue;
      if (!unsupported.empty())
        unsupported += ", ";
      unsupported += token;
    }
    if (!unsupported.empty()) {
      std::vector<sip::HeaderLine> lines{{"Unsupported", unsupported}};
      respond(server, sip::buildResponse(request, 420, {.headers = lines}));
      GH_LOG_INFO(Module::Call, "call-id={} {}: Require '{}' not supported, 420", request.callId(),
                  request.methodText(), unsupported);
      return false;
    }
  }
  if (!request.body().empty() &&
      (request.method() == sip::Method::Invite || request.method() == sip::Method::Update)) {
    std::string_view type = request.contentType();
    auto semi = type.find(';');
    if (semi != std::string_view::npos)
      type = type.substr(0, semi);
    while (!type.empty() && type.back() == ' ')
      type.remove_suffix(1);
    if (!equalsIgnoreCase(type, "application/sdp")) {
      std::vector<sip::HeaderLine> lines{{"Accept", "application/sdp"}};
      respond(server, sip::buildResponse(request, 415, {.headers = lines}));
      GH_LOG_INFO(Module::Call, "call-id={} {}: body of type '{}' cannot be relayed, 415",
                  request.callId(), request.methodText(), request.contentType());
      return false;
    }
  }
  return true;
}

void B2bua::answerOptions(sip::TxnId server, const sip::Message& options, const sip::Flow& flow) {
  std::vector<sip::HeaderLine> lines{
      {"Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, NOTIFY, PRACK, REFER, MESSAGE"},
      {"Accept", "application/sdp"},
      {"Supported", "timer"}};
  const std::string& ua = policy_->config->sbc.user_agent;
  if (!ua.empty())
    lines.push_back({"Server", ua});
  // Teams' proxies probe the SBC too; its answer identifies the SBC the way its requests do.
  auto verdict = policy_->sources.classify(flow.interface, flow.remote);
  if (verdict.peer) {
    const std::string& x_ms_sbc = policy_->config->peers[*verdict.peer].x_ms_sbc;
    if (!x_ms_sbc.empty())
      lines.push_back({"X-MS-SBC", x_ms_sbc});
  }
  respond(server, sip::buildResponse(options, 200, {.headers = lines}));
}

// ---- lookups -------------------------------------------------------------------------------

B2bua::Call* B2bua::findCall(uint64_t id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second.get();
}

B2bua::Call* B2bua::findByDialog(std::string_view call_id, std::string_view local_tag,
                                 LegSide* side) {
  auto it = dialogs_.find(dialogKey(call_id, local_tag));
  if (it == dialogs_.end())
    return nullptr;
  if (side != nullptr)
    *side = it->second.second;
  return findCall(it->second.first);
}

void B2bua::registerDialog(Call& call, LegSide side) {
  Leg& l = leg(call, side);
  dialogs_[dialogKey(l.call_id, l.local_tag)] = {call.id, side};
}

Leg& B2bua::leg(Call& call, LegSide side) {
  return side == LegSide::A ? call.a : call.b;
}

MediaContext B2bua::mediaContext(const Call& call) const {
  MediaContext ctx;
  ctx.call = call.id;
  ctx.a_call_id = call.a.call_id;
  ctx.a_tag = call.a.remote_tag;
  ctx.b_tag = call.b.remote_tag;
  ctx.a_interface = call.a.interface.value_or(0);
  ctx.b_interface = call.b.interface.value_or(0);
  ctx.a_peer = call.a.peer.value_or(SIZE_MAX);
  ctx.b_peer = call.b.peer.value_or(SIZE_MAX);
  ctx.route = call.route;
  ctx.config = call.policy ? call.policy->config.get() : nullptr;
  return ctx;
}

std::optional<LegIdentity> B2bua::identityFor(const config::Config& config, std::size_t interface,
                                              std::optional<std::size_t> peer,
                                              sip::Transport transport) const {
  if (interface >= config.interfaces.size())
    return std::nullopt;
  auto local = env_.local_endpoint
                   ? env_.local_endpoint(static_cast<sip::InterfaceIndex>(interface), transport)
                   : std::nullopt;
  if (!local)
    return std::nullopt;
  LegIdentity me;
  me.transport = transport;
  me.port = local->port();
  const config::Interface& iface = config.interfaces[interface];
  if (peer && config.peers[*peer].identity == config::Identity::Fqdn && !config.sbc.fqdn.empty()) {
    me.host = config.sbc.fqdn;
  } else if (iface.advertise) {
    me.host = config::formatIpAddress(*iface.advertise);
    if (iface.advertise->family == config::IpFamily::V6)
      me.host = "[" + me.host + "]";
  } else {
    me.host = local->ipForUri();
  }
  return me;
}

std::vector<CallSummary> B2bua::summaries() const {
  std::vector<CallSummary> out;
  auto now = std::chrono::steady_clock::now();
  static constexpr std::string_view kStates[] = {"calling", "early", "answered", "confirmed",
                                                 "ending"};
  for (const auto& [id, call] : calls_) {
    CallSummary s;
    s.id = id;
    s.a_call_id = call->a.call_id;
    s.b_call_id = call->b.call_id;
    s.from = call->from_text;
    s.to = call->to_text;
    s.route = call->route != nullptr ? call->route->route->name : "";
    if (call->b.peer && *call->b.peer < call->policy->config->peers.size()) {
      s.peer = call->policy->config->peers[*call->b.peer].name;
    }
    s.state = kStates[static_cast<int>(call->state)];
    s.age_s = std::chrono::duration<double>(now - call->created).count();
    out.push_back(std::move(s));
  }
  return out;
}

// ---- ending --------------------------------------------------------------------------------

// RFC 3261 §15.1.2: requests of the call still unanswered when it ends (a re-INVITE or INFO
// crossing a BYE) get 487; otherwise their server transactions would wait forever.
void B2bua::answerPending(Call& call) {
  auto answer = [this, &call](sip::TxnId server) {
    const sip::Transaction* t = server != 0 ? layer_->find(server) : nullptr;
    if (t == nullptr ||
        (t->state() != sip::TxnState::Trying && t->state() != sip::TxnState::Proceeding)) {
      return;
    }
    respond(server, sip::buildResponse(t->request(), 487, {.to_tag = call.a.local_tag}));
  };
  if (call.invite)
    answer(call.invite->server);
  for (const auto& [client, relay] : call.relays)
    answer(relay.first);
}

void B2bua::endCall(uint64_t id, std::string_view why) {
  auto it = calls_.find(id);
  if (it == calls_.end())
    return;
  Call& call = *it->second;
  GH_LOG_INFO(Module::Call, "call-id={} call {} ended: {}", call.a.call_id, id, why);
  answerPending(call);
  // An INVITE of ours still waiting for its final response (a re-INVITE answered only 100) has
  // no timer left to end it: CANCEL it (§9.1), so its transaction does not outlive the call.
  if (call.invite && call.invite->client != 0 && layer_->find(call.invite->client) != nullptr) {
    (void)layer_->cancel(call.invite->client);
  }
  stopOkRetransmit(call);
  disarmNoAnswer(call);
  media_.release(mediaContext(call));
  dialogs_.erase(dialogKey(call.a.call_id, call.a.local_tag));
  if (!call.b.call_id.empty())
    dialogs_.erase(dialogKey(call.b.call_id, call.b.local_tag));
  for (auto owner = client_owners_.begin(); owner != client_owners_.end();) {
    owner = owner->second.call == id ? client_owners_.erase(owner) : std::next(owner);
  }
  for (auto owner = server_owners_.begin(); owner != server_owners_.end();) {
    owner = owner->second == id ? server_owners_.erase(owner) : std::next(owner);
  }
  auto src = calls_per_source_.find(call.source_key);
  if (src != calls_per_source_.end() && --src->second == 0)
    calls_per_source_.erase(src);
  --counters_.calls_active;
  calls_.erase(it);
}

void B2bua::hangUp(Call& call, std::string_view reason) {
  if (call.state == Call::State::Ending)
    return;
  if (call.state == Call::State::Calling || call.state == Call::State::Early) {
    // Not answered: the caller gets a final response, the callee a CANCEL.
    call.cancelled = true;
    if (call.invite && call.invite->client != 0)
      (void)layer_->cancel(call.invite->client);
    if (call.invite && call.invite->server != 0 && !call.invite->answered) {
      failInitial(call, 503, "Service Unavailable", reason);
      return;
    }
  }
  call.state = Call::State::Ending;
  if (call.a.confirmed || call.invite)
    sendBye(call, LegSide::A, reason);
  if (call.b.confirmed)
    sendBye(call, LegSide::B, reason);
  if (call.byes_pending == 0)
    endCall(call.id, reason);
}

void B2bua::hangUpAll(std::string_view reason) {
  std::vector<uint64_t> ids;
  for (const auto& [id, call] : calls_)
    ids.push_back(id);
  for (uint64_t id : ids) {
    if (Call* call = findCall(id))
      hangUp(*call, reason);
  }
}

void B2bua::onMediaTimeout(uint64_t id) {
  Call* call = findCall(id);
  if (call == nullptr)
    return;
  ++counters_.media_timeouts;
  GH_LOG_INFO(Module::Call, "call-id={} media timeout: BYE on both legs", call->a.call_id);
  hangUp(*call, "media timeout");
}

void B2bua::onTerminated(sip::TxnId id, sip::TxnKind kind) {
  if (sip::isClient(kind)) {
    client_owners_.erase(id);
  } else {
    server_owners_.erase(id);
  }
}

} // namespace gh::call
