#include "media/rtp/rtp_header.h"

#include <vector>

#include <gtest/gtest.h>

namespace gh::media {
namespace {

TEST(RtpHeaderTest, ParsesFixedHeader) {
  const std::vector<uint8_t> p = {0x80, 0xe0, 0x12, 0x34, 0xde, 0xad, 0xbe,
                                  0xef, 0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb};
  auto h = parseRtpHeader(p);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->version, 2);
  EXPECT_FALSE(h->padding);
  EXPECT_FALSE(h->extension);
  EXPECT_EQ(h->csrc_count, 0);
  EXPECT_TRUE(h->marker);
  EXPECT_EQ(h->payload_type, 0x60);
  EXPECT_EQ(h->sequence, 0x1234);
  EXPECT_EQ(h->timestamp, 0xdeadbeefu);
  EXPECT_EQ(h->ssrc, 0x01020304u);
  EXPECT_EQ(h->header_size, 12u);
}

TEST(RtpHeaderTest, CountsCsrcsAndExtension) {
  std::vector<uint8_t> p = {0x92, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
  p.insert(p.end(), 8, 0x11);                  // two CSRCs
  p.insert(p.end(), {0xbe, 0xde, 0x00, 0x02}); // one-byte extensions, 2 words
  p.insert(p.end(), 8, 0x22);
  p.insert(p.end(), 5, 0x33); // payload
  auto h = parseRtpHeader(p);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->csrc_count, 2);
  EXPECT_TRUE(h->extension);
  EXPECT_EQ(h->extension_profile, 0xbede);
  EXPECT_EQ(h->extension_words, 2);
  EXPECT_EQ(h->header_size, 12u + 8 + 4 + 8);
  // Every truncation inside the header fails cleanly.
  for (std::size_t n = 0; n < h->header_size; ++n) {
    EXPECT_FALSE(parseRtpHeader(std::span(p).first(n))) << n;
  }
  EXPECT_TRUE(parseRtpHeader(std::span(p).first(h->header_size)));
}

TEST(RtpHeaderTest, RejectsOtherVersions) {
  for (int first : {0x00, 0x40, 0xc0}) {
    std::vector<uint8_t> p(12, 0);
    p[0] = static_cast<uint8_t>(first);
    auto h = parseRtpHeader(p);
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().code, Errc::BadRtp);
  }
}

TEST(RtpHeaderTest, Padding) {
  std::vector<uint8_t> p = {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 0, 0, 3};
  auto h = parseRtpHeader(p);
  ASSERT_TRUE(h);
  auto pad = rtpPaddingSize(p, *h);
  ASSERT_TRUE(pad);
  EXPECT_EQ(*pad, 3u);
  p.back() = 0;
  EXPECT_FALSE(rtpPaddingSize(p, *h));
  p.back() = 6; // more than the 5 payload bytes
  EXPECT_FALSE(rtpPaddingSize(p, *h));
  p.back() = 5;
  EXPECT_TRUE(rtpPaddingSize(p, *h));
  p.resize(12);
  EXPECT_FALSE(rtpPaddingSize(p, *h));
}

TEST(RtcpHeaderTest, ParsesSenderReportHeader) {
  std::vector<uint8_t> p = {0x81, 200, 0x00, 0x06, 0xca, 0xfe, 0xba, 0xbe};
  p.resize(28, 0);
  auto h = parseRtcpHeader(p);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->count, 1);
  EXPECT_EQ(h->packet_type, 200);
  EXPECT_EQ(h->length_words, 6);
  EXPECT_EQ(h->packetSize(), 28u);
  EXPECT_EQ(h->ssrc, 0xcafebabeu);
  p.resize(27);
  EXPECT_FALSE(parseRtcpHeader(p)); // length field past the end
  EXPECT_FALSE(parseRtcpHeader(std::span(p).first(7)));
  p.resize(28);
  p[0] = 0x41;
  EXPECT_FALSE(parseRtcpHeader(p));
}

TEST(RtcpHeaderTest, DemuxByPayloadType) {
  const std::vector<uint8_t> rtcp = {0x80, 200};
  const std::vector<uint8_t> rtp = {0x80, 0x00};
  const std::vector<uint8_t> rtp_marker = {0x80, 0x80 | 96};
  EXPECT_TRUE(looksLikeRtcp(rtcp));
  EXPECT_FALSE(looksLikeRtcp(rtp));
  EXPECT_FALSE(looksLikeRtcp(rtp_marker));
  EXPECT_FALSE(looksLikeRtcp(std::span(rtcp).first(1)));
}

} // namespace
} // namespace gh::media
