#include "media/ng/ng_client.h"

#include <algorithm>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <fmt/format.h>

#include "common/log.h"
#include "media/ng/bencode_writer.h"
#include "media/ng/ng_frame.h"
#include "net/asio_endpoint.h"

namespace gh::media::ng {

namespace {

using Clock = std::chrono::steady_clock;

MediaError unavailable(std::string reason) {
  return MediaError{MediaErrc::Unavailable, std::move(reason)};
}

} // namespace

struct NgClient::State : std::enable_shared_from_this<NgClient::State> {
  using OnReply = std::function<void(const BValue& reply)>;
  using OnFail = std::function<void(MediaError error)>;

  struct Pending {
    std::string command; // for logs
    std::string datagram;
    unsigned sent = 0;
    Clock::time_point deadline;
    std::unique_ptr<asio::steady_timer> timer;
    OnReply on_reply;
    OnFail on_fail;
  };

  State(asio::io_context& context, NgClientOptions opts)
      : io(context), options(std::move(opts)), socket(context) {}

  asio::io_context& io;
  NgClientOptions options;
  asio::ip::udp::socket socket;
  std::string cookie_prefix;
  uint64_t next_cookie = 1;
  std::unordered_map<std::string, Pending> pending;
  std::vector<char> buffer;
  NgClientCounters counters;
  // Offered and not deleted (for list()/statistics()), with when the offer was answered.
  std::unordered_map<std::string, Clock::time_point> calls;
  uint64_t calls_total = 0;
  std::function<void(const MediaEvent&)> on_event;
  std::unique_ptr<asio::steady_timer> poll_timer;
  bool closed = false;

