#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "sip/transport/sip_transport.h"
#include "unit/sip/transport/transport_test_util.h"

namespace gh::sip {
namespace {

using namespace test;

constexpr std::string_view kUmFqdn = "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com";

// The test CA and certificates of examples/make-test-certs.sh, made once into a temp folder.
class TlsTransportTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/gh-tls-test-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    ASSERT_NE(made, nullptr);
    folder_ = made;
    std::string command = std::string(GH_SOURCE_DIR) + "/examples/make-test-certs.sh " +
                          folder_.string() + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  static std::string cert(std::string_view name) { return (folder_ / "certs" / name).string(); }

  static TlsOptions options(std::string_view leaf, bool require_client = false) {
    TlsOptions o;
    if (!leaf.empty()) {
      o.certificate_file = cert(std::string(leaf) + ".crt");
      o.private_key_file = cert(std::string(leaf) + ".key");
    }
    o.ca_file = cert("ca.crt");
    o.require_client_certificate = require_client;
    return o;
  }

  static InterfaceSettings tlsInterface(std::string_view ip, TlsOptions tls, bool listen = true) {
    InterfaceSettings s{0, "tls-test", *net::Endpoint::fromIp(ip, 0), {}, std::move(tls)};
    if (listen) {
      s.listeners.push_back({Transport::Tls, 0});
    }
    return s;
  }

  // Sends one request from `client` to `server`'s TLS listener as `name`; returns the result.
  SendResult sendRequest(SipTransport& client, SipTransport& server, std::string_view name) {
    std::optional<SendResult> result;
    Destination d{Transport::Tls, 0, *server.localEndpoint(0, Transport::Tls), std::string(name),
                  0};
    client.send(d, request("OPTIONS", "TLS", "127.0.0.2", "tls"),
                [&](const SendResult& r) { result = r; });
    EXPECT_TRUE(runUntil(io_, [&] { return result.has_value(); }));
    return result ? *result : SendResult(Unexpected(net::NetError{net::NetErrc::Timeout, "no"}));
  }

  static std::filesystem::path folder_;
  asio::io_context io_;
  RecordingCallbacks server_up_;
  RecordingCallbacks client_up_;
};

std::filesystem::path TlsTransportTest::folder_;

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST_F(TlsTransportTest, MutualTlsBothWays) {
  SipTransport server(io_, server_up_);
  SipTransport client(io_, client_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("sbc", true))));
  ASSERT_TRUE(client.addInterface(tlsInterface("127.0.0.2", options("um", true))));

  SendResult sent = sendRequest(client, server, "sbc.example.com");
  ASSERT_TRUE(sent) << sent.error().text;
  ASSERT_TRUE(runUntil(io_, [&] { return server_up_.received.size() == 1; }));
  const Flow inbound = server_up_.received[0].flow;
  EXPECT_EQ(inbound.transport, Transport::Tls);

  auto client_cert = server.peerCertificate(inbound.connection);
  ASSERT_TRUE(client_cert);
  EXPECT_TRUE(client_cert->present);
  EXPECT_TRUE(contains(client_cert->subject, kUmFqdn)) << client_cert->subject;
  ASSERT_EQ(client_cert->dns_names.size(), 1u);
  EXPECT_EQ(client_cert->dns_names[0], kUmFqdn);
  auto server_cert = client.peerCertificate(sent->connection);
  ASSERT_TRUE(server_cert);
  EXPECT_TRUE(contains(server_cert->subject, "CN=sbc.example.com")) << server_cert->subject;

  // The response rides back over the same TLS connection.
  server.send(inbound, response(200, "TLS", "tls"));
  ASSERT_TRUE(runUntil(io_, [&] { return client_up_.received.size() == 1; }));
  EXPECT_EQ(client_up_.received[0].flow.connection, sent->connection);

  // And the other way: the server side opens its own connection to the client's listener.
  SendResult back = sendRequest(server, client, kUmFqdn);
  ASSERT_TRUE(back) << back.error().text;
  ASSERT_TRUE(runUntil(io_, [&] { return client_up_.received.size() == 2; }));
  EXPECT_TRUE(client_up_.received[1].is_request);
  EXPECT_EQ(server.counters().tls_handshake_failures, 0u);
  EXPECT_EQ(server.counters().open_tls, 2u);
}

TEST_F(TlsTransportTest, RefusesAClientWithoutCertificate) {
  SipTransport server(io_, server_up_);
  SipTransport client(io_, client_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("sbc", true))));
  ASSERT_TRUE(client.addInterface(tlsInterface("127.0.0.2", options(""), false)));
  SendResult sent = sendRequest(client, server, "sbc.example.com");
  ASSERT_TRUE(runUntil(io_, [&] { return !server_up_.closed.empty(); }));
  EXPECT_TRUE(contains(server_up_.closed[0].reason, "no client certificate"))
      << server_up_.closed[0].reason;
  EXPECT_TRUE(server_up_.received.empty());
  EXPECT_EQ(server.counters().tls_handshake_failures, 1u);
  // TLS 1.3 lets the client finish its side first; it learns the reason from the alert.
  ASSERT_TRUE(runUntil(io_, [&] { return !sent || !client_up_.closed.empty(); }));
  std::string client_view = sent ? client_up_.closed[0].reason : sent.error().text;
  EXPECT_TRUE(contains(client_view, "client certificate")) << client_view;
}

