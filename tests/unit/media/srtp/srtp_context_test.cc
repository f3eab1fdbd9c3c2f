// SrtpContext behaviour on bad input: authentication failures, replays, malformed packets, missing
// tail room, wrong key lengths, the SSRC bound and the direction rule.

#include "media/srtp/srtp_context.h"

#include <vector>

#include <gtest/gtest.h>

#include "unit/media/srtp/srtp_test_util.h"

namespace gh::media {
namespace {

struct Pair {
  SrtpContext tx;
  SrtpContext rx;
};

Pair makePair(const SrtpSuite& suite, const SrtpOptions& options = {}) {
  auto master = SrtpMasterKey::generate(suite);
  EXPECT_TRUE(master);
  auto tx = SrtpContext::create(*master, SrtpDirection::Outbound, options);
  auto rx = SrtpContext::create(*master, SrtpDirection::Inbound, options);
  EXPECT_TRUE(tx && rx);
  return Pair{std::move(*tx), std::move(*rx)};
}

std::vector<uint8_t> rtp(uint16_t seq, uint32_t ssrc = 0x11223344, std::size_t payload = 160) {
  std::mt19937 rng(seq);
  test::RtpShape shape;
  shape.seq = seq;
  shape.ssrc = ssrc;
  shape.payload = payload;
  return test::makeRtp(shape, rng);
}

// Protects into a vector sized exactly to the result.
std::vector<uint8_t> protect(SrtpContext& tx, std::vector<uint8_t> plain, bool rtcp = false) {
  const std::size_t len = plain.size();
  plain.resize(len + 64);
  auto n = rtcp ? tx.protectRtcp(plain, len) : tx.protectRtp(plain, len);
  EXPECT_TRUE(n);
  plain.resize(n ? *n : 0);
  return plain;
}

Result<std::size_t> unprotect(SrtpContext& rx, std::vector<uint8_t> packet, bool rtcp = false) {
  return rtcp ? rx.unprotectRtcp(packet, packet.size()) : rx.unprotectRtp(packet, packet.size());
}

class SrtpContextSuiteTest : public ::testing::TestWithParam<const SrtpSuite*> {};

TEST_P(SrtpContextSuiteTest, EveryFlippedBitFailsAndIsNeverReturned) {
  const SrtpSuite& suite = *GetParam();
  for (bool rtcp : {false, true}) {
    SCOPED_TRACE(rtcp ? "SRTCP" : "SRTP");
    auto [tx, rx] = makePair(suite);
    std::mt19937 rng(1);
    const auto plain = rtcp ? test::makeRandomRtcp(rng, 0x11223344, 120) : rtp(1000);
    const auto good = protect(tx, plain, rtcp);
    for (std::size_t bit = 0; bit < good.size() * 8; ++bit) {
      std::vector<uint8_t> bad(good);
      bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      const std::vector<uint8_t> sent(bad);
      auto n = rtcp ? rx.unprotectRtcp(bad, bad.size()) : rx.unprotectRtp(bad, bad.size());
      ASSERT_FALSE(n) << "bit " << bit;
      const SrtpFailure why = srtpFailureOf(n.error());
      EXPECT_TRUE(why == SrtpFailure::AuthFailed || why == SrtpFailure::Malformed) << "bit " << bit;
      if (!suite.aead()) {
        EXPECT_EQ(bad, sent) << "AES-CM must not decrypt before authenticating";
      }
    }
    // No forged packet taught the context an SSRC or moved its window.
    EXPECT_EQ(rx.ssrcCount(), 0u);
    EXPECT_GT(rx.counters().auth_failures, 0u);
    std::vector<uint8_t> buf(good);
    auto n = rtcp ? rx.unprotectRtcp(buf, buf.size()) : rx.unprotectRtp(buf, buf.size());
    ASSERT_TRUE(n);
    buf.resize(*n);
    EXPECT_EQ(buf, plain);
    EXPECT_EQ(rx.ssrcCount(), 1u);
  }
}

TEST(SrtpContextTest, GcmAuthFailureWipesPayload) {
  for (const char* name : {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"}) {
    auto [tx, rx] = makePair(*findSrtpSuite(name));
    auto packet = protect(tx, rtp(5));
    packet.back() ^= 1; // corrupt the tag
    auto n = rx.unprotectRtp(packet, packet.size());
    ASSERT_FALSE(n);
    for (std::size_t i = 12; i < packet.size() - 16; ++i) {
      ASSERT_EQ(packet[i], 0) << name << " byte " << i;
    }
  }
}

TEST_P(SrtpContextSuiteTest, ReplayAndStalePacketsAreRejected) {
  for (uint32_t window : {64u, 128u}) {
    SrtpOptions options;
    options.replay_window = window;
    auto [tx, rx] = makePair(*GetParam(), options);
    std::vector<std::vector<uint8_t>> sent;
    for (uint16_t seq = 1; seq <= 300; ++seq) {
      sent.push_back(protect(tx, rtp(seq)));
    }
    for (uint16_t seq = 1; seq <= 300; ++seq) {
      if (seq == 150 || seq == 250) {
        continue; // held back
      }
      ASSERT_TRUE(unprotect(rx, sent[seq - 1u]));
    }
    auto again = unprotect(rx, sent[299]);
    ASSERT_FALSE(again);
    EXPECT_EQ(srtpFailureOf(again.error()), SrtpFailure::Replayed);
    again = unprotect(rx, sent[289]);
    ASSERT_FALSE(again);
    EXPECT_EQ(srtpFailureOf(again.error()), SrtpFailure::Replayed);
    // 250 is within the window (300 - 250 < 64): late but fresh, accepted once.
    EXPECT_TRUE(unprotect(rx, sent[249]));
    EXPECT_FALSE(unprotect(rx, sent[249]));
    // 150 is beyond it.
    auto stale = unprotect(rx, sent[149]);
    ASSERT_FALSE(stale);
    EXPECT_EQ(srtpFailureOf(stale.error()), SrtpFailure::TooOld);
    // The edge: highest - (window - 1) is in, highest - window is out.
    auto edge_out = unprotect(rx, sent[300 - window - 1]);
    ASSERT_FALSE(edge_out);
    EXPECT_EQ(srtpFailureOf(edge_out.error()), SrtpFailure::TooOld);
    EXPECT_EQ(rx.counters().replayed, 5u);
  }
}

TEST_P(SrtpContextSuiteTest, SrtcpReplayIsSeparateFromRtp) {
  auto [tx, rx] = makePair(*GetParam());
  std::mt19937 rng(3);
  const auto rtcp1 = protect(tx, test::makeRandomRtcp(rng, 0x11223344, 100), true);
  const auto rtp1 = protect(tx, rtp(1));
  ASSERT_TRUE(unprotect(rx, rtcp1, true));
  ASSERT_TRUE(unprotect(rx, rtp1)); // SRTCP index 1 does not consume RTP index 1
  auto dup = unprotect(rx, rtcp1, true);
  ASSERT_FALSE(dup);
  EXPECT_EQ(srtpFailureOf(dup.error()), SrtpFailure::Replayed);
}

TEST_P(SrtpContextSuiteTest, SenderRefusesToReuseAnIndex) {
  auto [tx, rx] = makePair(*GetParam());
  protect(tx, rtp(7));
  auto buf = rtp(7);
  const std::size_t len = buf.size();
  buf.resize(len + 16);
  auto n = tx.protectRtp(buf, len);
  ASSERT_FALSE(n);
  EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::Replayed);
}

TEST_P(SrtpContextSuiteTest, MalformedPacketsGiveCleanErrors) {
  auto [tx, rx] = makePair(*GetParam());
  const std::size_t tag = GetParam()->rtp_tag_len;
  std::vector<uint8_t> buf(2048, 0);
  for (std::size_t len = 0; len < 12; ++len) {
    std::fill(buf.begin(), buf.end(), 0x80);
    EXPECT_EQ(srtpFailureOf(tx.protectRtp(buf, len).error()), SrtpFailure::Malformed) << len;
    EXPECT_EQ(srtpFailureOf(rx.unprotectRtp(buf, len).error()), SrtpFailure::Malformed) << len;
    EXPECT_EQ(tx.protectRtcp(buf, len).has_value(), len >= 8) << len; // SRTCP needs 8 bytes
    EXPECT_FALSE(rx.unprotectRtcp(buf, len));
  }
  // Version 1, CSRCs past the end, an extension running past the end.
  auto v1 = rtp(1);
  v1[0] = 0x40;
  auto cc = rtp(1, 1, 20);
  cc[0] = 0x8f; // 15 CSRCs = 60 bytes, only 20 follow
  auto ext = rtp(1, 1, 20);
  ext[0] = 0x90;
  ext[14] = 0x40; // 16384 extension words
  for (auto* p : {&v1, &cc, &ext}) {
    std::vector<uint8_t> b(*p);
    b.resize(p->size() + 64);
    auto n = tx.protectRtp(b, p->size());
    ASSERT_FALSE(n);
    EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::Malformed);
    n = rx.unprotectRtp(b, p->size());
    ASSERT_FALSE(n);
    EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::Malformed);
  }
  // A valid header with fewer bytes after it than a tag.
  auto short_srtp = rtp(1, 1, 0);
  short_srtp.resize(12 + tag - 1, 0);
  EXPECT_EQ(srtpFailureOf(rx.unprotectRtp(short_srtp, short_srtp.size()).error()),
            SrtpFailure::Malformed);
  // Length past the buffer, and beyond a UDP payload.
  auto ok = rtp(1);
  EXPECT_EQ(srtpFailureOf(tx.protectRtp(ok, ok.size() + 1).error()), SrtpFailure::Malformed);
  std::vector<uint8_t> huge(70000, 0x80);
  EXPECT_EQ(srtpFailureOf(tx.protectRtp(huge, 66000).error()), SrtpFailure::Malformed);
  // SRTCP whose E flag is clear.
  std::mt19937 rng(9);
  auto srtcp = protect(tx, test::makeRandomRtcp(rng, 0x11223344, 64), true);
  const std::size_t trailer_at =
      GetParam()->aead() ? srtcp.size() - 4 : srtcp.size() - 4 - GetParam()->rtcp_tag_len;
  srtcp[trailer_at] &= 0x7f;
  EXPECT_EQ(srtpFailureOf(unprotect(rx, srtcp, true).error()), SrtpFailure::Malformed);
  EXPECT_EQ(rx.ssrcCount(), 0u);
}