  void receive();
  void onDatagram(std::string_view datagram);
  void send(std::string_view command, std::string payload, OnReply on_reply, OnFail on_fail);
  void transmit(Pending& p);
  void arm(const std::string& cookie);
  void expire(const std::string& cookie);
  void refuse(OnFail on_fail, MediaError error);
  void shutdown();
  void schedulePoll();
  void poll();
  void onList(const BValue& reply, Clock::time_point asked);
};

void NgClient::State::schedulePoll() {
  if (closed || !on_event || options.poll_interval.count() <= 0)
    return;
  if (!poll_timer)
    poll_timer = std::make_unique<asio::steady_timer>(io);
  poll_timer->expires_after(options.poll_interval);
  std::weak_ptr<State> weak = weak_from_this();
  poll_timer->async_wait([weak](const asio::error_code& ec) {
    auto self = weak.lock();
    if (!self || self->closed || ec)
      return;
    self->poll();
  });
}

void NgClient::State::poll() {
  if (calls.empty()) {
    schedulePoll();
    return;
  }
  const Clock::time_point asked = Clock::now();
  BencodeWriter w;
  w.beginDict()
      .key("command")
      .string("list")
      .key("limit")
      .integer(static_cast<int64_t>(kPollLimit))
      .end();
  send(
      "list", w.take(),
      [this, asked](const BValue& reply) {
        onList(reply, asked);
        schedulePoll();
      },
      [this](MediaError) { schedulePoll(); });
}

void NgClient::State::onList(const BValue& reply, Clock::time_point asked) {
  auto listed = reply.find("calls");
  if (!checkResult(reply) || !listed || !listed->isList() || listed->size() >= kPollLimit)
    return;
  std::unordered_set<std::string_view> present;
  for (BValue id : *listed) {
    if (id.isString())
      present.insert(id.str());
  }
  // Only calls answered before the list was asked for: a newer one may not be listed yet.
  std::vector<std::string> gone;
  for (const auto& [id, since] : calls) {
    if (since < asked && !present.contains(id))
      gone.push_back(id);
  }
  for (const std::string& id : gone) {
    calls.erase(id);
    ++counters.vanished;
  }
  // After the bookkeeping: the handler hangs calls up, which sends deletes through this client.
  for (std::string& id : gone) {
    if (closed || !on_event)
      return;
    GH_LOG_INFO(Module::Ng, "call-id={} no longer at media engine {}: media timeout", id,
                options.engine.toString());
    on_event(MediaEvent{MediaEvent::Kind::Timeout, std::move(id)});
  }
}

void NgClient::State::receive() {
  if (closed)
    return;
  std::weak_ptr<State> weak = weak_from_this();
  socket.async_receive(asio::buffer(buffer), [weak](const asio::error_code& ec, std::size_t n) {
    auto self = weak.lock();
    if (!self || self->closed || ec == asio::error::operation_aborted)
      return;
    if (!ec) {
      if (n > self->options.max_reply)
        ++self->counters.oversize;
      else
        self->onDatagram(std::string_view(self->buffer.data(), n));
    }
    // Other errors (ECONNREFUSED from an ICMP port unreachable) say nothing about a pending
    // request's fate: its retransmissions and deadline decide.
    self->receive();
  });
}

void NgClient::State::onDatagram(std::string_view datagram) {
  auto frame = splitFrame(datagram);
  if (!frame) {
    ++counters.bad_replies;
    return;
  }
  auto it = pending.find(std::string(frame->cookie));
  if (it == pending.end()) {
    ++counters.unknown_cookie;
    return;
  }
  BencodeLimits limits;
  limits.max_input = options.max_reply;
  auto doc = decodeBencode(frame->payload, limits);
  if (!doc) {
    ++counters.bad_replies;
    GH_LOG_DEBUG(Module::Ng, "NG reply to {} from {}: bad bencode ({}), ignored",
                 it->second.command, options.engine.toString(), doc.error().what);
    return;
  }
  Pending p = std::move(it->second);
  pending.erase(it);
  counters.pending = pending.size();
  p.timer->cancel();
  ++counters.replies;
  if (auto warning = doc->root().find("warning"); warning && warning->isString()) {
    GH_LOG_INFO(Module::Ng, "media engine {}: {} warning: {}", options.engine.toString(), p.command,
                warning->str());
  }
  p.on_reply(doc->root());
}

void NgClient::State::transmit(Pending& p) {
  ++p.sent;
  asio::error_code ec;
  socket.send(asio::buffer(p.datagram), 0, ec);
  if (ec) {
    // EAGAIN, or ECONNREFUSED left by an earlier datagram: the next attempt may get through.
    ++counters.send_errors;
    GH_LOG_DEBUG(Module::Ng, "NG {} to {}: send: {}", p.command, options.engine.toString(),
                 ec.message());
  }
}

void NgClient::State::arm(const std::string& cookie) {
  auto it = pending.find(cookie);
  if (it == pending.end())
    return;
  Pending& p = it->second;
  const auto gap = options.retransmit * (int64_t{1} << std::min(p.sent - 1, 16u));
  auto next = p.sent < options.attempts ? std::min(Clock::now() + gap, p.deadline) : p.deadline;
  p.timer->expires_at(next);
  std::weak_ptr<State> weak = weak_from_this();
  p.timer->async_wait([weak, cookie](const asio::error_code& ec) {
    auto self = weak.lock();
    if (!self || self->closed || ec)
      return;
    self->expire(cookie);
  });
}

void NgClient::State::expire(const std::string& cookie) {
  auto it = pending.find(cookie);
  if (it == pending.end())
    return;
  Pending& p = it->second;
  if (Clock::now() < p.deadline && p.sent < options.attempts) {
    ++counters.retransmissions;
    transmit(p);
    arm(cookie);
    return;
  }
  if (Clock::now() < p.deadline) {
    arm(cookie); // attempts spent: wait out the deadline for a late reply
    return;
  }
  Pending done = std::move(p);
  pending.erase(it);
  counters.pending = pending.size();
  ++counters.timeouts;
  GH_LOG_WARN(Module::Ng, "media engine {} did not answer {} ({} attempts, {} ms)",
              options.engine.toString(), done.command, done.sent, options.timeout.count());
  done.on_fail(unavailable(
      fmt::format("media engine {} did not answer {}", options.engine.toString(), done.command)));
}

void NgClient::State::refuse(OnFail on_fail, MediaError error) {
  // Posted, so that a completion never runs inside the call that made the request.
  std::weak_ptr<State> weak = weak_from_this();
  asio::post(io, [weak, on_fail = std::move(on_fail), error = std::move(error)]() mutable {
    auto self = weak.lock();
    if (self && !self->closed)
      on_fail(std::move(error));
  });
}

void NgClient::State::send(std::string_view command, std::string payload, OnReply on_reply,
                           OnFail on_fail) {
  if (closed) {
    refuse(std::move(on_fail), unavailable("NG client is shutting down"));
    return;
  }
  if (pending.size() >= options.max_pending) {
    ++counters.refused;
    refuse(std::move(on_fail), unavailable(fmt::format("{} NG requests to {} already pending",
                                                       pending.size(), options.engine.toString())));
    return;
  }
  std::string cookie = fmt::format("{}{}", cookie_prefix, next_cookie++);
  Pending p;
  p.command = std::string(command);
  p.datagram = frameReply(cookie, payload);
  p.deadline = Clock::now() + options.timeout;
  p.timer = std::make_unique<asio::steady_timer>(io);
  p.on_reply = std::move(on_reply);
  p.on_fail = std::move(on_fail);
  ++counters.requests;
  auto [it, inserted] = pending.emplace(cookie, std::move(p));
  counters.pending = pending.size();
  transmit(it->second);
  arm(cookie);
}

void NgClient::State::shutdown() {
  closed = true;
  on_event = nullptr;
  if (poll_timer)
    poll_timer->cancel();
  for (auto& [cookie, p] : pending)
    p.timer->cancel();
  pending.clear(); // completions dropped: their owners are going away with us
  counters.pending = 0;
  asio::error_code ec;
  socket.close(ec);
}

Expected<std::unique_ptr<NgClient>, std::string> NgClient::create(asio::io_context& io,
                                                                  NgClientOptions options) {
  if (!options.engine.valid() || options.engine.port() == 0)
    return Unexpected(std::string("NG engine address is not set"));
  options.attempts = std::clamp(options.attempts, 1u, 10u);
  options.max_pending = std::max<std::size_t>(options.max_pending, 1);
  options.max_reply = std::clamp<std::size_t>(options.max_reply, 512, 65535);
  if (options.retransmit.count() <= 0)
    options.retransmit = std::chrono::milliseconds(500);
  if (options.timeout < options.retransmit)
    options.timeout = options.retransmit;
  auto state = std::make_shared<State>(io, std::move(options));
  asio::error_code ec;
  auto remote = net::toAsio<asio::ip::udp>(state->options.engine);
  state->socket.open(remote.protocol(), ec);
  if (!ec)
    state->socket.non_blocking(true, ec);
  if (!ec)
    state->socket.connect(remote, ec); // the kernel then drops datagrams from anyone else
  if (ec)
    return Unexpected("NG client socket to " + state->options.engine.toString() + ": " +
                      ec.message());
  std::random_device random;
  state->cookie_prefix = fmt::format("{:08x}{:04x}_", random(), random() & 0xffffu);
  state->buffer.resize(state->options.max_reply + 1); // one more, to see an oversize reply
  state->receive();
  return std::unique_ptr<NgClient>(new NgClient(std::move(state)));
}

NgClient::NgClient(std::shared_ptr<State> state) : state_(std::move(state)) {}

NgClient::~NgClient() {
  state_->shutdown();
}

void NgClient::offer(const OfferParams& params, SdpDone done) {
  State* s = state_.get();
  auto shared = std::make_shared<SdpDone>(std::move(done));
  s->send(
      "offer", encodeOffer(params, s->options.interface_names),
      [s, shared, call_id = params.call_id, policy = params.policy](const BValue& reply) {
        auto sdp = sdpOf(reply, policy);
        if (sdp) {
          if (s->calls.insert_or_assign(call_id, Clock::now()).second)
            ++s->calls_total;
        } else {
          ++s->counters.errors;
        }
        (*shared)(std::move(sdp));
      },
      [shared](MediaError error) { (*shared)(Unexpected(std::move(error))); });
}

void NgClient::answer(const AnswerParams& params, SdpDone done) {
  State* s = state_.get();
  auto shared = std::make_shared<SdpDone>(std::move(done));
  s->send(
      "answer", encodeAnswer(params),
      [s, shared, policy = params.policy](const BValue& reply) {
        auto sdp = sdpOf(reply, policy);
        if (!sdp)
          ++s->counters.errors;
        (*shared)(std::move(sdp));
      },
      [shared](MediaError error) { (*shared)(Unexpected(std::move(error))); });
}

void NgClient::remove(const DeleteParams& params, StatsDone done) {
  State* s = state_.get();
  // Forgotten now: a lost delete must not keep the call in list() forever.
  if (params.from_tag.empty() && params.to_tag.empty())
    s->calls.erase(params.call_id);
  auto shared = std::make_shared<StatsDone>(std::move(done));
  s->send(
      "delete", encodeDelete(params),
      [s, shared, call_id = params.call_id](const BValue& reply) {
        if (auto ok = checkResult(reply); !ok) {
          // A call the engine already dropped (media timeout) is not an engine error.
          if (ok.error().code != MediaErrc::UnknownCall)
            ++s->counters.errors;
          (*shared)(Unexpected(ok.error()));
          return;
        }
        (*shared)(statsOf(reply, call_id, Clock::now(), std::chrono::system_clock::now()));
      },
      [shared](MediaError error) { (*shared)(Unexpected(std::move(error))); });
}

void NgClient::query(const std::string& call_id, StatsDone done) {
  State* s = state_.get();
  auto shared = std::make_shared<StatsDone>(std::move(done));
  s->send(
      "query", encodeQuery(call_id),
      [s, shared, call_id](const BValue& reply) {
        if (auto ok = checkResult(reply); !ok) {
          ++s->counters.errors;
          (*shared)(Unexpected(ok.error()));
          return;
        }
        (*shared)(statsOf(reply, call_id, Clock::now(), std::chrono::system_clock::now()));
      },
      [shared](MediaError error) { (*shared)(Unexpected(std::move(error))); });
}

void NgClient::ping(std::function<void(MediaResult<void>)> done) {
  auto shared = std::make_shared<std::function<void(MediaResult<void>)>>(std::move(done));
  state_->send(
      "ping", encodePing(), [shared](const BValue& reply) { (*shared)(checkResult(reply)); },
      [shared](MediaError error) { (*shared)(Unexpected(std::move(error))); });
}

std::vector<std::string> NgClient::list(std::size_t limit) {
  std::vector<std::string> out;
  for (const auto& [id, since] : state_->calls) {
    if (out.size() >= limit)
      break;
    out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

GlobalStats NgClient::statistics() {
  GlobalStats g;
  g.calls_active = state_->calls.size();
  g.calls_total = state_->calls_total;
  g.errors = state_->counters.errors + state_->counters.timeouts;
  return g;
}

void NgClient::setEventHandler(std::function<void(const MediaEvent&)> handler) {
  const bool was_polling = static_cast<bool>(state_->on_event);
  state_->on_event = std::move(handler);
  if (!was_polling)
    state_->schedulePoll();
}

NgClientCounters NgClient::counters() const {
  return state_->counters;
}

const net::Endpoint& NgClient::engine() const {
  return state_->options.engine;
}

net::Endpoint NgClient::localEndpoint() const {
  asio::error_code ec;
  auto local = state_->socket.local_endpoint(ec);
  return ec ? net::Endpoint{} : net::fromAsio(local);
}

} // namespace gh::media::ng