TEST_F(TlsTransportTest, RefusesAnExpiredServerCertificate) {
  SipTransport server(io_, server_up_);
  SipTransport client(io_, client_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("expired"))));
  ASSERT_TRUE(client.addInterface(tlsInterface("127.0.0.2", options("um"), false)));
  SendResult sent = sendRequest(client, server, "sbc.example.com");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, net::NetErrc::TlsHandshake);
  EXPECT_TRUE(contains(sent.error().text, "certificate expired")) << sent.error().text;
  EXPECT_TRUE(contains(sent.error().text, "sbc.example.com")) << sent.error().text;
  EXPECT_EQ(client.counters().tls_handshake_failures, 1u);
  EXPECT_EQ(client.counters().send_failures, 1u);
}

TEST_F(TlsTransportTest, RefusesAnExpiredClientCertificate) {
  SipTransport server(io_, server_up_);
  SipTransport client(io_, client_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("sbc", true))));
  ASSERT_TRUE(client.addInterface(tlsInterface("127.0.0.2", options("expired"), false)));
  (void)sendRequest(client, server, "sbc.example.com");
  ASSERT_TRUE(runUntil(io_, [&] { return !server_up_.closed.empty(); }));
  EXPECT_TRUE(contains(server_up_.closed[0].reason, "certificate expired"))
      << server_up_.closed[0].reason;
}

TEST_F(TlsTransportTest, RefusesACertificateFromAnUnknownCa) {
  SipTransport server(io_, server_up_);
  SipTransport client(io_, client_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("sbc-other-ca"))));
  ASSERT_TRUE(client.addInterface(tlsInterface("127.0.0.2", options("um"), false)));
  SendResult sent = sendRequest(client, server, "sbc.example.com");
  ASSERT_FALSE(sent);
  EXPECT_TRUE(contains(sent.error().text, "unknown CA")) << sent.error().text;
  // The server side hears why from the alert.
  ASSERT_TRUE(runUntil(io_, [&] { return !server_up_.closed.empty(); }));
  EXPECT_TRUE(contains(server_up_.closed[0].reason, "unknown CA")) << server_up_.closed[0].reason;
}

TEST_F(TlsTransportTest, RefusesACertificateForAnotherName) {
  SipTransport server(io_, server_up_);
  SipTransport client(io_, client_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("wrong-name"))));
  ASSERT_TRUE(client.addInterface(tlsInterface("127.0.0.2", options("um"), false)));
  SendResult sent = sendRequest(client, server, "sbc.example.com");
  ASSERT_FALSE(sent);
  EXPECT_TRUE(contains(sent.error().text, "name mismatch")) << sent.error().text;
  EXPECT_TRUE(contains(sent.error().text, "other.example.com")) << sent.error().text;
  // The same server is fine for the name it does carry.
  SendResult right = sendRequest(client, server, "other.example.com");
  EXPECT_TRUE(right) << right.error().text;
}

TEST_F(TlsTransportTest, ReportsPlainTcpOnATlsPort) {
  SipTransport server(io_, server_up_);
  ASSERT_TRUE(server.addInterface(tlsInterface("127.0.0.1", options("sbc"))));
  RawClient plain(SOCK_STREAM, *server.localEndpoint(0, Transport::Tls));
  ASSERT_TRUE(plain.send(request("OPTIONS", "TCP", "127.0.0.1", "plain")));
  ASSERT_TRUE(runUntil(io_, [&] { return !server_up_.closed.empty(); }));
  EXPECT_TRUE(contains(server_up_.closed[0].reason, "does not speak TLS"))
      << server_up_.closed[0].reason;
}

TEST_F(TlsTransportTest, BadKeyFileIsASetupError) {
  SipTransport server(io_, server_up_);
  TlsOptions o = options("sbc");
  o.private_key_file = cert("um.key");
  auto result = server.addInterface(tlsInterface("127.0.0.1", o));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, net::NetErrc::TlsSetup);
  EXPECT_TRUE(contains(result.error().text, "does not match the certificate"))
      << result.error().text;
  o = options("sbc");
  o.certificate_file = "/nonexistent/sbc.crt";
  result = server.addInterface(tlsInterface("127.0.0.1", o));
  ASSERT_FALSE(result);
  EXPECT_TRUE(contains(result.error().text, "/nonexistent/sbc.crt: No such file"))
      << result.error().text;
}

} // namespace
} // namespace gh::sip
