#include "media/ng/cookie_cache.h"

#include <gtest/gtest.h>

namespace gh::media::ng {
namespace {

using namespace std::chrono_literals;
using State = CookieCache::State;

TEST(CookieCacheTest, PendingThenDone) {
  CookieCache cache;
  const auto t0 = CookieCache::Clock::now();
  EXPECT_EQ(cache.lookup("a", t0).state, State::Miss);
  cache.markPending("a", t0);
  EXPECT_EQ(cache.lookup("a", t0).state, State::Pending);
  cache.store("a", "reply", t0 + 1s);
  auto hit = cache.lookup("a", t0 + 2s);
  ASSERT_EQ(hit.state, State::Done);
  EXPECT_EQ(*hit.reply, "reply");
}

TEST(CookieCacheTest, EntriesExpire) {
  CookieCache cache({.max_entries = 10, .ttl = 30s});
  const auto t0 = CookieCache::Clock::now();
  cache.store("a", "1", t0);
  EXPECT_EQ(cache.lookup("a", t0 + 29s).state, State::Done);
  EXPECT_EQ(cache.lookup("a", t0 + 30s).state, State::Miss);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CookieCacheTest, OldestGoFirstBeyondTheBound) {
  CookieCache cache({.max_entries = 3, .ttl = 30s});
  const auto t0 = CookieCache::Clock::now();
  for (int i = 0; i < 5; ++i)
    cache.store(std::to_string(i), "r", t0);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.lookup("0", t0).state, State::Miss);
  EXPECT_EQ(cache.lookup("1", t0).state, State::Miss);
  EXPECT_EQ(cache.lookup("4", t0).state, State::Done);
}

TEST(CookieCacheTest, AnEvictedPendingEntryCanStillBeStored) {
  CookieCache cache({.max_entries = 1, .ttl = 30s});
  const auto t0 = CookieCache::Clock::now();
  cache.markPending("a", t0);
  cache.markPending("b", t0);
  EXPECT_EQ(cache.lookup("a", t0).state, State::Miss);
  cache.store("a", "late", t0 + 1s);
  EXPECT_EQ(cache.lookup("a", t0 + 1s).state, State::Done);
  EXPECT_LE(cache.size(), 1u);
}

} // namespace
} // namespace gh::media::ng
