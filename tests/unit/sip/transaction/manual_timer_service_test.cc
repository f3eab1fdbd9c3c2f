#include "sip/transaction/manual_timer_service.h"

#include <vector>

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

using namespace std::chrono_literals;

TEST(ManualTimerServiceTest, FiresInDeadlineOrderAtTheirOwnTime) {
  ManualTimerService t;
  std::vector<std::pair<int, Duration>> fired;
  auto start = t.now();
  auto record = [&](int n) {
    return [&, n] { fired.emplace_back(n, std::chrono::duration_cast<Duration>(t.now() - start)); };
  };
  t.schedule(300ms, record(3));
  t.schedule(100ms, record(1));
  t.schedule(100ms, record(2)); // same deadline: FIFO
  t.advance(99ms);
  EXPECT_TRUE(fired.empty());
  t.advance(200ms);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], std::make_pair(1, Duration{100}));
  EXPECT_EQ(fired[1], std::make_pair(2, Duration{100}));
  EXPECT_EQ(t.now() - start, 299ms);
  t.advance(1ms);
  ASSERT_EQ(fired.size(), 3u);
  EXPECT_EQ(fired[2], std::make_pair(3, Duration{300}));
  EXPECT_EQ(t.pending(), 0u);
}

TEST(ManualTimerServiceTest, CancelledTimersDoNotFire) {
  ManualTimerService t;
  int n = 0;
  TimerHandle h = t.schedule(10ms, [&] { ++n; });
  t.schedule(20ms, [&] { n += 10; });
  t.cancel(h);
  t.cancel(h);     // twice is harmless
  t.cancel(12345); // unknown too
  t.advance(1s);
  EXPECT_EQ(n, 10);
}

TEST(ManualTimerServiceTest, TimersScheduledByCallbacksFireWithinTheSameAdvance) {
  ManualTimerService t;
  std::vector<Duration> at;
  auto start = t.now();
  std::function<void()> tick = [&] {
    at.push_back(std::chrono::duration_cast<Duration>(t.now() - start));
    if (at.size() < 4) {
      t.schedule(100ms, tick);
    }
  };
  t.schedule(100ms, tick);
  t.advance(350ms);
  EXPECT_EQ(at, (std::vector<Duration>{100ms, 200ms, 300ms}));
  EXPECT_EQ(t.untilNext(), 50ms);
  t.advance(50ms);
  EXPECT_EQ(at.size(), 4u);
  EXPECT_EQ(t.untilNext(), Duration::max());
}

} // namespace
} // namespace gh::sip
