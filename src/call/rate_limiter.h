#pragma once
// Per-source request rate limiting: one token bucket per source IP. A flood first gets 503 with
// Retry-After (a well-behaved peer backs off), and once a source keeps sending past twice its
// burst, its requests are dropped without an answer so a flood cannot make us amplify it.
// The table is bounded: when full, the least recently seen sources are forgotten.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>

#include "net/endpoint.h"

namespace gh::call {

enum class RateVerdict : uint8_t { Accept, Reject503, Drop };

struct RateLimitSettings {
  uint32_t requests_per_second = 500; // 0 = no limit
  uint32_t burst = 1000;
  std::size_t max_sources = 65536;
};

class RateLimiter {
public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimitSettings settings) : settings_(settings) {}

  RateVerdict admit(const net::Endpoint& source, Clock::time_point now);

  void reconfigure(RateLimitSettings settings) { settings_ = settings; }

  std::size_t trackedSources() const { return buckets_.size(); }

private:
  struct Bucket {
    double tokens = 0;
    double debt = 0; // requests refused since the bucket ran dry; decays like tokens refill
    Clock::time_point last;
    std::list<net::Endpoint>::iterator lru;
  };

  RateLimitSettings settings_;
  std::unordered_map<net::Endpoint, Bucket> buckets_; // keyed by IP with port 0
  std::list<net::Endpoint> lru_;                      // front = most recently seen
};

} // namespace gh::call
