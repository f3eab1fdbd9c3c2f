// Bit-for-bit equality with libsrtp2 (the oracle) for every suite: our protect output equals
// libsrtp's, each side unprotects the other's packets, and both make the same replay decisions.

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "media/srtp/srtp_context.h"
#include "unit/media/srtp/srtp_test_util.h"

namespace gh::media {
namespace {

using test::LibSrtp;

class SrtpOracleTest : public ::testing::TestWithParam<const SrtpSuite*> {
protected:
  void SetUp() override {
    suite_ = GetParam();
    auto master = SrtpMasterKey::generate(*suite_);
    ASSERT_TRUE(master);
    key_.assign(master->concatenated().begin(), master->concatenated().end());
    rng_.seed(static_cast<uint32_t>(suite_->name.size() * 7919 + suite_->rtp_tag_len));
  }

  SrtpContext ours(SrtpDirection direction, uint32_t window = 128) {
    SrtpOptions options;
    options.replay_window = window;
    auto ctx =
        SrtpContext::create(*suite_, std::span(key_).first(suite_->master_key_len),
                            std::span(key_).subspan(suite_->master_key_len), direction, options);
    EXPECT_TRUE(ctx);
    return std::move(*ctx);
  }

  // Protects `plain` with both implementations, checks equality, then checks that each side's
  // receiver decrypts the other's packet back to `plain`.
  void roundTrip(const std::vector<uint8_t>& plain, bool rtcp, SrtpContext& tx, LibSrtp& lib_tx,
                 SrtpContext& rx, LibSrtp& lib_rx) {
    std::vector<uint8_t> buf(plain);
    buf.resize(plain.size() + 64);
    auto n = rtcp ? tx.protectRtcp(buf, plain.size()) : tx.protectRtp(buf, plain.size());
    ASSERT_TRUE(n) << n.error().what;
    buf.resize(*n);

    std::vector<uint8_t> theirs(plain);
    ASSERT_EQ(rtcp ? lib_tx.protectRtcp(theirs) : lib_tx.protectRtp(theirs), srtp_err_status_ok);
    ASSERT_EQ(buf, theirs) << "output differs from libsrtp, size " << plain.size();

    std::vector<uint8_t> at_lib(buf);
    ASSERT_EQ(rtcp ? lib_rx.unprotectRtcp(at_lib) : lib_rx.unprotectRtp(at_lib),
              srtp_err_status_ok);
    EXPECT_EQ(at_lib, plain);

    std::vector<uint8_t> at_ours(theirs);
    auto m =
        rtcp ? rx.unprotectRtcp(at_ours, at_ours.size()) : rx.unprotectRtp(at_ours, at_ours.size());
    ASSERT_TRUE(m) << m.error().what;
    at_ours.resize(*m);
    EXPECT_EQ(at_ours, plain);
  }

