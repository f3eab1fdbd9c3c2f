// Plain forwarding through real loopback sockets: both ways, RTCP alongside, the source of
// forwarded packets, stats, errors of the control API, multiple workers.

#include <gtest/gtest.h>

#include "media/relay/relay.h"
#include "unit/media/relay/relay_test_util.h"

namespace gh::media::relay::test {
namespace {

struct Parties {
  Peer a_rtp{"127.0.0.71"};
  Peer a_rtcp{"127.0.0.71"};
  Peer b_rtp{"127.0.0.72"};
  Peer b_rtcp{"127.0.0.72"};

  SideParams sideA() const { return {.remote_rtp = a_rtp.local(), .remote_rtcp = a_rtcp.local()}; }

  SideParams sideB() const { return {.remote_rtp = b_rtp.local(), .remote_rtcp = b_rtcp.local()}; }
};

TEST(RelayForward, PlainBothWaysFromTheOtherSidesSocket) {
  auto relay = makeRelay(twoInterfaces(1));
  ASSERT_TRUE(relay);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b", .cookie = 7});
  ASSERT_TRUE(ports.has_value());
  EXPECT_EQ(ports->a.rtp.ip(), "127.0.0.61");
  EXPECT_EQ(ports->a.advertised_address, "203.0.113.61");
  EXPECT_EQ(ports->b.advertised_address, "127.0.0.62");
  EXPECT_EQ(ports->a.rtp.port() % 2, 0);
  EXPECT_EQ(ports->a.rtcp.port(), ports->a.rtp.port() + 1);

  Parties p;
  ASSERT_TRUE(relay->update(ports->id, Side::A, p.sideA()).has_value());
  relay->sync();
  ASSERT_TRUE(relay->update(ports->id, Side::B, p.sideB()).has_value());
  relay->sync();

  auto rtp = makeRtp(1, 160, 0x1111);
  p.a_rtp.send(ports->a.rtp, rtp);
  net::Endpoint from;
  auto got = p.b_rtp.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, rtp);
  EXPECT_EQ(from, ports->b.rtp);

  auto back = makeRtp(9, 900, 0x2222);
  p.b_rtp.send(ports->b.rtp, back);
  got = p.a_rtp.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, back);
  EXPECT_EQ(from, ports->a.rtp);

  auto rtcp = makeRtcpSr(0x1111);
  p.a_rtcp.send(ports->a.rtcp, rtcp);
  got = p.b_rtcp.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, rtcp);
  EXPECT_EQ(from, ports->b.rtcp);

  auto stats = relay->query(ports->id);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->cookie, 7u);
  EXPECT_EQ(stats->a.in.packets, 1u);
  EXPECT_EQ(stats->a.in.bytes, rtp.size());
  EXPECT_EQ(stats->a.in.rtcp_packets, 1u);
  EXPECT_EQ(stats->b.in.packets, 1u);
  EXPECT_EQ(stats->b.sent_packets, 2u);
  EXPECT_TRUE(stats->a.in.last_packet.has_value());
  EXPECT_TRUE(stats->a.latched);
  EXPECT_EQ(stats->a.remote_rtp, p.a_rtp.local());
  auto global = relay->stats(); // after query(): the worker has counted its last batch
  EXPECT_EQ(global.packets_relayed, 3u);
  EXPECT_EQ(global.streams, 1u);
}

TEST(RelayForward, NothingIsForwardedBeforeBothSidesAreKnown) {
  auto relay = makeRelay(twoInterfaces(2));
  ASSERT_TRUE(relay);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
  ASSERT_TRUE(ports.has_value());
  Parties p;
  ASSERT_TRUE(relay->update(ports->id, Side::A, p.sideA()).has_value());
  relay->sync();
  p.a_rtp.send(ports->a.rtp, makeRtp(1, 0, 1));
  EXPECT_TRUE(p.b_rtp.silent());
  relay->sync();
  EXPECT_EQ(relay->query(ports->id)->a.in.dropped, 1u);
  // B unknown but latchable: its remote comes from its first packet.
  ASSERT_TRUE(relay->update(ports->id, Side::B, {}).has_value());
  relay->sync();
  p.a_rtp.send(ports->a.rtp, makeRtp(2, 0, 1));
  EXPECT_TRUE(p.b_rtp.silent()); // no target for B yet
  p.b_rtp.send(ports->b.rtp, makeRtp(5, 0, 2));
  ASSERT_TRUE(p.a_rtp.receive().has_value());
  p.a_rtp.send(ports->a.rtp, makeRtp(3, 0, 1));
  EXPECT_TRUE(p.b_rtp.receive().has_value());
}