TEST_P(SrtpContextSuiteTest, ProtectNeedsTailRoom) {
  auto [tx, rx] = makePair(*GetParam());
  auto plain = rtp(1);
  const auto before = plain;
  auto n = tx.protectRtp(plain, plain.size()); // buffer exactly the packet
  ASSERT_FALSE(n);
  EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::NoTailRoom);
  EXPECT_EQ(plain, before);
  plain.resize(before.size() + tx.rtpOverhead() - 1);
  EXPECT_FALSE(tx.protectRtp(plain, before.size()));
  plain.resize(before.size() + tx.rtpOverhead());
  EXPECT_TRUE(tx.protectRtp(plain, before.size()));

  std::mt19937 rng(2);
  auto rtcp = test::makeRandomRtcp(rng, 1, 64);
  const std::size_t rtcp_len = rtcp.size();
  rtcp.resize(rtcp_len + tx.rtcpOverhead() - 1);
  auto m = tx.protectRtcp(rtcp, rtcp_len);
  ASSERT_FALSE(m);
  EXPECT_EQ(srtpFailureOf(m.error()), SrtpFailure::NoTailRoom);
  rtcp.resize(rtcp_len + tx.rtcpOverhead());
  EXPECT_TRUE(tx.protectRtcp(rtcp, rtcp_len));
}

