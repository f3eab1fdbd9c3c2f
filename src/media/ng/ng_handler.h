#pragma once
// The NG protocol without a socket: one datagram in, at most one framed reply out (now, or when
// the media engine completes). NgServer feeds it from UDP; tests feed it directly.
//
// Threading: every call, and every reply, happens on the handler's thread (the one that
// constructed it, or the one given to bindToCurrentThread()). A MediaControl completion that
// fires on another thread is handed to `post` to come back; one that fires on the handler's
// thread (synchronously, inside offer(), or later from the loop) runs at once.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "media/api/media_control.h"
#include "media/ng/bencode.h"
#include "media/ng/cookie_cache.h"
#include "media/ng/ng_request.h"
#include "media/ng/ng_writer.h"

namespace gh::media::ng {

struct NgHandlerOptions {
  CookieCacheOptions cache;
  BencodeLimits limits{
      .max_input = 1 << 16, .max_depth = 128, .max_nodes = 1 << 15, .max_string = 1 << 16};
};

// A snapshot of the counters.
struct NgCounters {
  std::array<uint64_t, kCommandCount> commands{}; // by NgCommand
  uint64_t received = 0;
  uint64_t replies = 0;
  uint64_t errors = 0;    // error replies of any cause
  uint64_t malformed = 0; // payload not a bencode/JSON dictionary
  uint64_t unknown_commands = 0;
  uint64_t cache_hits = 0;          // retransmissions answered from the cache
  uint64_t retransmits_pending = 0; // retransmissions of a command still running (dropped)
  uint64_t dropped = 0;             // no cookie: cannot be answered
};

class NgHandler {
public:
  using Clock = std::chrono::steady_clock;
  using Send = std::function<void(std::string framed_reply)>;
  using Post = std::function<void(std::function<void()>)>;

  NgHandler(MediaControl& media, NgHandlerOptions options = {}, Post post = {});
  ~NgHandler();
  NgHandler(const NgHandler&) = delete;
  NgHandler& operator=(const NgHandler&) = delete;

  void bindToCurrentThread() { owner_.store(std::this_thread::get_id()); }

  // `peer` tells controllers apart in the retransmission cache (two may pick the same cookie).
  void handle(std::string_view datagram, std::string_view peer, Send send,
              Clock::time_point now = Clock::now());

  NgCounters counters() const; // any thread

private:
  struct Pending; // one command awaiting its reply

  void dispatch(NgCommand command, const BValue& request, const std::shared_ptr<Pending>& p);
  void finish(const std::shared_ptr<Pending>& p, std::string payload, bool error);
  // Runs `fn` on the handler's thread: at once when already there, else through `post`.
  void onLoop(std::function<void()> fn);

  MediaControl& media_;
  NgHandlerOptions options_;
  Post post_;
  std::atomic<std::thread::id> owner_;
  CookieCache cache_;
  std::shared_ptr<NgHandler*> self_; // completions hold a weak_ptr: a late one finds it gone

  struct Atomics {
    std::array<std::atomic<uint64_t>, kCommandCount> commands{};
    std::atomic<uint64_t> received{0}, replies{0}, errors{0}, malformed{0}, unknown_commands{0},
        cache_hits{0}, retransmits_pending{0}, dropped{0};
  } counts_;
};

} // namespace gh::media::ng
