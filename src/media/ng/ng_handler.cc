#include "media/ng/ng_handler.h"

#include "common/log.h"
#include "media/ng/json.h"
#include "media/ng/ng_frame.h"
#include "media/ng/ng_reply.h"

namespace gh::media::ng {

namespace {

constexpr std::string_view kNotFound = "Call-ID not found or tags didn't match";

void bump(std::atomic<uint64_t>& c) {
  c.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

struct NgHandler::Pending {
  std::string key;    // cache key: peer + cookie
  std::string cookie; // owned: the datagram is gone when the engine answers
  Encoding encoding = Encoding::Bencode;
  Send send;
};

NgHandler::NgHandler(MediaControl& media, NgHandlerOptions options, Post post)
    : media_(media), options_(options), post_(std::move(post)), owner_(std::this_thread::get_id()),
      cache_(options.cache), self_(std::make_shared<NgHandler*>(this)) {}

NgHandler::~NgHandler() = default;

NgCounters NgHandler::counters() const {
  NgCounters c;
  for (std::size_t i = 0; i < kCommandCount; ++i)
    c.commands[i] = counts_.commands[i].load(std::memory_order_relaxed);
  c.received = counts_.received.load(std::memory_order_relaxed);
  c.replies = counts_.replies.load(std::memory_order_relaxed);
  c.errors = counts_.errors.load(std::memory_order_relaxed);
  c.malformed = counts_.malformed.load(std::memory_order_relaxed);
  c.unknown_commands = counts_.unknown_commands.load(std::memory_order_relaxed);
  c.cache_hits = counts_.cache_hits.load(std::memory_order_relaxed);
  c.retransmits_pending = counts_.retransmits_pending.load(std::memory_order_relaxed);
  c.dropped = counts_.dropped.load(std::memory_order_relaxed);
  return c;
}

void NgHandler::onLoop(std::function<void()> fn) {
  if (!post_ || std::this_thread::get_id() == owner_.load())
    fn();
  else
    post_(std::move(fn));
}

void NgHandler::finish(const std::shared_ptr<Pending>& p, std::string payload, bool error) {
  if (error)
    bump(counts_.errors);
  bump(counts_.replies);
  std::string framed = frameReply(p->cookie, payload);
  cache_.store(p->key, std::move(payload), Clock::now());
  p->send(std::move(framed));
}

void NgHandler::handle(std::string_view datagram, std::string_view peer, Send send,
                       Clock::time_point now) {
  bump(counts_.received);
  auto frame = splitFrame(datagram);
  if (!frame) {
    bump(counts_.dropped);
    GH_LOG_DEBUG(Module::Ng, "dropped {} octets from {}: no cookie", datagram.size(), peer);
    return;
  }
  auto p = std::make_shared<Pending>();
  p->key.reserve(peer.size() + 1 + frame->cookie.size());
  p->key.append(peer).append(" ").append(frame->cookie);

  auto hit = cache_.lookup(p->key, now);
  if (hit.state == CookieCache::State::Done) {
    bump(counts_.cache_hits);
    send(frameReply(frame->cookie, *hit.reply));
    return;
  }
  if (hit.state == CookieCache::State::Pending) {
    bump(counts_.retransmits_pending); // the reply follows when the engine answers
    return;
  }
  p->cookie = std::string(frame->cookie);
  p->send = std::move(send);

  const std::string_view payload = frame->payload;
  const bool json = !payload.empty() && payload.front() == '{';
  p->encoding = json ? Encoding::Json : Encoding::Bencode;
  if (payload.empty()) {
    bump(counts_.malformed);
    finish(p, errorReply(p->encoding, "Invalid data (no payload)"), true);
    return;
  }
  auto doc = json ? decodeJson(payload, options_.limits) : decodeBencode(payload, options_.limits);
  if (!doc || !doc->root().isDict()) {
    bump(counts_.malformed);
    if (!doc)
      GH_LOG_DEBUG(Module::Ng, "cookie={} from {}: undecodable at {}: {}", p->cookie, peer,
                   doc.error().offset, doc.error().what);
    finish(p,
           errorReply(p->encoding, json ? "Could not decode JSON object"
                                        : "Could not decode bencode dictionary"),
           true);
    return;
  }
  auto command = decodeCommand(doc->root());
  if (!command) {
    bump(counts_.unknown_commands);
    finish(p, errorReply(p->encoding, command.error().reason), true);
    return;
  }
  bump(counts_.commands[static_cast<std::size_t>(*command)]);
  dispatch(*command, doc->root(), p);
}

void NgHandler::dispatch(NgCommand command, const BValue& request,
                         const std::shared_ptr<Pending>& p) {
  const Encoding enc = p->encoding;
  std::weak_ptr<NgHandler*> alive = self_;
  // A completion that outlives the handler is dropped; one from another thread comes back here.
  auto complete = [alive, p](std::function<std::pair<std::string, bool>()> build) {
    auto strong = alive.lock();
    if (!strong)
      return;
    (**strong).onLoop([alive, p, build = std::move(build)] {
      auto again = alive.lock();
      if (!again)
        return;
      auto [payload, error] = build();
      (**again).finish(p, std::move(payload), error);
    });
  };

  switch (command) {
  case NgCommand::Ping: finish(p, pongReply(enc), false); return;
  case NgCommand::List: {
    auto ids = media_.list(decodeList(request).limit);
    finish(p, listReply(enc, ids), false);
    return;
  }
  case NgCommand::Statistics: {
    const NgCounters c = counters();
    ControlFigures control;
    for (std::size_t i = 0; i < kCommandCount; ++i)
      control.commands.emplace_back(commandName(static_cast<NgCommand>(i)), c.commands[i]);
    control.errors = c.errors;
    control.cache_hits = c.cache_hits;
    control.dropped = c.dropped;
    finish(p, statisticsReply(enc, media_.statistics(), control), false);
    return;
  }
  default: break;
  }

  // The engine may answer later: remember the cookie so retransmissions wait for that answer.
  cache_.markPending(p->key, Clock::now());
  auto sdpDone = [enc, complete](MediaResult<std::string> r) {
    complete([enc, r = std::move(r)]() -> std::pair<std::string, bool> {
      if (!r)
        return {errorReply(enc, reasonFor(r.error())), true};
      return {sdpReply(enc, *r), false};
    });
  };

  switch (command) {
  case NgCommand::Offer: {
    auto params = decodeOffer(request);
    if (!params) {
      finish(p, errorReply(enc, params.error().reason), true);
      return;
    }
    GH_LOG_DEBUG(Module::Ng, "offer call-id={} from-tag={} {} -> {}", params->call_id,
                 params->from_tag, params->from_interface, params->to_interface);
    media_.offer(*params, sdpDone);
    return;
  }
  case NgCommand::Answer: {
    auto params = decodeAnswer(request);
    if (!params) {
      finish(p, errorReply(enc, params.error().reason), true);
      return;
    }
    GH_LOG_DEBUG(Module::Ng, "answer call-id={} to-tag={}", params->call_id, params->to_tag);
    media_.answer(*params, sdpDone);
    return;
  }
  case NgCommand::Delete: {
    auto req = decodeDelete(request);
    if (!req) {
      finish(p, errorReply(enc, req.error().reason), true);
      return;
    }
    const bool fatal = req->fatal;
    const bool fast = req->fast;
    media_.remove(req->params, [enc, fatal, fast, complete](MediaResult<CallStats> r) {
      complete([enc, fatal, fast, r = std::move(r)]() -> std::pair<std::string, bool> {
        if (!r) {
          // rtpengine: deleting what is already gone is fine unless the controller says not.
          if (r.error().code == MediaErrc::UnknownCall && !fatal)
            return {okReply(enc, kNotFound), false};
          return {errorReply(enc, reasonFor(r.error())), true};
        }
        if (fast)
          return {okReply(enc), false};
        return {statsReply(enc, *r), false};
      });
    });
    return;
  }
  case NgCommand::Query: {
    auto req = decodeQuery(request);
    if (!req) {
      finish(p, errorReply(enc, req.error().reason), true);
      return;
    }
    media_.query(req->call_id, [enc, complete](MediaResult<CallStats> r) {
      complete([enc, r = std::move(r)]() -> std::pair<std::string, bool> {
        if (!r)
          return {errorReply(enc, reasonFor(r.error())), true};
        return {statsReply(enc, *r), false};
      });
    });
    return;
  }
  default: finish(p, errorReply(enc, "Unrecognized command"), true); return;
  }
}

} // namespace gh::media::ng
