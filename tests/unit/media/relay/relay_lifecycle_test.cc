// Ports (even pairs, exhaustion, FIFO reuse, taken ports skipped), timeouts in simulated time,
// and nothing left behind after release.

#include <poll.h>

#include <gtest/gtest.h>

#include "media/relay/relay.h"
#include "unit/media/relay/relay_test_util.h"

namespace gh::media::relay::test {
namespace {

RelayConfig onePool(unsigned slot, unsigned pairs) {
  RelayConfig config;
  uint16_t base = portBase(slot);
  config.interfaces.push_back(
      {"x", "127.0.0.63", "", base, static_cast<uint16_t>(base + pairs * 2 - 1)});
  config.workers = 2;
  return config;
}

TEST(RelayPorts, ExhaustionIsAnErrorAndReleasedPairsGoToTheBack) {
  auto relay = makeRelay(onePool(30, 3));
  ASSERT_TRUE(relay);
  const uint16_t p0 = portBase(30);
  auto s1 = relay->allocate({.interface_a = "x", .interface_b = "x"});
  ASSERT_TRUE(s1.has_value());
  EXPECT_EQ(s1->a.rtp.port(), p0);
  EXPECT_EQ(s1->b.rtp.port(), p0 + 2);
  EXPECT_EQ(s1->b.rtcp.port(), p0 + 3);

  auto none = relay->allocate({.interface_a = "x", .interface_b = "x"}); // one pair left
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, MediaErrc::NoPorts);
  auto stats = relay->stats();
  EXPECT_EQ(stats.ports_in_use, 4u); // the half-allocated pair went back
  EXPECT_EQ(stats.ports_free, 2u);
  EXPECT_EQ(stats.sockets_open, 4u);

  ASSERT_TRUE(relay->release(s1->id).has_value());
  relay->sync();
  auto s2 = relay->allocate({.interface_a = "x", .interface_b = "x"});
  ASSERT_TRUE(s2.has_value());
  EXPECT_EQ(s2->a.rtp.port(), p0 + 4); // never used yet
  EXPECT_EQ(s2->b.rtp.port(), p0);     // then the oldest released
}

TEST(RelayPorts, APortHeldByAnotherProcessIsSkipped) {
  const uint16_t p0 = portBase(31);
  Peer squatter("127.0.0.63", static_cast<uint16_t>(p0 + 1)); // RTCP port of the first pair
  auto relay = makeRelay(onePool(31, 3));
  ASSERT_TRUE(relay);
  auto s = relay->allocate({.interface_a = "x", .interface_b = "x"});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->a.rtp.port(), p0 + 2);
  EXPECT_EQ(s->b.rtp.port(), p0 + 4);
  EXPECT_EQ(relay->stats().sockets_open, 4u);
  auto none = relay->allocate({.interface_a = "x", .interface_b = "x"});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, MediaErrc::NoPorts);
}

struct TimeoutRig {
  explicit TimeoutRig(unsigned slot) {
    RelayConfig config = twoInterfaces(slot);
    config.clock = clock.function();
    config.media_timeout = std::chrono::seconds(60);
    config.silent_timeout = std::chrono::seconds(3600);
    relay = makeRelay(std::move(config));
    ports = *relay->allocate({.interface_a = "a", .interface_b = "b", .cookie = 42});
    EXPECT_TRUE(relay->update(ports.id, Side::A, {.remote_rtp = a.local()}).has_value());
    EXPECT_TRUE(relay->update(ports.id, Side::B, {.remote_rtp = b.local()}).has_value());
    relay->sync();
  }

