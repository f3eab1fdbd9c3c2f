#include <asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "sip/transport/sip_transport.h"
#include "unit/sip/transport/transport_test_util.h"

namespace gh::sip {
namespace {

using namespace test;

InterfaceSettings tcpInterface(std::string_view ip = "127.0.0.1") {
  return InterfaceSettings{
      0, "tcp-test", *net::Endpoint::fromIp(ip, 0), {{Transport::Tcp, 0}}, std::nullopt};
}

class TcpTransportTest : public ::testing::Test {
protected:
  void SetUp() override {
    server_ = std::make_unique<SipTransport>(io_, up_, limits_);
    ASSERT_TRUE(server_->addInterface(tcpInterface()));
    address_ = *server_->localEndpoint(0, Transport::Tcp);
  }

  void restart(TransportLimits limits) {
    server_.reset();
    limits_ = limits;
    SetUp();
  }

  asio::io_context io_;
  RecordingCallbacks up_;
  TransportLimits limits_;
  std::unique_ptr<SipTransport> server_;
  net::Endpoint address_;
};

TEST_F(TcpTransportTest, FramesSeveralMessagesFromOneSegment) {
  RawClient client(SOCK_STREAM, address_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(request("OPTIONS", "TCP", "127.0.0.1", "one") +
                          request("MESSAGE", "TCP", "127.0.0.1", "two", "body") +
                          request("OPTIONS", "TCP", "127.0.0.1", "three")));
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 3; }));
  EXPECT_EQ(up_.received[0].method_or_status, "OPTIONS");
  EXPECT_EQ(up_.received[1].method_or_status, "MESSAGE");
  EXPECT_NE(up_.received[1].wire.find("\r\n\r\nbody"), std::string::npos);
  EXPECT_EQ(up_.received[2].wire.find("three"), up_.received[2].wire.find("z9hG4bKthree") + 7);
  EXPECT_NE(up_.received[0].flow.connection, 0u);
  EXPECT_EQ(up_.received[0].flow.connection, up_.received[2].flow.connection);
  EXPECT_EQ(up_.received[0].flow.remote, client.local());
  EXPECT_EQ(server_->counters().accepted, 1u);
  EXPECT_EQ(server_->counters().open_tcp, 1u);
}

TEST_F(TcpTransportTest, ReassemblesAMessageSplitAcrossSegments) {
  RawClient client(SOCK_STREAM, address_);
  std::string message = request("MESSAGE", "TCP", "127.0.0.1", "split", "0123456789");
  std::size_t cut_in_headers = 40;
  std::size_t cut_in_body = message.size() - 4;
  ASSERT_TRUE(client.send(message.substr(0, cut_in_headers)));
  runFor(io_, 50ms);
  ASSERT_TRUE(client.send(message.substr(cut_in_headers, cut_in_body - cut_in_headers)));
  runFor(io_, 50ms);
  EXPECT_TRUE(up_.received.empty()) << "nothing is delivered before the body is complete";
  ASSERT_TRUE(client.send(message.substr(cut_in_body)));
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 1; }));
  EXPECT_EQ(up_.received[0].wire, message);
}

TEST_F(TcpTransportTest, AnswersCrlfCrlfKeepAliveWithCrlf) {
  RawClient client(SOCK_STREAM, address_);
  ASSERT_TRUE(client.send("\r\n\r\n"));
  ASSERT_TRUE(runUntil(io_, [&] {
    client.poll();
    return !client.data.empty();
  }));
  runFor(io_, 20ms);
  client.poll();
  EXPECT_EQ(client.data, "\r\n");
  EXPECT_EQ(server_->counters().keepalives_answered, 1u);
  // A pong (a lone CRLF) is not answered; a ping split over two segments is.
  ASSERT_TRUE(client.send("\r\n"));
  runFor(io_, 30ms);
  ASSERT_TRUE(client.send("\r\n"));
  ASSERT_TRUE(runUntil(io_, [&] { return server_->counters().keepalives_answered == 2; }));
  EXPECT_TRUE(up_.received.empty());
  EXPECT_TRUE(up_.parse_errors.empty());
}

