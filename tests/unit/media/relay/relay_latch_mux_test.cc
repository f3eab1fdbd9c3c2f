// Symmetric RTP latching with its hijack bound, and rtcp-mux on one side only, both ways.

#include <gtest/gtest.h>

#include "media/relay/relay.h"
#include "unit/media/relay/relay_test_util.h"

namespace gh::media::relay::test {
namespace {

struct LatchRig {
  LatchRig(unsigned slot, LatchPolicy policy) {
    RelayConfig config = twoInterfaces(slot);
    config.latch = policy;
    config.clock = clock.function();
    relay = makeRelay(std::move(config));
    ports = *relay->allocate({.interface_a = "a", .interface_b = "b"});
    EXPECT_TRUE(relay->update(ports.id, Side::A, {.remote_rtp = a.local()}).has_value());
    // B's SDP names an address nobody listens on; its NAT'ed real source is b.
    auto sdp = net::Endpoint::fromIp("127.0.0.92", 9);
    EXPECT_TRUE(relay->update(ports.id, Side::B, {.remote_rtp = *sdp}).has_value());
    relay->sync();
  }

  FakeClock clock;
  std::unique_ptr<Relay> relay;
  StreamPorts ports;
  Peer a{"127.0.0.91"};
  Peer b{"127.0.0.93"};
  Peer attacker{"127.0.0.94"};
};

TEST(RelayLatch, LatchesToTheFirstSourceRefusesOthersUntilSilence) {
  LatchRig r(20, {.learn_packets = 0, .relatch_after_silence = std::chrono::milliseconds(3000)});
  auto before = r.relay->query(r.ports.id);
  EXPECT_FALSE(before->b.latched);
  EXPECT_EQ(before->b.remote_rtp.port(), 9);

  r.b.send(r.ports.b.rtp, makeRtp(1, 0, 0xb));
  ASSERT_TRUE(r.a.receive().has_value());
  r.a.send(r.ports.a.rtp, makeRtp(1, 0, 0xa));
  ASSERT_TRUE(r.b.receive().has_value()); // to the latched source, not the SDP address

  r.attacker.send(r.ports.b.rtp, makeRtp(2, 0, 0xb));
  EXPECT_TRUE(r.a.silent()); // refused, not forwarded
  r.a.send(r.ports.a.rtp, makeRtp(2, 0, 0xa));
  ASSERT_TRUE(r.b.receive().has_value());
  EXPECT_TRUE(r.attacker.silent(std::chrono::milliseconds(50)));
  auto stats = r.relay->query(r.ports.id);
  EXPECT_EQ(stats->b.latch_refused, 1u);
  EXPECT_EQ(stats->b.in.dropped, 1u);
  EXPECT_EQ(stats->b.remote_rtp, r.b.local());

  // The latched source has been silent long enough: the new source takes over (a re-INVITE
  // without SDP change after a NAT rebinding looks like this).
  r.clock.advance(std::chrono::milliseconds(3001));
  r.attacker.send(r.ports.b.rtp, makeRtp(3, 0, 0xb));
  ASSERT_TRUE(r.a.receive().has_value());
  r.a.send(r.ports.a.rtp, makeRtp(3, 0, 0xa));
  ASSERT_TRUE(r.attacker.receive().has_value());
  EXPECT_TRUE(r.b.silent(std::chrono::milliseconds(50)));
}

TEST(RelayLatch, LearnWindowAllowsEarlyRelatchOnly) {
  LatchRig r(21, {.learn_packets = 2, .relatch_after_silence = std::chrono::hours(1)});
  r.b.send(r.ports.b.rtp, makeRtp(1, 0, 0xb));
  ASSERT_TRUE(r.a.receive().has_value());
  r.attacker.send(r.ports.b.rtp, makeRtp(2, 0, 0xb)); // 2nd packet since latch: may move
  ASSERT_TRUE(r.a.receive().has_value());
  r.attacker.send(r.ports.b.rtp, makeRtp(3, 0, 0xb));
  ASSERT_TRUE(r.a.receive().has_value());
  r.b.send(r.ports.b.rtp, makeRtp(4, 0, 0xb)); // window over
  EXPECT_TRUE(r.a.silent());
  EXPECT_EQ(r.relay->query(r.ports.id)->b.latch_refused, 1u);
}

TEST(RelayLatch, UpdateWithANewEndpointStartsOver) {
  LatchRig r(22, {});
  r.b.send(r.ports.b.rtp, makeRtp(1, 0, 0xb));
  ASSERT_TRUE(r.a.receive().has_value());
  ASSERT_TRUE(r.relay->update(r.ports.id, Side::B, {.remote_rtp = r.attacker.local()}).has_value());
  r.relay->sync();
  r.a.send(r.ports.a.rtp, makeRtp(1, 0, 0xa));
  ASSERT_TRUE(r.attacker.receive().has_value()); // the new SDP endpoint
  auto stats = r.relay->query(r.ports.id);
  EXPECT_FALSE(stats->b.latched);
  EXPECT_EQ(stats->b.in.packets, 1u); // figures survive
  // The same endpoint again keeps the latch.
  r.attacker.send(r.ports.b.rtp, makeRtp(2, 0, 0xb));
  ASSERT_TRUE(r.a.receive().has_value());
  ASSERT_TRUE(r.relay->update(r.ports.id, Side::B, {.remote_rtp = r.attacker.local()}).has_value());
  r.relay->sync();
  EXPECT_TRUE(r.relay->query(r.ports.id)->b.latched);
}

TEST(RelayMux, MuxedSideToSeparateSideAndBack) {
  auto relay = makeRelay(twoInterfaces(23));
  ASSERT_TRUE(relay);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
  ASSERT_TRUE(ports.has_value());
  Peer a("127.0.0.95");
  Peer b("127.0.0.96");
  Peer b_rtcp("127.0.0.96");
  ASSERT_TRUE(
      relay->update(ports->id, Side::A, {.remote_rtp = a.local(), .rtcp_mux = true}).has_value());
  ASSERT_TRUE(
      relay->update(ports->id, Side::B, {.remote_rtp = b.local(), .remote_rtcp = b_rtcp.local()})
          .has_value());
  relay->sync();

  // A multiplexes: RTCP on its RTP port goes to B's RTCP port, from our B RTCP socket.
  auto sr = makeRtcpSr(0xa);
  a.send(ports->a.rtp, sr);
  net::Endpoint from;
  auto got = b_rtcp.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, sr);
  EXPECT_EQ(from, ports->b.rtcp);
  auto rtp = makeRtp(1, 0, 0xa, 160, 96);
  a.send(ports->a.rtp, rtp);
  got = b.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, rtp);
  EXPECT_EQ(from, ports->b.rtp);

  // B does not: its RTCP port's packets go to A's one and only port, from our A RTP socket.
  auto rr = makeRtcpRr(0xb, 3, 4, 5);
  b_rtcp.send(ports->b.rtcp, rr);
  got = a.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, rr);
  EXPECT_EQ(from, ports->a.rtp);
  auto back = makeRtp(7, 0, 0xb);
  b.send(ports->b.rtp, back);
  got = a.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, back);

  auto stats = relay->query(ports->id);
  EXPECT_EQ(stats->a.in.rtcp_packets, 1u);
  EXPECT_EQ(stats->a.in.packets, 1u);
  EXPECT_EQ(stats->b.in.rtcp_packets, 1u);
  EXPECT_EQ(stats->a.remote_rtcp, a.local());
  ASSERT_TRUE(stats->b.in.rtcp_fraction_lost.has_value());
  EXPECT_EQ(*stats->b.in.rtcp_fraction_lost, 3);
  EXPECT_EQ(*stats->b.in.rtcp_cumulative_lost, 4u);
  EXPECT_EQ(*stats->b.in.rtcp_jitter, 5u);
}

} // namespace
} // namespace gh::media::relay::test