  bool eventPending() const {
    pollfd p{relay->eventFd(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
  }

  FakeClock clock;
  std::unique_ptr<Relay> relay;
  StreamPorts ports;
  Peer a{"127.0.0.97"};
  Peer b{"127.0.0.98"};
};

TEST(RelayTimeout, NoMediaForTheTimeoutRaisesOneEvent) {
  TimeoutRig r(32);
  r.clock.advance(std::chrono::seconds(59));
  r.relay->scanTimeouts();
  EXPECT_FALSE(r.eventPending());
  EXPECT_TRUE(r.relay->takeEvents().empty());

  r.a.send(r.ports.a.rtp, makeRtp(1, 0, 1)); // at 59 s: re-arms
  ASSERT_TRUE(r.b.receive().has_value());
  r.clock.advance(std::chrono::seconds(59));
  r.relay->scanTimeouts();
  EXPECT_TRUE(r.relay->takeEvents().empty());

  r.clock.advance(std::chrono::seconds(2));
  r.relay->scanTimeouts();
  EXPECT_TRUE(r.eventPending());
  auto events = r.relay->takeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, RelayEvent::Kind::Timeout);
  EXPECT_EQ(events[0].id, r.ports.id);
  EXPECT_EQ(events[0].cookie, 42u);
  EXPECT_FALSE(r.eventPending());
  r.relay->scanTimeouts();
  EXPECT_TRUE(r.relay->takeEvents().empty()); // once
  EXPECT_TRUE(r.relay->query(r.ports.id)->timed_out);
  EXPECT_EQ(r.relay->stats().timeouts, 1u);
}

TEST(RelayTimeout, OnHoldTheSilentTimeoutAppliesAndUpdateRearms) {
  TimeoutRig r(33);
  ASSERT_TRUE(r.relay->setHold(r.ports.id, true).has_value());
  r.clock.advance(std::chrono::seconds(61));
  r.relay->scanTimeouts();
  EXPECT_TRUE(r.relay->takeEvents().empty());
  r.clock.advance(std::chrono::seconds(3540));
  r.relay->scanTimeouts();
  auto events = r.relay->takeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, RelayEvent::Kind::SilentTimeout);

  // Off hold and updated (re-INVITE): the clock starts again.
  ASSERT_TRUE(r.relay->setHold(r.ports.id, false).has_value());
  ASSERT_TRUE(r.relay->update(r.ports.id, Side::A, {.remote_rtp = r.a.local()}).has_value());
  r.relay->sync();
  EXPECT_FALSE(r.relay->query(r.ports.id)->timed_out);
  r.clock.advance(std::chrono::seconds(60));
  r.relay->scanTimeouts();
  events = r.relay->takeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, RelayEvent::Kind::Timeout);
}

TEST(RelayLifecycle, ReleasingManySrtpStreamsLeavesNothing) {
  RelayConfig config = twoInterfaces(34, 64, 2);
  auto relay = makeRelay(config);
  ASSERT_TRUE(relay);
  const RelayStats empty = relay->stats();
  Peer a("127.0.0.99");
  Peer b("127.0.0.100");
  constexpr int kStreams = 40;
  std::vector<StreamId> ids;
  for (int i = 0; i < kStreams; ++i) {
    auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
    ASSERT_TRUE(ports.has_value()) << i;
    ids.push_back(ports->id);
    ASSERT_TRUE(relay->update(ports->id, Side::A, {.remote_rtp = a.local(), .encrypt = makeKey()})
                    .has_value());
    ASSERT_TRUE(relay
                    ->update(ports->id, Side::B,
                             {.remote_rtp = b.local(), .decrypt = makeKey(), .encrypt = makeKey()})
                    .has_value());
  }
  relay->sync();
  auto busy = relay->stats();
  EXPECT_EQ(busy.streams, static_cast<uint64_t>(kStreams));
  EXPECT_EQ(busy.sockets_open, 4u * kStreams);
  EXPECT_EQ(busy.ports_in_use, 4u * kStreams);
  EXPECT_EQ(busy.srtp_contexts, 3u * kStreams);
  EXPECT_EQ(busy.ports_in_use + busy.ports_free, empty.ports_free);
  for (auto id : ids) {
    ASSERT_TRUE(relay->release(id).has_value());
  }
  relay->sync();
  auto after = relay->stats();
  EXPECT_EQ(after.streams, 0u);
  EXPECT_EQ(after.sockets_open, 0u);
  EXPECT_EQ(after.ports_in_use, 0u);
  EXPECT_EQ(after.srtp_contexts, 0u);
  EXPECT_EQ(after.ports_free, empty.ports_free);
  EXPECT_EQ(relay->release(ids[0]).error().code, MediaErrc::UnknownCall);
}

TEST(RelayLifecycle, DestroyingTheRelayClosesLiveStreams) {
  auto relay = makeRelay(twoInterfaces(35, 8, 2));
  ASSERT_TRUE(relay);
  for (int i = 0; i < 4; ++i) {
    auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
    ASSERT_TRUE(ports.has_value());
    ASSERT_TRUE(relay->update(ports->id, Side::A, {.decrypt = makeKey()}).has_value());
  }
  relay.reset(); // ASan reports any socket buffer or context left behind as a leak
  SUCCEED();
}

} // namespace
} // namespace gh::media::relay::test
