// Control from several threads while packets flow, and hostile datagrams: nothing crashes,
// everything is counted, and a full release still leaves nothing behind.

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "media/relay/relay.h"
#include "unit/media/relay/relay_test_util.h"

namespace gh::media::relay::test {
namespace {

TEST(RelayHostile, MalformedDatagramsAreDroppedAndCounted) {
  auto relay = makeRelay(twoInterfaces(40));
  ASSERT_TRUE(relay);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
  ASSERT_TRUE(ports.has_value());
  Peer a("127.0.0.111");
  Peer b("127.0.0.112");
  ASSERT_TRUE(relay->update(ports->id, Side::A, {.remote_rtp = a.local()}).has_value());
  ASSERT_TRUE(relay->update(ports->id, Side::B, {.remote_rtp = b.local(), .encrypt = makeKey()})
                  .has_value());
  relay->sync();
  Bytes empty;
  Bytes tiny{0x80, 0x00, 0x01};
  Bytes version1 = makeRtp(1, 0, 1);
  version1[0] = 0x40;
  Bytes short_rtp(10, 0);
  short_rtp[0] = 0x80;
  Bytes bad_rtcp = makeRtcpSr(1);
  bad_rtcp.resize(6); // shorter than an RTCP header
  Bytes huge(3000, 0x80);
  for (const Bytes* p : {&empty, &tiny, &version1, &short_rtp, &huge}) {
    a.send(ports->a.rtp, *p);
  }
  a.send(ports->a.rtcp, bad_rtcp);
  EXPECT_TRUE(b.silent());
  auto stats = relay->query(ports->id);
  EXPECT_EQ(stats->a.in.dropped, 6u);
  EXPECT_EQ(stats->b.sent_packets, 0u);
  a.send(ports->a.rtp, makeRtp(2, 0, 1)); // still alive
  EXPECT_TRUE(b.receive().has_value());
}

TEST(RelayStress, ConcurrentControlWhilePacketsFlow) {
  auto relay = makeRelay(twoInterfaces(41, 100, 3));
  ASSERT_TRUE(relay);
  Peer a("127.0.0.113");
  Peer b("127.0.0.114");
  std::atomic<bool> stop{false};
  std::atomic<int> cycles{0};
  auto churn = [&](int seed) {
    std::vector<StreamPorts> mine;
    for (int i = 0; i < 60 && !stop; ++i) {
      auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
      if (ports) {
        (void)relay->update(ports->id, Side::A, {.remote_rtp = a.local(), .decrypt = makeKey()});
        (void)relay->update(ports->id, Side::B, {.remote_rtp = b.local(), .encrypt = makeKey()});
        a.send(ports->a.rtp, makeRtp(static_cast<uint16_t>(i), 0, static_cast<uint32_t>(seed)));
        b.send(ports->b.rtp, makeRtp(static_cast<uint16_t>(i), 0, static_cast<uint32_t>(seed)));
        mine.push_back(*ports);
      }
      if (mine.size() > 8) {
        (void)relay->query(mine.front().id);
        (void)relay->setHold(mine.front().id, true);
        (void)relay->release(mine.front().id);
        mine.erase(mine.begin());
      }
      ++cycles;
    }
    for (auto& p : mine) {
      (void)relay->release(p.id);
    }
  };
  std::thread t1(churn, 1);
  std::thread t2(churn, 2);
  std::thread t3(churn, 3);
  t1.join();
  t2.join();
  t3.join();
  relay->sync();
  EXPECT_EQ(cycles.load(), 180);
  auto stats = relay->stats();
  EXPECT_EQ(stats.streams, 0u);
  EXPECT_EQ(stats.sockets_open, 0u);
  EXPECT_EQ(stats.ports_in_use, 0u);
  EXPECT_EQ(stats.srtp_contexts, 0u);
  EXPECT_GT(stats.srtp_auth_failures, 0u); // plain packets into SRTP sides, all refused
}

} // namespace
} // namespace gh::media::relay::test
