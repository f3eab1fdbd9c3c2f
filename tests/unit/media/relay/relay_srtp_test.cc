// RTP <-> SRTP through the relay, checked against independent transforms: an SrtpContext of our
// own and libsrtp2 (the oracle of the srtp tests). Auth failures and replays are dropped.

#include <gtest/gtest.h>

#include "media/relay/relay.h"
#include "media/srtp/srtp_context.h"
#include "unit/media/relay/relay_test_util.h"
#include "unit/media/srtp/srtp_test_util.h"

namespace gh::media::relay::test {
namespace {

using media::test::LibSrtp;

// What a party does with its keys: the relay's `encrypt` key is the party's inbound key.
SrtpContext inbound(const SrtpMasterKey& key) {
  return std::move(*SrtpContext::create(key, SrtpDirection::Inbound));
}

SrtpContext outbound(const SrtpMasterKey& key) {
  return std::move(*SrtpContext::create(key, SrtpDirection::Outbound));
}

Bytes unprotectRtp(SrtpContext& context, Bytes packet) {
  auto n = context.unprotectRtp(packet, packet.size());
  EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().what);
  packet.resize(n ? *n : 0);
  return packet;
}

Bytes protectRtp(SrtpContext& context, Bytes packet) {
  std::size_t len = packet.size();
  packet.resize(len + 64);
  auto n = context.protectRtp(packet, len);
  EXPECT_TRUE(n.has_value());
  packet.resize(n ? *n : 0);
  return packet;
}

Bytes protectRtcp(SrtpContext& context, Bytes packet) {
  std::size_t len = packet.size();
  packet.resize(len + 64);
  auto n = context.protectRtcp(packet, len);
  EXPECT_TRUE(n.has_value());
  packet.resize(n ? *n : 0);
  return packet;
}

struct Rig {
  explicit Rig(unsigned slot, RelayConfig config = {}) {
    if (config.interfaces.empty()) {
      config = twoInterfaces(slot);
    }
    relay = makeRelay(std::move(config));
    auto allocated = relay->allocate({.interface_a = "a", .interface_b = "b"});
    EXPECT_TRUE(allocated.has_value());
    ports = *allocated;
  }

  std::unique_ptr<Relay> relay;
  StreamPorts ports;
  Peer a{"127.0.0.81"};
  Peer a_rtcp{"127.0.0.81"};
  Peer b{"127.0.0.82"};
  Peer b_rtcp{"127.0.0.82"};
};

class RelaySrtpSuites : public ::testing::TestWithParam<const SrtpSuite*> {};

TEST_P(RelaySrtpSuites, RtpToSrtpAndBackMatchesIndependentContextsAndLibsrtp) {
  const SrtpSuite& suite = *GetParam();
  Rig s(10);
  SrtpMasterKey to_b = makeKey(suite.name.data());   // our a=crypto toward B
  SrtpMasterKey from_b = makeKey(suite.name.data()); // B's a=crypto
  ASSERT_TRUE(s.relay
                  ->update(s.ports.id, Side::A,
                           {.remote_rtp = s.a.local(), .remote_rtcp = s.a_rtcp.local()})
                  .has_value());
  s.relay->sync();
  ASSERT_TRUE(s.relay
                  ->update(s.ports.id, Side::B,
                           {.remote_rtp = s.b.local(),
                            .remote_rtcp = s.b_rtcp.local(),
                            .decrypt = from_b,
                            .encrypt = to_b})
                  .has_value());
  s.relay->sync();

  SrtpContext b_in = inbound(to_b);
  LibSrtp oracle_in(suite, to_b.concatenated(), false);
  LibSrtp oracle_out(suite, from_b.concatenated(), true);
  ASSERT_TRUE(oracle_in.ok() && oracle_out.ok());

  for (uint16_t seq = 100; seq < 105; ++seq) {
    auto rtp = makeRtp(seq, seq * 160u, 0xabc);
    s.a.send(s.ports.a.rtp, rtp);
    auto srtp = s.b.receive();
    ASSERT_TRUE(srtp.has_value());
    EXPECT_EQ(srtp->size(), rtp.size() + suite.rtp_tag_len);
    Bytes copy = *srtp;
    EXPECT_EQ(unprotectRtp(b_in, *srtp), rtp);
    ASSERT_EQ(oracle_in.unprotectRtp(copy), srtp_err_status_ok);
    EXPECT_EQ(copy, rtp);

    auto back = makeRtp(static_cast<uint16_t>(seq + 1000), seq * 160u, 0xdef);
    Bytes sealed = back;
    ASSERT_EQ(oracle_out.protectRtp(sealed), srtp_err_status_ok);
    s.b.send(s.ports.b.rtp, sealed);
    auto plain = s.a.receive();
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(*plain, back);
  }

  // SRTCP both ways.
  auto rr = makeRtcpRr(0x111, 5, 7, 9);
  s.a_rtcp.send(s.ports.a.rtcp, rr);
  auto srtcp = s.b_rtcp.receive();
  ASSERT_TRUE(srtcp.has_value());
  ASSERT_EQ(oracle_in.unprotectRtcp(*srtcp), srtp_err_status_ok);
  EXPECT_EQ(*srtcp, rr);
  Bytes sr = makeRtcpSr(0xdef);
  Bytes sealed = sr;
  ASSERT_EQ(oracle_out.protectRtcp(sealed), srtp_err_status_ok);
  s.b_rtcp.send(s.ports.b.rtcp, sealed);
  auto plain = s.a_rtcp.receive();
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, sr);

