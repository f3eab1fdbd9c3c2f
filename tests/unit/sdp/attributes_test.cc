#include "sdp/attributes.h"

#include <gtest/gtest.h>

namespace gh::sdp {
namespace {

TEST(SdpAttributesTest, SplitsNameAndValue) {
  AttributeView a = splitAttribute("rtpmap:0 PCMU/8000");
  EXPECT_EQ(a.name, "rtpmap");
  EXPECT_EQ(a.value, "0 PCMU/8000");
  EXPECT_TRUE(a.has_value);
  AttributeView flag = splitAttribute("rtcp-mux");
  EXPECT_EQ(flag.name, "rtcp-mux");
  EXPECT_FALSE(flag.has_value);
  AttributeView colons = splitAttribute("fingerprint:sha-1 4A:AD");
  EXPECT_EQ(colons.value, "sha-1 4A:AD");
}

TEST(SdpAttributesTest, Rtpmap) {
  auto r = parseRtpmap("101 telephone-event/8000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->payload_type, 101);
  EXPECT_EQ(r->encoding, "telephone-event");
  EXPECT_EQ(r->clock_rate, 8000u);
  EXPECT_FALSE(r->channels);
  auto opus = parseRtpmap("111 opus/48000/2");
  ASSERT_TRUE(opus);
  EXPECT_EQ(opus->channels, 2u);
  EXPECT_FALSE(parseRtpmap("128 x/8000"));
  EXPECT_FALSE(parseRtpmap("0 PCMU"));
  EXPECT_FALSE(parseRtpmap("0 PCMU/0"));
  EXPECT_FALSE(parseRtpmap("0 PCMU/8000/x"));
  EXPECT_FALSE(parseRtpmap("0 /8000"));
  EXPECT_FALSE(parseRtpmap("0 PCMU/8000 extra"));
  auto bad = parseRtpmap("0 PCMU/80x0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().offset, 7u);
}

TEST(SdpAttributesTest, Fmtp) {
  auto f = parseFmtp("101 0-15");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->format, "101");
  EXPECT_EQ(f->payloadType(), 101);
  EXPECT_EQ(f->params, "0-15");
  EXPECT_FALSE(f->param("0-15"));
  auto h264 = parseFmtp("97 profile-level-id=42e01f; packetization-mode=1");
  ASSERT_TRUE(h264);
  EXPECT_EQ(h264->param("packetization-mode"), "1");
  EXPECT_EQ(h264->param("PROFILE-LEVEL-ID"), "42e01f");
  EXPECT_FALSE(h264->param("level-asymmetry-allowed"));
  EXPECT_FALSE(parseFmtp(" 97 x"));
  EXPECT_FALSE(parseFmtp(""));
}

TEST(SdpAttributesTest, Ptime) {
  EXPECT_EQ(*parsePtime("20"), 20u);
  EXPECT_EQ(*parsePtime("30.0"), 30u);
  EXPECT_FALSE(parsePtime(""));
  EXPECT_FALSE(parsePtime("20ms"));
  EXPECT_FALSE(parsePtime("20."));
}

TEST(SdpAttributesTest, RtcpRfc3605) {
  auto port_only = parseRtcp("31183");
  ASSERT_TRUE(port_only);
  EXPECT_EQ(port_only->port, 31183);
  EXPECT_TRUE(port_only->address.empty());
  auto full = parseRtcp("53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->port, 53020);
  EXPECT_EQ(full->nettype, "IN");
  EXPECT_EQ(full->addrtype, "IP6");
  EXPECT_EQ(full->address, "2001:2345:6789:ABCD:EF01:2345:6789:ABCD");
  EXPECT_FALSE(parseRtcp("70000"));
  EXPECT_FALSE(parseRtcp("5000 IN IP4"));
  EXPECT_FALSE(parseRtcp("5000 IN IP4 a b"));
  EXPECT_FALSE(parseRtcp(""));
}

TEST(SdpAttributesTest, Direction) {
  EXPECT_EQ(directionFromName("sendrecv"), Direction::SendRecv);
  EXPECT_EQ(directionFromName("SENDONLY"), Direction::SendOnly);
  EXPECT_EQ(directionFromName("recvonly"), Direction::RecvOnly);
  EXPECT_EQ(directionFromName("inactive"), Direction::Inactive);
  EXPECT_FALSE(directionFromName("sendrecv2"));
  EXPECT_EQ(directionName(Direction::Inactive), "inactive");
  EXPECT_TRUE(isDirectionAttribute("sendonly"));
  EXPECT_FALSE(isDirectionAttribute("rtcp"));
}

TEST(SdpAttributesTest, DtlsAttributes) {
  auto fp = parseFingerprint(
      "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:A5:8A:0D:4B:CC:EE:"
      "4A:12:B9:45:7D");
  ASSERT_TRUE(fp);
  EXPECT_EQ(fp->hash_function, "sha-256");
  EXPECT_EQ(fp->fingerprint.size(), 95u);
  EXPECT_FALSE(parseFingerprint("sha-256 4A:A"));
  EXPECT_FALSE(parseFingerprint("sha-256 4A-AD"));
  EXPECT_FALSE(parseFingerprint("sha-256"));
  EXPECT_FALSE(parseFingerprint("sha-256 4A:AD extra"));
  EXPECT_EQ(*parseSetup("actpass"), Setup::ActPass);
  EXPECT_EQ(*parseSetup("active"), Setup::Active);
  EXPECT_EQ(setupName(Setup::HoldConn), "holdconn");
  EXPECT_FALSE(parseSetup("both"));
  EXPECT_TRUE(isDtlsAttribute("fingerprint"));
  EXPECT_TRUE(isDtlsAttribute("setup"));
  EXPECT_TRUE(isDtlsAttribute("tls-id"));
  EXPECT_FALSE(isDtlsAttribute("crypto"));
}

} // namespace
} // namespace gh::sdp