TEST_P(SrtpContextSuiteTest, SsrcBound) {
  const SrtpSuite& suite = *GetParam();
  auto [tx, rx] = makePair(suite);
  for (uint32_t ssrc = 1; ssrc <= 4; ++ssrc) {
    ASSERT_TRUE(unprotect(rx, protect(tx, rtp(1, ssrc))));
  }
  auto buf = rtp(1, 5);
  const std::size_t len = buf.size();
  buf.resize(len + 16);
  auto n = tx.protectRtp(buf, len);
  ASSERT_FALSE(n);
  EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::SsrcLimit);
  EXPECT_EQ(tx.counters().ssrc_limit, 1u);
  EXPECT_EQ(tx.ssrcCount(), 4u);

  // The receiver rejects a fifth SSRC before spending any crypto on it.
  SrtpOptions evict;
  evict.evict_least_recent_ssrc = true;
  auto master = SrtpMasterKey::generate(suite);
  auto tx5 = SrtpContext::create(*master, SrtpDirection::Outbound, evict);
  auto rx4 = SrtpContext::create(*master, SrtpDirection::Inbound);
  ASSERT_TRUE(tx5 && rx4);
  for (uint32_t ssrc = 1; ssrc <= 5; ++ssrc) {
    auto p = protect(*tx5, rtp(1, ssrc));
    auto r = unprotect(*rx4, p);
    EXPECT_EQ(r.has_value(), ssrc <= 4);
    if (ssrc == 5) {
      EXPECT_EQ(srtpFailureOf(r.error()), SrtpFailure::SsrcLimit);
    }
  }
  EXPECT_EQ(tx5->ssrcCount(), 4u); // evicted SSRC 1, the least recently used
  EXPECT_FALSE(tx5->rolloverCounter(1).has_value());
  EXPECT_TRUE(tx5->rolloverCounter(5).has_value());
}

