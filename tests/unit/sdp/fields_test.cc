#include "sdp/fields.h"

#include <gtest/gtest.h>

namespace gh::sdp {
namespace {

TEST(SdpFieldsTest, OriginFromTheRight) {
  auto o = parseOrigin("CiscoSystemsCCM-SIP 94213 1 IN IP4 10.0.2.52");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->username, "CiscoSystemsCCM-SIP");
  EXPECT_EQ(o->session_id, "94213");
  EXPECT_EQ(o->version(), 1u);
  EXPECT_EQ(o->nettype, "IN");
  EXPECT_EQ(o->addrtype, "IP4");
  EXPECT_EQ(o->address, "10.0.2.52");
  auto spaced = parseOrigin("Some User 1 2 IN IP6 2001:db8::1");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->username, "Some User");
  EXPECT_EQ(spaced->address, "2001:db8::1");
  auto big = parseOrigin("jill 25690844 8070842634 IN IP4 10.47.16.5");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->version(), 8070842634u);
  EXPECT_FALSE(parseOrigin("a 1 IN IP4 h"));
  EXPECT_FALSE(parseOrigin(""));
  auto text_version = parseOrigin("u x y IN IP4 h");
  ASSERT_TRUE(text_version);
  EXPECT_FALSE(text_version->version());
}

TEST(SdpFieldsTest, ConnectionWithTtlAndCount) {
  auto c = parseConnection("IN IP4 224.2.1.1/127/3");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->address, "224.2.1.1");
  EXPECT_EQ(c->ttl, 127);
  EXPECT_EQ(c->count, 3u);
  auto ttl_only = parseConnection("IN IP4 161.44.17.12/127");
  ASSERT_TRUE(ttl_only);
  EXPECT_EQ(ttl_only->ttl, 127);
  EXPECT_FALSE(ttl_only->count);
  auto v6 = parseConnection("IN IP6 FF15::101/3");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address, "FF15::101");
  EXPECT_FALSE(v6->ttl);
  EXPECT_EQ(v6->count, 3u);
  auto mapped = parseConnection("IN IP6 ::ffff:192.0.2.2");
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->address, "::ffff:192.0.2.2");
  EXPECT_FALSE(parseConnection("IN IP4 224.2.1.1/256"));
  EXPECT_FALSE(parseConnection("IN IP4 224.2.1.1/1/0"));
  EXPECT_FALSE(parseConnection("IN IP4 224.2.1.1/1/2/3"));
  EXPECT_FALSE(parseConnection("IN IP6 FF15::101/3/4"));
  EXPECT_FALSE(parseConnection("IN IP4 /5"));
  EXPECT_FALSE(parseConnection("IN IP4"));
  auto err = parseConnection("IN IP4 a extra");
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().offset, 9u);
}

TEST(SdpFieldsTest, MediaLine) {
  auto m = parseMediaLine("audio 49170/2 RTP/AVP 0 8 97");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->media, "audio");
  EXPECT_EQ(m->port, 49170);
  EXPECT_EQ(m->port_count, 2);
  EXPECT_EQ(m->proto, "RTP/AVP");
  EXPECT_EQ(m->formats_text, "0 8 97");
  auto app = parseMediaLine("application 32416 udp wb");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->formats_text, "wb");
  EXPECT_FALSE(parseMediaLine("audio -1 RTP/AVP 0"));
  EXPECT_FALSE(parseMediaLine("audio 123456 RTP/AVP 0"));
  EXPECT_FALSE(parseMediaLine("audio x RTP/AVP 0"));
  EXPECT_FALSE(parseMediaLine("audio 1/ RTP/AVP 0"));
  EXPECT_FALSE(parseMediaLine(""));
}

TEST(SdpFieldsTest, BandwidthAndTiming) {
  auto b = parseBandwidth("CT:10000000");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->type, "CT");
  EXPECT_EQ(b->value, 10000000u);
  EXPECT_FALSE(parseBandwidth("AS"));
  EXPECT_FALSE(parseBandwidth("AS:x"));
  EXPECT_FALSE(parseBandwidth(":5"));
  auto t = parseTiming("2873397496 2873404696");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->start, 2873397496u);
  EXPECT_EQ(t->stop, 2873404696u);
  EXPECT_FALSE(parseTiming("0"));
  EXPECT_FALSE(parseTiming("0 0 0"));
}

} // namespace
} // namespace gh::sdp
