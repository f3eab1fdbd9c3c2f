#include <gtest/gtest.h>

#include "sip/transport/sip_transport.h"
#include "unit/sip/transport/transport_test_util.h"

namespace gh::sip {
namespace {

using namespace test;

net::Endpoint loopback(std::string_view ip = "127.0.0.1") {
  return *net::Endpoint::fromIp(ip, 0);
}

InterfaceSettings udpInterface(InterfaceIndex index, std::string_view ip = "127.0.0.1") {
  return InterfaceSettings{index, "udp-test", loopback(ip), {{Transport::Udp, 0}}, std::nullopt};
}

TEST(UdpTransport, DatagramRoundTrip) {
  asio::io_context io;
  RecordingCallbacks up;
  SipTransport transport(io, up);
  ASSERT_TRUE(transport.addInterface(udpInterface(3)));
  auto server = transport.localEndpoint(3, Transport::Udp);
  ASSERT_TRUE(server);
  ASSERT_NE(server->port(), 0);

  RawClient client(SOCK_DGRAM, *server);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(request("OPTIONS", "UDP", "127.0.0.1:5999", "udp1")));
  ASSERT_TRUE(runUntil(io, [&] { return up.received.size() == 1; }));
  const Received& got = up.received[0];
  EXPECT_EQ(got.method_or_status, "OPTIONS");
  EXPECT_EQ(got.flow.transport, Transport::Udp);
  EXPECT_EQ(got.flow.interface, 3);
  EXPECT_EQ(got.flow.connection, 0u);
  EXPECT_EQ(got.flow.remote, client.local());
  EXPECT_EQ(got.flow.local, *server);

  std::optional<SendResult> result;
  transport.send(got.flow, response(200, "UDP", "udp1"), [&](const SendResult& r) { result = r; });
  EXPECT_FALSE(result) << "completions never run inside send()";
  ASSERT_TRUE(runUntil(io, [&] {
    client.poll();
    return result.has_value() && !client.data.empty();
  }));
  ASSERT_TRUE(*result);
  EXPECT_EQ((*result)->remote, client.local());
  EXPECT_EQ(client.data.substr(0, 15), "SIP/2.0 200 OK\r");
  EXPECT_EQ(transport.counters().datagrams_in, 1u);
  EXPECT_EQ(transport.counters().datagrams_out, 1u);
  EXPECT_EQ(transport.counters().messages_in, 1u);
}

TEST(UdpTransport, TwoTransportsTalkOverUdp) {
  asio::io_context io;
  RecordingCallbacks up_a;
  RecordingCallbacks up_b;
  SipTransport a(io, up_a);
  SipTransport b(io, up_b);
  ASSERT_TRUE(a.addInterface(udpInterface(0, "127.0.0.1")));
  ASSERT_TRUE(b.addInterface(udpInterface(0, "127.0.0.2")));
  Destination to_b{Transport::Udp, 0, *b.localEndpoint(0, Transport::Udp), {}, 0};
  a.send(to_b, request("MESSAGE", "UDP", "127.0.0.1", "ab1", "hello"));
  ASSERT_TRUE(runUntil(io, [&] { return up_b.received.size() == 1; }));
  EXPECT_EQ(up_b.received[0].flow.remote, *a.localEndpoint(0, Transport::Udp))
      << "sends leave from the listening socket";
}

TEST(UdpTransport, UnparseableDatagramIsReportedWithItsSource) {
  asio::io_context io;
  RecordingCallbacks up;
  SipTransport transport(io, up);
  ASSERT_TRUE(transport.addInterface(udpInterface(0)));
  RawClient client(SOCK_DGRAM, *transport.localEndpoint(0, Transport::Udp));
  ASSERT_TRUE(client.send("INVITE sip:bob@example.com SIP/7.0\r\nVia: x\r\n\r\n"));
  ASSERT_TRUE(client.send("\r\n\r\n")); // a NAT keep-alive: neither a message nor an error
  ASSERT_TRUE(runUntil(io, [&] { return transport.counters().datagrams_in == 2; }));
  ASSERT_EQ(up.parse_errors.size(), 1u);
  EXPECT_EQ(up.parse_errors[0].flow.remote, client.local());
  EXPECT_TRUE(up.received.empty());
  EXPECT_EQ(transport.counters().parse_errors, 1u);
}

TEST(UdpTransport, SendWithoutUdpSocketFailsWithReason) {
  asio::io_context io;
  RecordingCallbacks up;
  SipTransport transport(io, up);
  std::optional<SendResult> result;
  transport.send(Destination{Transport::Udp, 9, *net::Endpoint::parse("127.0.0.1:5060"), {}, 0},
                 "x", [&](const SendResult& r) { result = r; });
  ASSERT_TRUE(runUntil(io, [&] { return result.has_value(); }));
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().code, net::NetErrc::NoListener);
  EXPECT_EQ(transport.counters().send_failures, 1u);
}

TEST(UdpTransport, BindFailureNamesTheAddress) {
  asio::io_context io;
  RecordingCallbacks up;
  SipTransport a(io, up);
  SipTransport b(io, up);
  ASSERT_TRUE(a.addInterface(udpInterface(0)));
  auto taken = *a.localEndpoint(0, Transport::Udp);
  auto settings = udpInterface(0);
  settings.listeners[0].port = taken.port();
  auto result = b.addInterface(settings);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, net::NetErrc::Bind);
  EXPECT_NE(result.error().text.find(taken.toString()), std::string::npos) << result.error().text;
}

} // namespace
} // namespace gh::sip
