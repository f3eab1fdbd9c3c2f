#include "sip/message/via.h"

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

TEST(ViaTest, CommonForm) {
  auto v = parseVia("SIP/2.0/TLS sbc.example.com:5061;branch=z9hG4bKf5ce.0;i=c;rport");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->transport, "TLS");
  EXPECT_EQ(v->host, "sbc.example.com");
  EXPECT_EQ(v->port, 5061);
  EXPECT_EQ(v->branch, "z9hG4bKf5ce.0");
  EXPECT_TRUE(v->hasRfc3261Branch());
  EXPECT_TRUE(v->has_rport);
  EXPECT_FALSE(v->rport);
  EXPECT_EQ(v->params.get("i"), "c");
}

TEST(ViaTest, ReceivedRportMaddrTtl) {
  auto v = parseVia("SIP/2.0/UDP 10.0.0.6;received=25.25.25.5;rport=5062;maddr=224.2.0.1;ttl=16");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->received, "25.25.25.5");
  EXPECT_EQ(v->rport, 5062);
  EXPECT_EQ(v->maddr, "224.2.0.1");
  EXPECT_EQ(v->ttl, 16);
  EXPECT_FALSE(v->has_port);
}

TEST(ViaTest, WhiteSpaceAndFoldsAllowedByTheGrammar) {
  auto v = parseVia("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->host, "192.0.2.2");
  EXPECT_FALSE(v->hasRfc3261Branch());
  auto w = parseVia("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKa");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->host_kind, HostKind::Ipv6);
}

TEST(ViaTest, Rejects) {
  for (const char* bad : {"SIP/2.0/UDP", "SIP/2.0 UDP host", "SIP/3.0/UDP host",
                          "SIP/2.0/UDP 192.0.2.15;;", "SIP/2.0/UDP host;branch=",
                          "SIP/2.0/UDP host:70000", "SIP/2.0/UDP host;received=example.com",
                          "SIP/2.0/UDP host;ttl=300", "SIP/2.0/UDPhost", "SIP/2.0/UDP host junk"}) {
    EXPECT_FALSE(parseVia(bad)) << bad;
  }
}

} // namespace
} // namespace gh::sip
