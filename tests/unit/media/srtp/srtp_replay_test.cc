#include "media/srtp/srtp_replay.h"

#include <gtest/gtest.h>

namespace gh::media {
namespace {

TEST(RtpIndexEstimateTest, FreshStreamTakesRocZero) {
  EXPECT_EQ(estimateRtpIndex(0, 0).index, 0u);
  EXPECT_EQ(estimateRtpIndex(0, 0).delta, 0);
  EXPECT_EQ(estimateRtpIndex(0, 65535).index, 65535u);
  EXPECT_EQ(estimateRtpIndex(0, 65535).delta, 65535);
  // Up to 2^15 the ROC stays 0 even for a "late" packet: ROC - 1 would be negative.
  EXPECT_EQ(estimateRtpIndex(100, 65500).index, 65500u);
  EXPECT_EQ(estimateRtpIndex(0x8000, 0).index, 0u);
}

TEST(RtpIndexEstimateTest, WrapsForwardAndBack) {
  // Highest 0xfffe (ROC 0): seq 2 is the next ROC.
  auto e = estimateRtpIndex(0xfffe, 2);
  EXPECT_EQ(e.index, 0x10002u);
  EXPECT_EQ(e.delta, 4);
  // Highest 0x10001 (ROC 1, seq 1): a late 0xffff belongs to ROC 0.
  e = estimateRtpIndex(0x10001, 0xffff);
  EXPECT_EQ(e.index, 0xffffu);
  EXPECT_EQ(e.delta, -2);
  // Within half the space either way, the ROC is unchanged.
  e = estimateRtpIndex(0x30000 + 40000, 40000 - 30000);
  EXPECT_EQ(e.index, 0x30000u + 10000);
  EXPECT_EQ(e.delta, -30000);
  e = estimateRtpIndex(0x30000 + 100, 30000);
  EXPECT_EQ(e.index, 0x30000u + 30000);
  EXPECT_EQ(e.delta, 29900);
}

TEST(ReplayWindowTest, SlidesAndRemembers) {
  ReplayWindow w;
  EXPECT_EQ(w.check(0, 128), ReplayWindow::Verdict::Fresh);
  w.commit(0);
  EXPECT_EQ(w.check(0, 128), ReplayWindow::Verdict::Replayed);
  w.commit(5); // highest moves up 5; the old highest is now 5 back
  EXPECT_EQ(w.check(-5, 128), ReplayWindow::Verdict::Replayed);
  EXPECT_EQ(w.check(-4, 128), ReplayWindow::Verdict::Fresh);
  w.commit(-4);
  EXPECT_EQ(w.check(-4, 128), ReplayWindow::Verdict::Replayed);
  w.commit(70); // crosses the 64-bit word boundary
  EXPECT_EQ(w.check(-75, 128), ReplayWindow::Verdict::Replayed);
  EXPECT_EQ(w.check(-74, 128), ReplayWindow::Verdict::Replayed);
  EXPECT_EQ(w.check(-73, 128), ReplayWindow::Verdict::Fresh);
  EXPECT_EQ(w.check(-75, 64), ReplayWindow::Verdict::TooOld);
  EXPECT_EQ(w.check(-127, 128), ReplayWindow::Verdict::Fresh);
  EXPECT_EQ(w.check(-128, 128), ReplayWindow::Verdict::TooOld);
  w.commit(200); // a jump past the window forgets everything
  EXPECT_EQ(w.check(-75 - 200, 128), ReplayWindow::Verdict::TooOld);
  EXPECT_EQ(w.check(-1, 128), ReplayWindow::Verdict::Fresh);
  EXPECT_EQ(w.check(0, 128), ReplayWindow::Verdict::Replayed);
}

} // namespace
} // namespace gh::media