TEST_F(TcpTransportTest, ResponseGoesBackOverTheRequestsConnection) {
  up_.on_message = [&](const Message& m, const Flow& flow) {
    if (m.isRequest()) {
      server_->send(flow, response(200, "TCP", "resp"));
    }
  };
  RawClient client(SOCK_STREAM, address_);
  ASSERT_TRUE(client.send(request("OPTIONS", "TCP", "127.0.0.1", "resp")));
  ASSERT_TRUE(runUntil(io_, [&] {
    client.poll();
    return client.data.find("\r\n\r\n") != std::string::npos;
  }));
  EXPECT_EQ(client.data.substr(0, 14), "SIP/2.0 200 OK");
  EXPECT_EQ(server_->connectionCount(), 1u) << "no second connection was opened";
}

TEST_F(TcpTransportTest, ReusesTheConnectionForASecondRequestToTheSamePeer) {
  RecordingCallbacks client_up;
  SipTransport client(io_, client_up);
  ASSERT_TRUE(client.addInterface(tcpInterface("127.0.0.2")));
  Destination to_server{Transport::Tcp, 0, address_, {}, 0};
  std::vector<SendResult> results;
  auto record = [&](const SendResult& r) { results.push_back(r); };
  client.send(to_server, request("OPTIONS", "TCP", "127.0.0.2", "r1"), record);
  client.send(to_server, request("OPTIONS", "TCP", "127.0.0.2", "r2"), record); // while connecting
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 2; }));
  client.send(to_server, request("OPTIONS", "TCP", "127.0.0.2", "r3"), record); // once open
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 3 && results.size() == 3; }));
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().text;
    EXPECT_EQ(r->connection, results[0]->connection);
    EXPECT_EQ(r->local.ip(), "127.0.0.2") << "outbound connections bind the interface address";
  }
  EXPECT_EQ(up_.received[0].flow.connection, up_.received[2].flow.connection);
  EXPECT_EQ(client.counters().connected, 1u);
  EXPECT_EQ(server_->counters().accepted, 1u);

  // The server answers over the connection the requests came on; the client sees it arrive on
  // its own connection.
  server_->send(up_.received[0].flow, response(200, "TCP", "r1"));
  ASSERT_TRUE(runUntil(io_, [&] { return client_up.received.size() == 1; }));
  EXPECT_EQ(client_up.received[0].flow.connection, results[0]->connection);
}

TEST_F(TcpTransportTest, FallsBackToANewConnectionWhenTheRequestsOneIsGone) {
  RecordingCallbacks client_up;
  SipTransport client(io_, client_up);
  TransportLimits limits;
  ASSERT_TRUE(client.addInterface(tcpInterface("127.0.0.2")));
  auto client_listener = *client.localEndpoint(0, Transport::Tcp);
  RawClient raw(SOCK_STREAM, address_);
  ASSERT_TRUE(raw.send(request("OPTIONS", "TCP", client_listener.toString(), "gone")));
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 1; }));
  Flow flow = up_.received[0].flow;
  ASSERT_TRUE(server_->closeConnection(flow.connection));
  ASSERT_EQ(up_.closed.size(), 1u);
  // RFC 3261 §18.2.2: connection gone -> a new one to the Via's sent-by.
  Destination d = destinationOf(flow);
  d.remote = client_listener;
  std::optional<SendResult> result;
  server_->send(d, response(200, "TCP", "gone"), [&](const SendResult& r) { result = r; });
  ASSERT_TRUE(runUntil(io_, [&] { return client_up.received.size() == 1 && result; }));
  ASSERT_TRUE(*result);
  EXPECT_NE((*result)->connection, flow.connection);
}

TEST_F(TcpTransportTest, ClosesIdleConnections) {
  TransportLimits limits;
  limits.idle_timeout = std::chrono::seconds(1);
  restart(limits);
  RawClient client(SOCK_STREAM, address_);
  ASSERT_TRUE(client.send(request("OPTIONS", "TCP", "127.0.0.1", "idle")));
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 1; }));
  runFor(io_, 500ms);
  EXPECT_TRUE(up_.closed.empty()) << "not idle yet";
  ASSERT_TRUE(runUntil(
      io_, [&] { return client.poll(); }, 3s))
      << "the server closed it";
  ASSERT_EQ(up_.closed.size(), 1u);
  EXPECT_NE(up_.closed[0].reason.find("idle"), std::string::npos) << up_.closed[0].reason;
  EXPECT_EQ(server_->counters().closed_idle, 1u);
  EXPECT_EQ(server_->counters().open_tcp, 0u);
  EXPECT_EQ(server_->connectionCount(), 0u);
}

