#include "call/rate_limiter.h"

#include <gtest/gtest.h>

namespace gh::call {
namespace {

using namespace std::chrono_literals;

net::Endpoint ep(const char* text) {
  return *net::Endpoint::parse(text);
}

TEST(RateLimiter, BurstThen503ThenDropThenRecovers) {
  RateLimiter limiter({.requests_per_second = 10, .burst = 5, .max_sources = 16});
  auto t = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(limiter.admit(ep("127.0.2.6:5060"), t), RateVerdict::Accept);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(limiter.admit(ep("127.0.2.6:5061"), t), RateVerdict::Reject503) << i;
  }
  EXPECT_EQ(limiter.admit(ep("127.0.2.6:5060"), t), RateVerdict::Drop);
  // Another source is unaffected.
  EXPECT_EQ(limiter.admit(ep("127.0.2.7:5060"), t), RateVerdict::Accept);
  // After a second the bucket has refilled (10 tokens, capped at the burst of 5) and the debt
  // has decayed.
  t += 1s;
  EXPECT_EQ(limiter.admit(ep("127.0.2.6:5060"), t), RateVerdict::Accept);
}

TEST(RateLimiter, SustainedRateAtTheLimitIsAccepted) {
  RateLimiter limiter({.requests_per_second = 500, .burst = 10, .max_sources = 16});
  auto t = RateLimiter::Clock::time_point{} + 1h;
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) { // 10 s at 500/s
    t += 2ms;
    accepted += limiter.admit(ep("127.0.2.6:5060"), t) == RateVerdict::Accept ? 1 : 0;
  }
  EXPECT_EQ(accepted, 5000);
}

TEST(RateLimiter, ZeroMeansUnlimitedAndTableIsBounded) {
  RateLimiter off({.requests_per_second = 0, .burst = 1, .max_sources = 4});
  auto t = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(off.admit(ep("127.0.0.1:1"), t), RateVerdict::Accept);
  RateLimiter on({.requests_per_second = 1, .burst = 1, .max_sources = 4});
  for (uint32_t i = 0; i < 100; ++i)
    on.admit(net::Endpoint::fromV4(0x7f000000 + i, 5060), t);
  EXPECT_EQ(on.trackedSources(), 4u);
}

} // namespace
} // namespace gh::call
