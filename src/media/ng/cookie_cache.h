#pragma once
// Replies by cookie, so that a controller's retransmission (same cookie, e.g. Kamailio after its
// rtpengine_tout) gets the first answer instead of running an offer twice. A command still being
// executed is remembered as pending: its retransmissions are dropped, the one reply follows.
//
// Bounded twice: entries expire after `ttl` and the oldest go first beyond `max_entries`.
// Single-threaded: the NG control loop owns it.

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gh::media::ng {

struct CookieCacheOptions {
  std::size_t max_entries = 16384;
  std::chrono::milliseconds ttl{30000};
};

class CookieCache {
public:
  using Clock = std::chrono::steady_clock;

  enum class State { Miss, Pending, Done };

  struct Hit {
    State state = State::Miss;
    const std::string* reply = nullptr; // when Done; valid until the next non-const call
  };

  explicit CookieCache(CookieCacheOptions options = {}) : options_(options) {}

  Hit lookup(const std::string& key, Clock::time_point now);
  void markPending(const std::string& key, Clock::time_point now);
  void store(const std::string& key, std::string reply, Clock::time_point now);

  std::size_t size() const { return entries_.size(); }

private:
  struct Entry {
    std::string reply;
    bool pending = true;
    Clock::time_point born;
  };

  void expire(Clock::time_point now);
  Entry& insert(const std::string& key, Clock::time_point now);

  CookieCacheOptions options_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::pair<std::string, Clock::time_point>> order_; // insertion order, for expiry
};

} // namespace gh::media::ng