TEST_F(TcpTransportTest, RefusesConnectionsOverThePerSourceCap) {
  TransportLimits limits;
  limits.max_connections_per_source = 2;
  restart(limits);
  RawClient first(SOCK_STREAM, address_);
  RawClient second(SOCK_STREAM, address_);
  ASSERT_TRUE(runUntil(io_, [&] { return server_->counters().accepted == 2; }));
  RawClient third(SOCK_STREAM, address_);
  ASSERT_TRUE(runUntil(io_, [&] { return third.poll(); })) << "the third one is closed";
  EXPECT_EQ(server_->counters().refused, 1u);
  EXPECT_EQ(server_->connectionCount(), 2u);
  EXPECT_FALSE(first.poll());
  // Another source address is not affected by this source's cap.
  RecordingCallbacks other_up;
  SipTransport other(io_, other_up);
  ASSERT_TRUE(other.addInterface(tcpInterface("127.0.0.3")));
  std::optional<SendResult> result;
  other.send(Destination{Transport::Tcp, 0, address_, {}, 0},
             request("OPTIONS", "TCP", "127.0.0.3", "cap"),
             [&](const SendResult& r) { result = r; });
  ASSERT_TRUE(runUntil(io_, [&] { return up_.received.size() == 1; }));
  EXPECT_EQ(server_->counters().accepted, 3u);
}

TEST_F(TcpTransportTest, RefusesConnectionsOverTheTotalCap) {
  TransportLimits limits;
  limits.max_connections = 1;
  restart(limits);
  RawClient first(SOCK_STREAM, address_);
  ASSERT_TRUE(runUntil(io_, [&] { return server_->counters().accepted == 1; }));
  RawClient second(SOCK_STREAM, address_);
  ASSERT_TRUE(runUntil(io_, [&] { return second.poll(); }));
  EXPECT_EQ(server_->counters().refused, 1u);
  // The cap holds for outbound connections too.
  std::optional<SendResult> result;
  server_->send(Destination{Transport::Tcp, 0, address_, {}, 0}, "x",
                [&](const SendResult& r) { result = r; });
  ASSERT_TRUE(runUntil(io_, [&] { return result.has_value(); }));
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().code, net::NetErrc::ConnectionLimit);
}

TEST_F(TcpTransportTest, ReportsARefusedConnect) {
  // A port that was just free: bind, read it, close.
  net::Endpoint closed_port;
  {
    asio::ip::tcp::acceptor probe(io_,
                                  asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = *net::Endpoint::fromIp("127.0.0.1", probe.local_endpoint().port());
  }
  std::optional<SendResult> result;
  server_->send(Destination{Transport::Tcp, 0, closed_port, {}, 0},
                request("OPTIONS", "TCP", "127.0.0.1", "refused"),
                [&](const SendResult& r) { result = r; });
  ASSERT_TRUE(runUntil(io_, [&] { return result.has_value(); }));
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().code, net::NetErrc::Refused);
  EXPECT_NE(result->error().text.find("connection refused"), std::string::npos)
      << result->error().text;
  EXPECT_EQ(server_->counters().connect_failures, 1u);
  EXPECT_EQ(server_->counters().send_failures, 1u);
  EXPECT_EQ(server_->connectionCount(), 0u);
}

TEST_F(TcpTransportTest, ParseErrorIsReportedThenTheConnectionCloses) {
  up_.on_parse_error = [&](const Flow& flow) {
    server_->send(flow, "SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  };
  RawClient client(SOCK_STREAM, address_);
  ASSERT_TRUE(client.send("OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n"));
  ASSERT_TRUE(runUntil(io_, [&] { return client.poll(); }));
  ASSERT_EQ(up_.parse_errors.size(), 1u);
  EXPECT_EQ(client.data.substr(0, 15), "SIP/2.0 400 Bad") << "the 400 went out before the close";
  ASSERT_EQ(up_.closed.size(), 1u);
  EXPECT_NE(up_.closed[0].reason.find("framing"), std::string::npos) << up_.closed[0].reason;
}

TEST_F(TcpTransportTest, BoundsTheBufferOfAConnection) {
  TransportLimits limits;
  limits.parse.max_message_bytes = 2000;
  restart(limits);
  RawClient client(SOCK_STREAM, address_);
  std::string endless = "OPTIONS sip:bob@example.com SIP/2.0\r\nX: " + std::string(5000, 'a');
  ASSERT_TRUE(client.send(endless));
  ASSERT_TRUE(runUntil(io_, [&] { return client.poll(); }));
  ASSERT_EQ(up_.parse_errors.size(), 1u);
  EXPECT_LE(up_.parse_errors[0].bytes.size(), 2000u);
}

} // namespace
} // namespace gh::sip