TEST(RelayForward, ControlErrors) {
  auto relay = makeRelay(twoInterfaces(3));
  ASSERT_TRUE(relay);
  auto bad = relay->allocate({.interface_a = "a", .interface_b = "nowhere"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, MediaErrc::UnknownInterface);
  EXPECT_EQ(relay->update(99, Side::A, {}).error().code, MediaErrc::UnknownCall);
  EXPECT_EQ(relay->release(99).error().code, MediaErrc::UnknownCall);
  EXPECT_EQ(relay->query(99).error().code, MediaErrc::UnknownCall);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
  ASSERT_TRUE(ports.has_value());
  auto v6 = net::Endpoint::parse("[::1]:4000");
  auto wrong = relay->update(ports->id, Side::A, {.remote_rtp = *v6});
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, MediaErrc::BadRequest);
  relay->sync();
  EXPECT_EQ(relay->stats().ports_in_use, 4u); // a failed allocate left nothing bound

  EXPECT_FALSE(Relay::create({}).has_value());
  RelayConfig odd = twoInterfaces(3);
  odd.interfaces[0].port_last = odd.interfaces[0].port_first; // no room for a pair
  EXPECT_EQ(Relay::create(odd).error().code, MediaErrc::BadRequest);
}

TEST(RelayForward, MultipleWorkersEachForwardTheirStreams) {
  auto relay = makeRelay(twoInterfaces(4, 32, 3));
  ASSERT_TRUE(relay);
  EXPECT_EQ(relay->workerCount(), 3u);
  constexpr int kStreams = 6;
  std::vector<StreamPorts> streams;
  std::vector<std::unique_ptr<Parties>> parties;
  for (int i = 0; i < kStreams; ++i) {
    auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
    ASSERT_TRUE(ports.has_value());
    parties.push_back(std::make_unique<Parties>());
    ASSERT_TRUE(relay->update(ports->id, Side::A, parties.back()->sideA()).has_value());
    relay->sync();
    ASSERT_TRUE(relay->update(ports->id, Side::B, parties.back()->sideB()).has_value());
    streams.push_back(*ports);
  }
  relay->sync();
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < kStreams; ++i) {
      auto rtp = makeRtp(static_cast<uint16_t>(round), 0, static_cast<uint32_t>(i + 1));
      parties[static_cast<std::size_t>(i)]->a_rtp.send(streams[static_cast<std::size_t>(i)].a.rtp,
                                                       rtp);
    }
    for (int i = 0; i < kStreams; ++i) {
      auto got = parties[static_cast<std::size_t>(i)]->b_rtp.receive();
      ASSERT_TRUE(got.has_value()) << "stream " << i;
      EXPECT_EQ(*got, makeRtp(static_cast<uint16_t>(round), 0, static_cast<uint32_t>(i + 1)));
    }
  }
  relay->sync();
  EXPECT_EQ(relay->stats().packets_relayed, 30u);
  for (auto& s : streams) {
    ASSERT_TRUE(relay->release(s.id).has_value());
  }
  relay->sync();
  auto stats = relay->stats();
  EXPECT_EQ(stats.sockets_open, 0u);
  EXPECT_EQ(stats.ports_in_use, 0u);
}

TEST(RelayForward, CoalescingDelaysButForwardsEverything) {
  RelayConfig config = twoInterfaces(6);
  config.coalesce = std::chrono::microseconds(2000);
  auto relay = makeRelay(config);
  ASSERT_TRUE(relay);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
  ASSERT_TRUE(ports.has_value());
  Parties p;
  ASSERT_TRUE(relay->update(ports->id, Side::A, p.sideA()).has_value());
  ASSERT_TRUE(relay->update(ports->id, Side::B, p.sideB()).has_value());
  relay->sync();
  for (uint16_t seq = 0; seq < 50; ++seq) {
    p.a_rtp.send(ports->a.rtp, makeRtp(seq, 0, 1));
  }
  for (uint16_t seq = 0; seq < 50; ++seq) {
    auto got = p.b_rtp.receive();
    ASSERT_TRUE(got.has_value()) << seq;
    EXPECT_EQ(*got, makeRtp(seq, 0, 1)); // in order
  }
  EXPECT_EQ(relay->query(ports->id)->a.in.lost, 0u);
}

TEST(RelayForward, Ipv6InterfaceToIpv4Interface) {
  RelayConfig config = twoInterfaces(5);
  config.interfaces[0].bind_address = "::1";
  auto relay = makeRelay(config);
  ASSERT_TRUE(relay);
  auto ports = relay->allocate({.interface_a = "a", .interface_b = "b"});
  ASSERT_TRUE(ports.has_value());
  EXPECT_TRUE(ports->a.rtp.isV6());
  Peer a("::1");
  Peer b("127.0.0.73");
  ASSERT_TRUE(relay->update(ports->id, Side::A, {.remote_rtp = a.local()}).has_value());
  ASSERT_TRUE(relay->update(ports->id, Side::B, {.remote_rtp = b.local()}).has_value());
  EXPECT_EQ(relay->update(ports->id, Side::B, {.remote_rtp = a.local()}).error().code,
            MediaErrc::BadRequest);
  relay->sync();
  auto rtp = makeRtp(1, 0, 6);
  a.send(ports->a.rtp, rtp);
  auto got = b.receive();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, rtp);
  b.send(ports->b.rtp, rtp);
  net::Endpoint from;
  got = a.receive(std::chrono::milliseconds(2000), &from);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(from, ports->a.rtp);
  EXPECT_TRUE(relay->query(ports->id)->a.latched);
}

} // namespace
} // namespace gh::media::relay::test