  auto stats = s.relay->query(s.ports.id);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->b.in.packets, 5u);
  EXPECT_EQ(stats->b.in.srtp_auth_failures, 0u);
  EXPECT_EQ(s.relay->stats().srtp_contexts, 2u);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, RelaySrtpSuites, ::testing::ValuesIn(media::test::allSuites()),
                         media::test::suiteTestName);

TEST(RelaySrtp, SrtpToSrtpWithDifferentKeysAndSuites) {
  Rig s(11);
  SrtpMasterKey from_a = makeKey("AES_CM_128_HMAC_SHA1_80");
  SrtpMasterKey to_b = makeKey("AEAD_AES_256_GCM");
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, {.remote_rtp = s.a.local(), .decrypt = from_a})
                  .has_value());
  s.relay->sync();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::B, {.remote_rtp = s.b.local(), .encrypt = to_b})
                  .has_value());
  s.relay->sync();
  SrtpContext a_out = outbound(from_a);
  SrtpContext b_in = inbound(to_b);
  for (uint16_t seq = 1; seq < 4; ++seq) {
    auto rtp = makeRtp(seq, 0, 0x55);
    auto sent = protectRtp(a_out, rtp);
    s.a.send(s.ports.a.rtp, sent);
    auto got = s.b.receive();
    ASSERT_TRUE(got.has_value());
    EXPECT_NE(*got, sent); // re-encrypted, not passed through
    EXPECT_EQ(unprotectRtp(b_in, *got), rtp);
  }
  // SRTCP in on A's RTCP port (A is not muxed), out to B's RTP port + 1.
  Peer b_rtcp_port("127.0.0.82", static_cast<uint16_t>(s.b.local().port() + 1));
  auto rr = makeRtcpRr(0x55, 1, 2, 3);
  s.a_rtcp.send(s.ports.a.rtcp, protectRtcp(a_out, rr));
  auto got = b_rtcp_port.receive();
  ASSERT_TRUE(got.has_value());
  auto n = b_in.unprotectRtcp(*got, got->size());
  ASSERT_TRUE(n.has_value());
  got->resize(*n);
  EXPECT_EQ(*got, rr);
}

TEST(RelaySrtp, ManySsrcsOverOneCallAreAllForwarded) {
  Rig s(15);
  SrtpMasterKey from_a = makeKey();
  SrtpMasterKey to_b = makeKey();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, {.remote_rtp = s.a.local(), .decrypt = from_a})
                  .has_value());
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::B, {.remote_rtp = s.b.local(), .encrypt = to_b})
                  .has_value());
  s.relay->sync();
  // Transfers and music on hold: more SSRCs than SrtpOptions' default of 4, then the first again.
  SrtpOptions wide;
  wide.max_ssrcs = kSrtpMaxSsrcs;
  wide.evict_least_recent_ssrc = true;
  auto a_out = SrtpContext::create(from_a, SrtpDirection::Outbound, wide);
  auto b_in = SrtpContext::create(to_b, SrtpDirection::Inbound, wide);
  ASSERT_TRUE(a_out.has_value() && b_in.has_value());
  uint16_t seq = 1;
  for (uint32_t ssrc : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 1u}) {
    auto rtp = makeRtp(seq++, 0, ssrc);
    s.a.send(s.ports.a.rtp, protectRtp(*a_out, rtp));
    auto got = s.b.receive();
    ASSERT_TRUE(got.has_value()) << "ssrc " << ssrc;
    EXPECT_EQ(unprotectRtp(*b_in, *got), rtp);
  }
}