  const SrtpSuite* suite_ = nullptr;
  std::vector<uint8_t> key_;
  std::mt19937 rng_;
};

TEST_P(SrtpOracleTest, RandomRtpAcrossSequenceWrap) {
  auto tx = ours(SrtpDirection::Outbound);
  auto rx = ours(SrtpDirection::Inbound);
  LibSrtp lib_tx(*suite_, key_, true);
  LibSrtp lib_rx(*suite_, key_, false);
  ASSERT_TRUE(lib_tx.ok() && lib_rx.ok());

  // Three SSRCs starting just below the wrap; losses and swapped neighbours on the way.
  const uint32_t ssrcs[3] = {static_cast<uint32_t>(rng_()), 0, 0xffffffffu};
  std::map<uint32_t, uint16_t> next{{ssrcs[0], 64000}, {ssrcs[1], 65535}, {ssrcs[2], 64500}};
  std::vector<std::pair<uint32_t, uint16_t>> order;
  for (int i = 0; i < 4000; ++i) {
    const uint32_t ssrc = ssrcs[rng_() % 3];
    uint16_t& seq = next[ssrc];
    if (rng_() % 20 == 0) {
      seq = static_cast<uint16_t>(seq + rng_() % 50); // a burst of loss
    }
    order.emplace_back(ssrc, seq++);
  }
  for (std::size_t i = 0; i + 1 < order.size(); ++i) {
    if (rng_() % 20 == 0) {
      std::swap(order[i], order[i + 1]); // reordering
    }
  }
  for (const auto& [ssrc, seq] : order) {
    const auto plain = test::makeRtp(test::randomRtpShape(rng_, seq, ssrc, 1400), rng_);
    ASSERT_NO_FATAL_FAILURE(roundTrip(plain, false, tx, lib_tx, rx, lib_rx));
  }
  for (uint32_t ssrc : ssrcs) {
    ASSERT_TRUE(tx.rolloverCounter(ssrc).has_value());
    EXPECT_GE(*tx.rolloverCounter(ssrc), 1u);
    EXPECT_EQ(*tx.rolloverCounter(ssrc), lib_tx.roc(ssrc));
    EXPECT_EQ(*rx.rolloverCounter(ssrc), lib_rx.roc(ssrc));
  }
}

TEST_P(SrtpOracleTest, ManyRolloversAndReorderAcrossWrap) {
  auto tx = ours(SrtpDirection::Outbound);
  auto rx = ours(SrtpDirection::Inbound);
  LibSrtp lib_tx(*suite_, key_, true);
  LibSrtp lib_rx(*suite_, key_, false);
  const uint32_t ssrc = 0x12345678;
  // A late packet from before the wrap after the first one past it, then big forward steps
  // (each under 2^15, so the index estimate stays unambiguous) through nine more wraps.
  std::vector<uint16_t> seqs = {65533, 65534, 0, 65535, 1, 3, 2};
  uint16_t seq = 3;
  for (int i = 0; i < 30; ++i) {
    seq = static_cast<uint16_t>(seq + 20000);
    seqs.push_back(seq);
  }
  for (uint16_t s : seqs) {
    test::RtpShape shape;
    shape.seq = s;
    shape.ssrc = ssrc;
    const auto plain = test::makeRtp(shape, rng_);
    ASSERT_NO_FATAL_FAILURE(roundTrip(plain, false, tx, lib_tx, rx, lib_rx));
  }
  EXPECT_EQ(*tx.rolloverCounter(ssrc), 10u);
  EXPECT_EQ(lib_tx.roc(ssrc), 10u);
  EXPECT_EQ(*rx.rolloverCounter(ssrc), 10u);
}

TEST_P(SrtpOracleTest, RandomRtcp) {
  auto tx = ours(SrtpDirection::Outbound);
  auto rx = ours(SrtpDirection::Inbound);
  LibSrtp lib_tx(*suite_, key_, true);
  LibSrtp lib_rx(*suite_, key_, false);
  const uint32_t ssrcs[2] = {static_cast<uint32_t>(rng_()), 7};
  for (int i = 0; i < 2000; ++i) {
    const auto plain = test::makeRandomRtcp(rng_, ssrcs[rng_() % 2], 1400);
    ASSERT_NO_FATAL_FAILURE(roundTrip(plain, true, tx, lib_tx, rx, lib_rx));
  }
}

TEST_P(SrtpOracleTest, SameRtpAndRtcpStreamInterleaved) {
  auto tx = ours(SrtpDirection::Outbound);
  auto rx = ours(SrtpDirection::Inbound);
  LibSrtp lib_tx(*suite_, key_, true);
  LibSrtp lib_rx(*suite_, key_, false);
  const uint32_t ssrc = 0xdecafbad;
  for (int i = 0; i < 500; ++i) {
    const bool rtcp = i % 10 == 9;
    const auto plain =
        rtcp ? test::makeRandomRtcp(rng_, ssrc, 200)
             : test::makeRtp(
                   test::randomRtpShape(rng_, static_cast<uint16_t>(65400 + i), ssrc, 300), rng_);
    ASSERT_NO_FATAL_FAILURE(roundTrip(plain, rtcp, tx, lib_tx, rx, lib_rx));
  }
}

// Same delivery sequence, with duplicates, late and stale packets, to both receivers: every
// accept/replay/too-old decision must agree.
void checkReplayDecisions(const SrtpSuite& suite, std::span<const uint8_t> key, bool rtcp,
                          uint32_t window, std::mt19937& rng) {
  SrtpOptions options;
  options.replay_window = window;
  auto tx = SrtpContext::create(suite, key.first(suite.master_key_len),
                                key.subspan(suite.master_key_len), SrtpDirection::Outbound);
  auto rx = SrtpContext::create(suite, key.first(suite.master_key_len),
                                key.subspan(suite.master_key_len), SrtpDirection::Inbound, options);
  ASSERT_TRUE(tx && rx);
  LibSrtp lib_rx(suite, key, false, window);
  const uint32_t ssrc = 0xabcdef01;

  std::vector<std::vector<uint8_t>> sent;
  for (int i = 0; i < 1500; ++i) {
    std::vector<uint8_t> buf =
        rtcp ? test::makeRandomRtcp(rng, ssrc, 100)
             : test::makeRtp(test::randomRtpShape(rng, static_cast<uint16_t>(65000 + i), ssrc, 100),
                             rng);
    const std::size_t len = buf.size();
    buf.resize(len + 64);
    auto n = rtcp ? tx->protectRtcp(buf, len) : tx->protectRtp(buf, len);
    ASSERT_TRUE(n);
    buf.resize(*n);
    sent.push_back(std::move(buf));
  }
  std::vector<std::size_t> delivery;
  std::deque<std::pair<std::size_t, std::size_t>> held; // (release at, packet)
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (rng() % 15 == 0) {
      held.emplace_back(i + rng() % 200, i);
    } else {
      delivery.push_back(i);
    }
    if (i > 0 && rng() % 8 == 0) {
      delivery.push_back(i - std::min<std::size_t>(i, rng() % 300)); // duplicate or stale
    }
    while (!held.empty() && held.front().first <= i) {
      delivery.push_back(held.front().second);
      held.pop_front();
    }
  }
  int accepted = 0;
  int replayed = 0;
  int old = 0;
  for (std::size_t p : delivery) {
    std::vector<uint8_t> mine(sent[p]);
    std::vector<uint8_t> theirs(sent[p]);
    auto n = rtcp ? rx->unprotectRtcp(mine, mine.size()) : rx->unprotectRtp(mine, mine.size());
    const srtp_err_status_t status =
        rtcp ? lib_rx.unprotectRtcp(theirs) : lib_rx.unprotectRtp(theirs);
    SCOPED_TRACE(testing::Message() << "packet " << p);
    if (status == srtp_err_status_ok) {
      ASSERT_TRUE(n) << n.error().what;
      ++accepted;
    } else if (status == srtp_err_status_replay_fail) {
      ASSERT_FALSE(n);
      EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::Replayed);
      ++replayed;
    } else {
      ASSERT_EQ(status, srtp_err_status_replay_old);
      ASSERT_FALSE(n);
      EXPECT_EQ(srtpFailureOf(n.error()), SrtpFailure::TooOld);
      ++old;
    }
  }
  EXPECT_GT(accepted, 1400);
  EXPECT_GT(replayed, 10);
  EXPECT_GT(old, 10);
}

TEST_P(SrtpOracleTest, RtpReplayDecisionsMatch) {
  checkReplayDecisions(*suite_, key_, false, 128, rng_);
  checkReplayDecisions(*suite_, key_, false, 64, rng_);
}

TEST_P(SrtpOracleTest, RtcpReplayDecisionsMatch) {
  // libsrtp's SRTCP window is fixed at 128.
  checkReplayDecisions(*suite_, key_, true, 128, rng_);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, SrtpOracleTest, ::testing::ValuesIn(test::allSuites()),
                         test::suiteTestName);

} // namespace
} // namespace gh::media
