// NgServer over real loopback UDP with a fake engine: replies, retransmissions from the cache,
// garbage, oversize datagrams, completions from another thread, IPv6.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "fake_media.h"
#include "media/ng/ng_server.h"

namespace gh::media::ng {
namespace {

using test::FakeMedia;

class UdpClient {
public:
  explicit UdpClient(const net::Endpoint& server) : server_(server) {
    fd_ = ::socket(server.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  }

  ~UdpClient() { ::close(fd_); }

  void send(std::string_view datagram) {
    ASSERT_EQ(::sendto(fd_, datagram.data(), datagram.size(), 0, server_.sockaddrPtr(),
                       server_.sockaddrLength()),
              static_cast<ssize_t>(datagram.size()));
  }

  // The next datagram, or "" after `wait`.
  std::string receive(std::chrono::milliseconds wait = std::chrono::milliseconds(2000)) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) != 1)
      return {};
    std::string buf(70000, '\0');
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
  }

private:
  net::Endpoint server_;
  int fd_ = -1;
};

template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 400; ++i) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::unique_ptr<NgServer> startServer(FakeMedia& media, std::string_view listen,
                                      std::size_t max_datagram = 64 * 1024) {
  NgServerOptions options;
  options.listen = *net::Endpoint::parse(listen);
  options.max_datagram = max_datagram;
  auto server = NgServer::create(media, options);
  EXPECT_TRUE(server.has_value()) << (server ? "" : server.error());
  if (!server)
    return nullptr;
  (*server)->start();
  return std::move(*server);
}

TEST(NgServerTest, AnswersOverLoopbackAndServesRetransmissionsFromTheCache) {
  FakeMedia media;
  auto server = startServer(media, "127.0.0.1:0");
  ASSERT_TRUE(server);
  EXPECT_NE(server->localEndpoint().port(), 0);
  UdpClient client(server->localEndpoint());

  client.send("5323_1 d7:command4:pinge");
  EXPECT_EQ(client.receive(), "5323_1 d6:result4:ponge");

  const std::string offer = "o_1 d7:command5:offer7:call-id1:c8:from-tag1:f3:sdp3:v=0e";
  client.send(offer);
  const std::string first = client.receive();
  EXPECT_EQ(first, "o_1 d3:sdp5:v=0\r\n6:result2:oke");
  client.send(offer);
  EXPECT_EQ(client.receive(), first);
  const NgServerCounters c = server->counters();
  EXPECT_EQ(c.protocol.cache_hits, 1u);
  EXPECT_EQ(c.protocol.commands[static_cast<std::size_t>(NgCommand::Offer)], 1u);
  server->stop();
  EXPECT_EQ(media.offers.size(), 1u);
}

TEST(NgServerTest, SurvivesGarbage) {
  FakeMedia media;
  auto server = startServer(media, "127.0.0.1:0", 1024);
  ASSERT_TRUE(server);
  UdpClient client(server->localEndpoint());

  client.send("d7:command4:pinge");                           // no cookie: dropped
  client.send(std::string(2000, 'x') + " d7:command4:pinge"); // over max_datagram: dropped
  client.send(std::string("\0\xff\x01 \x80", 5));
  EXPECT_TRUE(client.receive().starts_with(std::string("\0\xff\x01 d6:result5:error", 20)));
  for (std::string_view junk : {"g d", "g dddddddddd", "g i1e", "g d1:ai1e1:ai1ee", "g {\"x\":"})
    client.send(junk);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(client.receive().starts_with("g d6:result5:error")) << i;
  client.send("alive d7:command4:pinge");
  EXPECT_EQ(client.receive(), "alive d6:result4:ponge");
  EXPECT_TRUE(eventually([&] { return server->counters().oversize == 1; }));
  EXPECT_EQ(server->counters().protocol.dropped, 1u);
}

TEST(NgServerTest, CompletionsFromAnEngineThreadComeBackToTheControlThread) {
  FakeMedia media;
  media.deferred = true;
  auto server = startServer(media, "127.0.0.1:0");
  ASSERT_TRUE(server);
  UdpClient client(server->localEndpoint());
  const std::string query = "q_1 d7:command5:query7:call-id1:ce";
  client.send(query);
  client.send(query);
  // The retransmission is handled after the first command reached the engine.
  ASSERT_TRUE(eventually([&] { return server->counters().protocol.retransmits_pending == 1; }));
  EXPECT_EQ(client.receive(std::chrono::milliseconds(50)), "");
  std::thread engine([&] { media.runDeferred(); });
  engine.join();
  EXPECT_TRUE(client.receive().starts_with("q_1 d6:result2:ok"));
}

TEST(NgServerTest, ServesIpv6) {
  FakeMedia media;
  NgServerOptions options;
  options.listen = *net::Endpoint::parse("[::1]:0");
  auto server = NgServer::create(media, options);
  if (!server)
    GTEST_SKIP() << "no IPv6 loopback: " << server.error();
  (*server)->start();
  UdpClient client((*server)->localEndpoint());
  client.send("v6 d7:command4:pinge");
  EXPECT_EQ(client.receive(), "v6 d6:result4:ponge");
}

TEST(NgServerTest, BindFailureIsReported) {
  FakeMedia media;
  auto first = startServer(media, "127.0.0.1:0");
  ASSERT_TRUE(first);
  NgServerOptions options;
  options.listen = first->localEndpoint();
  auto second = NgServer::create(media, options);
  EXPECT_FALSE(second.has_value());
  EXPECT_FALSE(NgServer::create(media, NgServerOptions{}).has_value());
}

TEST(NgServerTest, StopIsIdempotentAndPostAfterStopIsDropped) {
  FakeMedia media;
  auto server = startServer(media, "127.0.0.1:0");
  ASSERT_TRUE(server);
  std::atomic<int> ran{0};
  server->post([&] { ++ran; });
  EXPECT_TRUE(eventually([&] { return ran.load() == 1; }));
  server->stop();
  server->stop();
  server->post([&] { ++ran; });
  EXPECT_EQ(ran.load(), 1);
}

} // namespace
} // namespace gh::media::ng
