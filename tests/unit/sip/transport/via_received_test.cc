#include "sip/transport/via_received.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/parser/parser.h"
#include "sip/transport/response_destination.h"

namespace gh::sip {
namespace {

Message parse(std::string_view via) {
  std::string text = fmt::format("OPTIONS sip:bob@example.com SIP/2.0\r\n"
                                 "Via: {}\r\n"
                                 "Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\n"
                                 "To: <sip:bob@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n"
                                 "Content-Length: 0\r\n\r\n",
                                 via);
  auto m = parseMessage(text);
  EXPECT_TRUE(m) << m.error().what;
  return *std::move(m);
}

net::Endpoint source(std::string_view text) {
  return *net::Endpoint::parse(text);
}

TEST(ReceivedVia, NothingWhenTheSourceIsTheSentByAddress) {
  Message m = parse("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1");
  EXPECT_FALSE(receivedViaValue(m, source("192.0.2.1:5060")));
}

TEST(ReceivedVia, AddsReceivedWhenTheSourceDiffers) {
  Message m = parse("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1");
  auto stamp = receivedViaValue(m, source("192.0.2.1:40000"));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->header_index, m.indexOf(*m.first(HeaderId::Via)));
  EXPECT_EQ(stamp->value, "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.1");
}

TEST(ReceivedVia, AddsReceivedForAHostName) {
  Message m = parse("SIP/2.0/TCP pbx.example.com;branch=z9hG4bK1");
  auto stamp = receivedViaValue(m, source("192.0.2.1:40000"));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->value, "SIP/2.0/TCP pbx.example.com;branch=z9hG4bK1;received=192.0.2.1");
}

TEST(ReceivedVia, FillsRportAndAlwaysAddsReceivedWithIt) {
  // RFC 3581 §4: received is mandatory with rport, even when it equals sent-by.
  Message m = parse("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1");
  auto stamp = receivedViaValue(m, source("192.0.2.1:40000"));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->value,
            "SIP/2.0/UDP 192.0.2.1:5060;rport=40000;branch=z9hG4bK1;received=192.0.2.1");
}

TEST(ReceivedVia, KeepsTheOtherViasOfTheSameHeaderField) {
  Message m = parse("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK0");
  auto stamp = receivedViaValue(m, source("192.0.2.1:5060"));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->value, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=192.0.2.1, "
                          "SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK0");
}

TEST(ReceivedVia, ReplacesAForgedReceivedInPlaceAndWritesIpv6Bare) {
  Message m = parse("SIP/2.0/UDP [2001:db8::1]:5060;received=198.51.100.1;branch=z9hG4bK1");
  auto stamp = receivedViaValue(m, source("[2001:db8::2]:5060"));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->value, "SIP/2.0/UDP [2001:db8::1]:5060;received=2001:db8::2;branch=z9hG4bK1");
}

TEST(ResponseDestination, UdpUsesReceivedAndRport) {
  Message m = parse("SIP/2.0/UDP 10.0.0.1:5070;rport=40000;received=192.0.2.1;branch=z9hG4bK1");
  Flow flow{Transport::Udp, 2, {}, source("192.0.2.1:40000"), 0};
  auto d = responseDestination(m.topVia(), flow);
  EXPECT_EQ(d.destination.remote.toString(), "192.0.2.1:40000");
  EXPECT_EQ(d.destination.interface, 2);
  EXPECT_EQ(d.destination.connection, 0u);
  EXPECT_TRUE(d.host.empty());
}

TEST(ResponseDestination, UdpWithoutRportUsesTheSentByPort) {
  Message m = parse("SIP/2.0/UDP 10.0.0.1:5070;received=192.0.2.1;branch=z9hG4bK1");
  auto d = responseDestination(m.topVia(), Flow{});
  EXPECT_EQ(d.destination.remote.toString(), "192.0.2.1:5070");
}

TEST(ResponseDestination, TcpKeepsTheConnectionAndFallsBackToSentBy) {
  Message m = parse("SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK1");
  Flow flow{Transport::Tls, 1, {}, source("10.0.0.1:33333"), 42};
  auto d = responseDestination(m.topVia(), flow);
  EXPECT_EQ(d.destination.connection, 42u);
  EXPECT_EQ(d.destination.transport, Transport::Tls);
  EXPECT_EQ(d.destination.remote.toString(), "10.0.0.1:5061");
}

TEST(ResponseDestination, AHostNameMustBeResolved) {
  Message m = parse("SIP/2.0/TCP pbx.example.com:5080;branch=z9hG4bK1");
  auto d = responseDestination(m.topVia(), Flow{Transport::Tcp, 0, {}, {}, 7});
  EXPECT_FALSE(d.destination.remote.valid());
  EXPECT_EQ(d.host, "pbx.example.com");
  EXPECT_EQ(d.port, 5080);
}

} // namespace
} // namespace gh::sip
