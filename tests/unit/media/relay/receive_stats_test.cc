// Loss, jitter, RTCP report blocks and the MOS estimate, without sockets.

#include "media/relay/receive_stats.h"

#include <gtest/gtest.h>

#include "unit/media/relay/relay_test_util.h"

namespace gh::media::relay::test {
namespace {

TEST(ReceiveStats, LossFromSequenceGapsAcrossTheWrap) {
  ReceiveStats s;
  for (int seq : {65533, 65534, 0, 1, 3, 4, 2}) { // 65535 lost, 2 late
    s.onRtp(static_cast<uint16_t>(seq), 0, 9, 172, 0, 8000);
  }
  EXPECT_EQ(s.lost(), 1u);
  EXPECT_EQ(s.packets, 7u);
  EXPECT_EQ(s.bytes, 7u * 172);
}

TEST(ReceiveStats, NewSsrcKeepsEarlierLoss) {
  ReceiveStats s;
  s.onRtp(10, 0, 1, 100, 0, 8000);
  s.onRtp(13, 0, 1, 100, 0, 8000); // 2 lost
  s.onRtp(500, 0, 2, 100, 0, 8000);
  s.onRtp(501, 0, 2, 100, 0, 8000);
  EXPECT_EQ(s.lost(), 2u);
}

TEST(ReceiveStats, JitterFollowsRfc3550) {
  ReceiveStats s;
  double t = 100;
  uint32_t ts = 1000;
  for (int i = 0; i < 10; ++i) {
    s.onRtp(static_cast<uint16_t>(i), ts, 1, 100, t, 8000);
    t += 0.020;
    ts += 160;
  }
  EXPECT_NEAR(s.figures(8000).jitter_ms, 0.0, 1e-6);
  s.onRtp(10, ts, 1, 100, t + 0.010, 8000); // 10 ms late = 80 units; J += 80/16
  EXPECT_NEAR(s.figures(8000).jitter_ms, 5.0 / 8.0, 1e-6);
}

TEST(ReceiveStats, RtcpReportBlockFromSrAndRr) {
  ReceiveStats s;
  auto sr = makeRtcpSr(1); // no report block: nothing taken
  s.onRtcp(sr.data(), sr.size());
  EXPECT_FALSE(s.figures(8000).rtcp_fraction_lost.has_value());
  auto rr = makeRtcpRr(1, 64, 1234, 77);
  Bytes compound = sr;
  compound.insert(compound.end(), rr.begin(), rr.end());
  s.onRtcp(compound.data(), compound.size());
  auto f = s.figures(8000);
  EXPECT_EQ(f.rtcp_packets, 2u);
  EXPECT_EQ(*f.rtcp_fraction_lost, 64);
  EXPECT_EQ(*f.rtcp_cumulative_lost, 1234u);
  EXPECT_EQ(*f.rtcp_jitter, 77u);
  Bytes truncated(rr.begin(), rr.begin() + 20);
  ReceiveStats t;
  t.onRtcp(truncated.data(), truncated.size());
  EXPECT_FALSE(t.figures(8000).rtcp_fraction_lost.has_value());
}

TEST(ReceiveStats, MosFallsWithLoss) {
  EXPECT_GT(estimateMos(0, 0), 4.3);
  EXPECT_LT(estimateMos(0.2, 30), 3.0);
  EXPECT_GE(estimateMos(1.0, 500), 1.0);
}

} // namespace
} // namespace gh::media::relay::test