TEST_P(SrtpContextSuiteTest, DirectionIsEnforced) {
  auto [tx, rx] = makePair(*GetParam());
  auto buf = rtp(1);
  buf.resize(buf.size() + 32);
  EXPECT_EQ(srtpFailureOf(rx.protectRtp(buf, 172).error()), SrtpFailure::WrongDirection);
  EXPECT_EQ(srtpFailureOf(tx.unprotectRtp(buf, 172).error()), SrtpFailure::WrongDirection);
  EXPECT_EQ(srtpFailureOf(rx.protectRtcp(buf, 172).error()), SrtpFailure::WrongDirection);
  EXPECT_EQ(srtpFailureOf(tx.unprotectRtcp(buf, 172).error()), SrtpFailure::WrongDirection);
}

TEST_P(SrtpContextSuiteTest, SrtcpIndexExhaustion) {
  auto [tx, rx] = makePair(*GetParam());
  std::mt19937 rng(4);
  const auto plain = test::makeRandomRtcp(rng, 42, 64);
  ASSERT_TRUE(tx.setNextSrtcpIndexForTest(42, 0x7fffffff));
  auto last = protect(tx, plain, true);
  ASSERT_TRUE(unprotect(rx, last, true));
  auto buf = plain;
  buf.resize(plain.size() + 32);
  auto n = tx.protectRtcp(buf, plain.size());
  ASSERT_FALSE(n);
  EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::IndexExhausted);
}

