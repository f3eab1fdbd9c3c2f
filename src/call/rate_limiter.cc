#include "call/rate_limiter.h"

#include <algorithm>

namespace gh::call {

RateVerdict RateLimiter::admit(const net::Endpoint& source, Clock::time_point now) {
  if (settings_.requests_per_second == 0)
    return RateVerdict::Accept;
  net::Endpoint key = source;
  key.setPort(0);
  const double rate = settings_.requests_per_second;
  const double burst = std::max<double>(settings_.burst, 1.0);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= settings_.max_sources && !lru_.empty()) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = buckets_.emplace(key, Bucket{burst, 0, now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.debt = std::max(0.0, b.debt - elapsed * rate);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return RateVerdict::Accept;
  }
  b.debt += 1.0;
  return b.debt > burst ? RateVerdict::Drop : RateVerdict::Reject503;
}

} // namespace gh::call