TEST(RelaySrtp, AuthFailureAndReplayAreDroppedAndCounted) {
  Rig s(12);
  SrtpMasterKey from_a = makeKey();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, {.remote_rtp = s.a.local(), .decrypt = from_a})
                  .has_value());
  s.relay->sync();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::B, {.remote_rtp = s.b.local()}).has_value());
  s.relay->sync();
  SrtpContext a_out = outbound(from_a);

  auto good = protectRtp(a_out, makeRtp(1, 0, 0x77));
  auto forged = protectRtp(a_out, makeRtp(2, 0, 0x77));
  forged[20] ^= 1;
  s.a.send(s.ports.a.rtp, forged);
  EXPECT_TRUE(s.b.silent());
  s.a.send(s.ports.a.rtp, good);
  ASSERT_TRUE(s.b.receive().has_value());
  s.a.send(s.ports.a.rtp, good); // replay
  EXPECT_TRUE(s.b.silent());

  auto stats = s.relay->query(s.ports.id);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->a.in.srtp_auth_failures, 1u);
  EXPECT_EQ(stats->a.in.srtp_replays, 1u);
  EXPECT_EQ(stats->a.in.packets, 1u);
  EXPECT_EQ(stats->b.sent_packets, 1u);
  auto global = s.relay->stats();
  EXPECT_EQ(global.srtp_auth_failures, 1u);
  EXPECT_EQ(global.srtp_replays, 1u);
  EXPECT_EQ(global.packets_relayed, 1u);
}

TEST(RelaySrtp, ForgedPacketsNeverLatch) {
  Rig s(13);
  SrtpMasterKey from_a = makeKey();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, {.decrypt = from_a}).has_value());
  s.relay->sync();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::B, {.remote_rtp = s.b.local()}).has_value());
  s.relay->sync();
  Peer attacker("127.0.0.83");
  attacker.send(s.ports.a.rtp, makeRtp(1, 0, 0x77, 170)); // not SRTP at all: fails auth
  s.b.send(s.ports.b.rtp, makeRtp(1, 0, 0x99));
  EXPECT_TRUE(attacker.silent());
  auto stats = s.relay->query(s.ports.id);
  EXPECT_FALSE(stats->a.latched);
  EXPECT_EQ(stats->a.in.srtp_auth_failures, 1u);

  SrtpContext a_out = outbound(from_a);
  s.a.send(s.ports.a.rtp, protectRtp(a_out, makeRtp(1, 0, 0x77)));
  ASSERT_TRUE(s.b.receive().has_value());
  s.b.send(s.ports.b.rtp, makeRtp(2, 0, 0x99));
  ASSERT_TRUE(s.a.receive().has_value()); // A's target is now its real source
}

TEST(RelaySrtp, ReofferWithTheSameKeysKeepsTheContextNewKeysReplaceIt) {
  Rig s(14);
  SrtpMasterKey first = makeKey();
  SideParams a{.remote_rtp = s.a.local(), .decrypt = first};
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, a).has_value());
  s.relay->sync();
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::B, {.remote_rtp = s.b.local()}).has_value());
  s.relay->sync();
  SrtpContext a_out = outbound(first);
  auto p1 = protectRtp(a_out, makeRtp(1, 0, 0x77));
  s.a.send(s.ports.a.rtp, p1);
  ASSERT_TRUE(s.b.receive().has_value());

  // Re-offer with the same key.
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, a).has_value());
  s.relay->sync();
  s.a.send(s.ports.a.rtp, p1);
  EXPECT_TRUE(s.b.silent()); // still a replay: the replay window survived
  auto stats = s.relay->query(s.ports.id);
  EXPECT_EQ(stats->a.in.srtp_replays, 1u);
  EXPECT_EQ(stats->a.in.packets, 1u);

  SrtpMasterKey second = makeKey();
  a.decrypt = second;
  ASSERT_TRUE(s.relay->update(s.ports.id, Side::A, a).has_value());
  s.relay->sync();
  s.a.send(s.ports.a.rtp, protectRtp(a_out, makeRtp(2, 0, 0x77))); // old key
  EXPECT_TRUE(s.b.silent());
  SrtpContext a_out2 = outbound(second);
  s.a.send(s.ports.a.rtp, protectRtp(a_out2, makeRtp(3, 0, 0x77)));
  ASSERT_TRUE(s.b.receive().has_value());
  stats = s.relay->query(s.ports.id);
  EXPECT_EQ(stats->a.in.packets, 2u); // figures survive the re-key
  EXPECT_EQ(stats->a.in.srtp_auth_failures, 1u);
  EXPECT_EQ(stats->a.in.lost, 1u); // seq 2 never made it
  EXPECT_EQ(s.relay->stats().srtp_contexts, 1u);
}

} // namespace
} // namespace gh::media::relay::test