TEST_P(SrtpContextSuiteTest, KeyLengthsMustMatchTheSuite) {
  const SrtpSuite& suite = *GetParam();
  std::vector<uint8_t> key(suite.master_key_len, 1);
  std::vector<uint8_t> salt(suite.master_salt_len, 2);
  EXPECT_TRUE(SrtpContext::create(suite, key, salt, SrtpDirection::Outbound));
  std::vector<uint8_t> short_key(key.begin(), key.end() - 1);
  std::vector<uint8_t> long_salt(salt);
  long_salt.push_back(0);
  EXPECT_FALSE(SrtpContext::create(suite, short_key, salt, SrtpDirection::Outbound));
  EXPECT_FALSE(SrtpContext::create(suite, key, long_salt, SrtpDirection::Outbound));
  EXPECT_FALSE(SrtpContext::create(suite, {}, {}, SrtpDirection::Inbound));
  EXPECT_FALSE(SrtpMasterKey::fromConcatenated(suite, key));
  EXPECT_FALSE(SrtpMasterKey::fromParts(suite, short_key, salt));
  SrtpOptions bad_window;
  bad_window.replay_window = 32;
  EXPECT_FALSE(SrtpContext::create(suite, key, salt, SrtpDirection::Inbound, bad_window));
  SrtpOptions bad_ssrcs;
  bad_ssrcs.max_ssrcs = 0;
  EXPECT_FALSE(SrtpContext::create(suite, key, salt, SrtpDirection::Inbound, bad_ssrcs));
  bad_ssrcs.max_ssrcs = kSrtpMaxSsrcs + 1;
  EXPECT_FALSE(SrtpContext::create(suite, key, salt, SrtpDirection::Inbound, bad_ssrcs));
}

TEST_P(SrtpContextSuiteTest, WrongKeyFailsAuthentication) {
  const SrtpSuite& suite = *GetParam();
  auto [tx, rx] = makePair(suite);
  auto [other_tx, other_rx] = makePair(suite);
  auto n = unprotect(other_rx, protect(tx, rtp(1)));
  ASSERT_FALSE(n);
  EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::AuthFailed);
  EXPECT_EQ(other_rx.counters().auth_failures, 1u);
}

TEST_P(SrtpContextSuiteTest, CountersAndOverheads) {
  auto [tx, rx] = makePair(*GetParam());
  EXPECT_EQ(tx.rtpOverhead(), GetParam()->rtp_tag_len);
  EXPECT_EQ(tx.rtcpOverhead(), 4u + GetParam()->rtcp_tag_len);
  for (uint16_t seq = 0; seq < 10; ++seq) {
    ASSERT_TRUE(unprotect(rx, protect(tx, rtp(seq))));
  }
  EXPECT_EQ(tx.counters().protected_packets, 10u);
  EXPECT_EQ(rx.counters().unprotected_packets, 10u);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, SrtpContextSuiteTest, ::testing::ValuesIn(test::allSuites()),
                         test::suiteTestName);

TEST(SrtpSuiteTest, TableAndLookup) {
  ASSERT_EQ(srtpSuites().size(), 6u);
  EXPECT_EQ(defaultSrtpSuite().name, "AES_CM_128_HMAC_SHA1_80");
  const SrtpSuite* s32 = findSrtpSuite("AES_CM_128_HMAC_SHA1_32");
  ASSERT_NE(s32, nullptr);
  EXPECT_EQ(s32->rtp_tag_len, 4);
  EXPECT_EQ(s32->rtcp_tag_len, 10);
  const SrtpSuite* gcm = findSrtpSuite("AEAD_AES_256_GCM");
  ASSERT_NE(gcm, nullptr);
  EXPECT_TRUE(gcm->aead());
  EXPECT_EQ(gcm->masterLength(), 44u);
  EXPECT_EQ(findSrtpSuite("aes_cm_128_hmac_sha1_80"), nullptr);
  EXPECT_EQ(findSrtpSuite("F8_128_HMAC_SHA1_80"), nullptr);
}

TEST(SrtpKeyTest, GeneratedKeysHaveSuiteLengthsAndDiffer) {
  for (const SrtpSuite& suite : srtpSuites()) {
    auto a = SrtpMasterKey::generate(suite);
    auto b = SrtpMasterKey::generate(suite);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->key().size(), suite.master_key_len);
    EXPECT_EQ(a->salt().size(), suite.master_salt_len);
    EXPECT_EQ(a->concatenated().size(), suite.masterLength());
    EXPECT_FALSE(
        std::equal(a->concatenated().begin(), a->concatenated().end(), b->concatenated().begin()));
    auto c = SrtpMasterKey::fromConcatenated(suite, a->concatenated());
    ASSERT_TRUE(c);
    EXPECT_TRUE(std::equal(c->key().begin(), c->key().end(), a->key().begin()));
  }
}

} // namespace
} // namespace gh::media
