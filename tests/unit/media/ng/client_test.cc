// NgClient over real loopback UDP against a scripted fake NG server on the same io_context:
// replies, retransmission, timeout, error replies, foreign cookies and bad bencode ignored,
// bounds, and no completion after destruction.
#include <chrono>
#include <deque>
#include <functional>
#include <optional>

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "media/ng/bencode.h"
#include "media/ng/ng_client.h"
#include "media/ng/ng_frame.h"
#include "media/ng/ng_reply.h"
#include "net/asio_endpoint.h"

namespace gh::media::ng {
namespace {

using namespace std::chrono_literals;

// Receives requests; each is answered by `script` (which may send nothing, or several replies).
class FakeEngine {
public:
  struct Request {
    std::string cookie;
    std::string payload;
    asio::ip::udp::endpoint from;
  };

  using Script = std::function<void(FakeEngine&, const Request&)>;

  explicit FakeEngine(asio::io_context& io) : socket_(io) {
    socket_.open(asio::ip::udp::v4());
    socket_.bind({asio::ip::make_address("127.0.0.1"), 0});
    receive();
  }

  net::Endpoint endpoint() const { return net::fromAsio(socket_.local_endpoint()); }

  void reply(const Request& to, std::string_view cookie, std::string_view payload) {
    socket_.send_to(asio::buffer(frameReply(cookie, payload)), to.from);
  }

  void replyRaw(const Request& to, std::string_view datagram) {
    socket_.send_to(asio::buffer(datagram), to.from);
  }

  void close() { socket_.close(); }

  Script script = [](FakeEngine& e, const Request& r) {
    e.reply(r, r.cookie, sdpReply(Encoding::Bencode, "v=0\r\no=engine\r\n"));
  };
  std::vector<Request> requests;

private:
  void receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), from_, [this](const asio::error_code& ec, std::size_t n) {
          if (ec)
            return;
          auto frame = splitFrame(std::string_view(buffer_.data(), n));
          if (frame) {
            requests.push_back({std::string(frame->cookie), std::string(frame->payload), from_});
            script(*this, requests.back());
          }
          receive();
        });
  }

  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint from_;
  std::array<char, 70000> buffer_{};
};

class NgClientTest : public ::testing::Test {
protected:
  std::unique_ptr<NgClient> makeClient(NgClientOptions o = {}) {
    o.engine = engine.endpoint();
    if (o.retransmit == 500ms)
      o.retransmit = 50ms;
    if (o.timeout == 3000ms)
      o.timeout = 400ms;
    auto c = NgClient::create(io, std::move(o));
    EXPECT_TRUE(c);
    return c ? std::move(*c) : nullptr;
  }

  // Runs the loop until `done` or `limit`.
  void runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 3000ms) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io.restart();
      io.run_for(10ms);
    }
  }

  static OfferParams offerParams() {
    OfferParams p;
    p.call_id = "call-1";
    p.from_tag = "ft";
    p.sdp = "v=0\r\n";
    p.from_interface = "internal";
    p.to_interface = "external";
    p.policy.protocol = Protocol::RtpSavp;
    return p;
  }

  asio::io_context io;
  FakeEngine engine{io};
};

TEST_F(NgClientTest, OfferIsAnsweredOnTheLoopNeverInline) {
  auto client = makeClient();
  std::optional<MediaResult<std::string>> got;
  client->offer(offerParams(), [&](MediaResult<std::string> r) { got = std::move(r); });
  EXPECT_FALSE(got); // remote: later, on the loop
  runUntil([&] { return got.has_value(); });
  ASSERT_TRUE(got);
  ASSERT_TRUE(*got);
  EXPECT_EQ(**got, "v=0\r\no=engine\r\n");
  ASSERT_EQ(engine.requests.size(), 1u);
  auto doc = decodeBencode(engine.requests[0].payload);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().find("command")->str(), "offer");
  EXPECT_EQ(doc->root().find("transport-protocol")->str(), "RTP/SAVP");
  EXPECT_EQ(client->list(10), std::vector<std::string>{"call-1"});
  EXPECT_EQ(client->statistics().calls_active, 1u);
  EXPECT_EQ(client->counters().replies, 1u);
  EXPECT_EQ(client->counters().pending, 0u);
}

TEST_F(NgClientTest, EveryRequestHasItsOwnCookie) {
  auto client = makeClient();
  int done = 0;
  for (int i = 0; i < 3; ++i)
    client->offer(offerParams(), [&](MediaResult<std::string> r) { done += r ? 1 : 100; });
  runUntil([&] { return done >= 3; });
  EXPECT_EQ(done, 3);
  ASSERT_EQ(engine.requests.size(), 3u);
  EXPECT_NE(engine.requests[0].cookie, engine.requests[1].cookie);
  EXPECT_NE(engine.requests[1].cookie, engine.requests[2].cookie);
  // A second client (a restarted Gatehouse) never reuses the first one's cookies.
  auto other = makeClient();
  bool pinged = false;
  other->ping([&](MediaResult<void> r) { pinged = static_cast<bool>(r); });
  engine.script = [](FakeEngine& e, const FakeEngine::Request& r) {
    e.reply(r, r.cookie, pongReply(Encoding::Bencode));
  };
  runUntil([&] { return pinged; });
  EXPECT_TRUE(pinged);
  EXPECT_NE(engine.requests.back().cookie.substr(0, 12), engine.requests[0].cookie.substr(0, 12));
}

TEST_F(NgClientTest, LostRequestIsRetransmittedWithTheSameCookie) {
  int seen = 0;
  engine.script = [&](FakeEngine& e, const FakeEngine::Request& r) {
    if (++seen >= 2)
      e.reply(r, r.cookie, sdpReply(Encoding::Bencode, "v=0\r\n"));
  };
  auto client = makeClient();
  std::optional<MediaResult<std::string>> got;
  client->offer(offerParams(), [&](MediaResult<std::string> r) { got = std::move(r); });
  runUntil([&] { return got.has_value(); });
  ASSERT_TRUE(got && *got);
  ASSERT_EQ(engine.requests.size(), 2u);
  EXPECT_EQ(engine.requests[0].cookie, engine.requests[1].cookie);
  EXPECT_EQ(engine.requests[0].payload, engine.requests[1].payload);
  EXPECT_EQ(client->counters().retransmissions, 1u);
}

TEST_F(NgClientTest, SilentEngineTimesOutUnavailableAfterAllAttempts) {
  engine.script = [](FakeEngine&, const FakeEngine::Request&) {};
  NgClientOptions o;
  o.retransmit = 40ms;
  o.attempts = 3;
  o.timeout = 300ms;
  auto client = makeClient(o);
  std::optional<MediaResult<std::string>> got;
  const auto start = std::chrono::steady_clock::now();
  client->offer(offerParams(), [&](MediaResult<std::string> r) { got = std::move(r); });
  runUntil([&] { return got.has_value(); });
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(got);
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code, MediaErrc::Unavailable);
  EXPECT_EQ(engine.requests.size(), 3u); // 0, 40 ms, 120 ms; then waits for the deadline
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(client->counters().timeouts, 1u);
  EXPECT_EQ(client->counters().pending, 0u);
  EXPECT_TRUE(client->list(10).empty());
}

TEST_F(NgClientTest, EngineNotListeningIsUnavailable) {
  const net::Endpoint gone = engine.endpoint();
  engine.close(); // ICMP port unreachable from now on
  NgClientOptions o;
  o.engine = gone;
  o.retransmit = 30ms;
  o.timeout = 200ms;
  auto created = NgClient::create(io, o);
  ASSERT_TRUE(created);
  std::optional<MediaResult<void>> got;
  (*created)->ping([&](MediaResult<void> r) { got = std::move(r); });
  runUntil([&] { return got.has_value(); });
  ASSERT_TRUE(got);
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code, MediaErrc::Unavailable);
}

TEST_F(NgClientTest, ErrorReplyCarriesTheEnginesReason) {
  engine.script = [](FakeEngine& e, const FakeEngine::Request& r) {
    e.reply(r, r.cookie, errorReply(Encoding::Bencode, "Unknown call-id"));
  };
  auto client = makeClient();
  std::optional<MediaResult<std::string>> got;
  AnswerParams a;
  a.call_id = "nope";
  a.from_tag = "ft";
  a.to_tag = "tt";
  a.sdp = "v=0\r\n";
  client->answer(a, [&](MediaResult<std::string> r) { got = std::move(r); });
  runUntil([&] { return got.has_value(); });
  ASSERT_TRUE(got);
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code, MediaErrc::UnknownCall);
  EXPECT_EQ(got->error().reason, "Unknown call-id");
  EXPECT_EQ(client->counters().errors, 1u);
  EXPECT_EQ(engine.requests.size(), 1u); // an answer is final: no retransmission
}

TEST_F(NgClientTest, ForeignCookieAndBadBencodeAreIgnored) {
  engine.script = [](FakeEngine& e, const FakeEngine::Request& r) {
    e.reply(r, "someone-else", sdpReply(Encoding::Bencode, "v=0\r\nwrong\r\n"));
    e.reply(r, r.cookie, "d3:sdp5:v=0");                // truncated bencode
    e.reply(r, r.cookie, "d6:result2:ok6:result2:oke"); // duplicate keys
    e.replyRaw(r, "no-space-at-all");                   // no frame
    e.reply(r, r.cookie, sdpReply(Encoding::Bencode, "v=0\r\nright\r\n"));
    e.reply(r, r.cookie, sdpReply(Encoding::Bencode, "v=0\r\nduplicate\r\n"));
  };
  auto client = makeClient();
  int calls = 0;
  std::string sdp;
  client->offer(offerParams(), [&](MediaResult<std::string> r) {
    ++calls;
    sdp = r ? *r : "error";
  });
  runUntil([&] { return calls > 0 && client->counters().unknown_cookie >= 2; });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(sdp, "v=0\r\nright\r\n");
  EXPECT_EQ(client->counters().bad_replies, 3u);
  EXPECT_EQ(client->counters().unknown_cookie, 2u); // the foreign one and the late duplicate
}

TEST_F(NgClientTest, OversizeReplyIsDropped) {
  engine.script = [](FakeEngine& e, const FakeEngine::Request& r) {
    e.reply(r, r.cookie, sdpReply(Encoding::Bencode, std::string(2000, 'x')));
  };
  NgClientOptions o;
  o.max_reply = 1000;
  o.timeout = 200ms;
  auto client = makeClient(o);
  std::optional<MediaResult<std::string>> got;
  client->offer(offerParams(), [&](MediaResult<std::string> r) { got = std::move(r); });
  runUntil([&] { return got.has_value(); });
  ASSERT_TRUE(got);
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code, MediaErrc::Unavailable);
  EXPECT_GE(client->counters().oversize, 1u);
}

TEST_F(NgClientTest, PendingIsBoundedAndRefusalIsPosted) {
  engine.script = [](FakeEngine&, const FakeEngine::Request&) {};
  NgClientOptions o;
  o.max_pending = 2;
  o.timeout = 150ms;
  auto client = makeClient(o);
  std::vector<MediaErrc> codes;
  for (int i = 0; i < 3; ++i) {
    client->offer(offerParams(), [&](MediaResult<std::string> r) {
      codes.push_back(r ? MediaErrc::Internal : r.error().code);
    });
  }
  EXPECT_TRUE(codes.empty()); // even the refusal is not run inside offer()
  runUntil([&] { return codes.size() == 3; });
  ASSERT_EQ(codes.size(), 3u);
  EXPECT_EQ(client->counters().refused, 1u);
  for (MediaErrc c : codes)
    EXPECT_EQ(c, MediaErrc::Unavailable);
}

TEST_F(NgClientTest, NoCompletionAfterDestruction) {
  engine.script = [](FakeEngine&, const FakeEngine::Request&) {};
  auto client = makeClient();
  bool called = false;
  client->offer(offerParams(), [&](MediaResult<std::string>) { called = true; });
  NgClientOptions o;
  o.max_pending = 1;
  auto refusing = makeClient(o);
  refusing->offer(offerParams(), [&](MediaResult<std::string>) { called = true; });
  runUntil([&] { return engine.requests.size() >= 2; }, 500ms);
  ASSERT_FALSE(called);
  refusing->offer(offerParams(), [&](MediaResult<std::string>) { called = true; }); // posted
  client.reset();
  refusing.reset();
  // A late reply to the dropped request finds nobody.
  for (const auto& r : engine.requests)
    engine.reply(r, r.cookie, sdpReply(Encoding::Bencode, "v=0\r\n"));
  runUntil([] { return false; }, 600ms);
  EXPECT_FALSE(called);
}

TEST_F(NgClientTest, DeleteForgetsTheCallAndReturnsFigures) {
  auto client = makeClient();
  bool offered = false;
  client->offer(offerParams(), [&](MediaResult<std::string> r) { offered = static_cast<bool>(r); });
  runUntil([&] { return offered; });
  ASSERT_TRUE(offered);
  engine.script = [](FakeEngine& e, const FakeEngine::Request& r) {
    CallStats stats;
    PartyStats p;
    p.tag = "ft";
    StreamStats s;
    s.media = "audio";
    s.in.packets = 7;
    p.streams.push_back(s);
    stats.parties.push_back(p);
    e.reply(r, r.cookie, statsReply(Encoding::Bencode, stats));
  };
  std::optional<MediaResult<CallStats>> got;
  client->remove({.call_id = "call-1", .from_tag = "", .to_tag = ""},
                 [&](MediaResult<CallStats> r) { got = std::move(r); });
  EXPECT_TRUE(client->list(10).empty());
  runUntil([&] { return got.has_value(); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->call_id, "call-1");
  ASSERT_EQ((*got)->parties.size(), 1u);
  ASSERT_EQ((*got)->parties[0].streams.size(), 1u);
  EXPECT_EQ((*got)->parties[0].streams[0].in.packets, 7u);
  auto doc = decodeBencode(engine.requests.back().payload);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().find("command")->str(), "delete");
  EXPECT_EQ(client->statistics().calls_total, 1u);
  EXPECT_EQ(client->statistics().calls_active, 0u);
}

TEST_F(NgClientTest, CallsTheEngineNoLongerListsAreReportedAsTimeouts) {
  // The engine answers offers, lists only "call-2" (call-1's media timed out there) and refuses
  // the delete of a call it no longer has.
  engine.script = [](FakeEngine& e, const FakeEngine::Request& r) {
    auto doc = decodeBencode(r.payload);
    const std::string command(doc ? doc->root().find("command")->str() : "");
    if (command == "list")
      e.reply(r, r.cookie, listReply(Encoding::Bencode, {"call-2", "foreign"}));
    else if (command == "delete")
      e.reply(r, r.cookie, errorReply(Encoding::Bencode, "Unknown call-id"));
    else
      e.reply(r, r.cookie, sdpReply(Encoding::Bencode, "v=0\r\n"));
  };
  NgClientOptions o;
  o.poll_interval = 100ms;
  auto client = makeClient(o);
  std::vector<std::string> timed_out;
  client->setEventHandler([&](const MediaEvent& e) {
    EXPECT_EQ(e.kind, MediaEvent::Kind::Timeout);
    timed_out.push_back(e.call_id);
    // What the call layer does: hang up, which deletes through this same client.
    client->remove({.call_id = e.call_id, .from_tag = "", .to_tag = ""},
                   [](MediaResult<CallStats>) {});
  });
  int offered = 0;
  for (const char* id : {"call-1", "call-2"}) {
    OfferParams p = offerParams();
    p.call_id = id;
    client->offer(p, [&](MediaResult<std::string> r) { offered += r ? 1 : 0; });
  }
  runUntil([&] { return offered == 2 && !timed_out.empty(); }, 2000ms);
  runUntil([] { return false; }, 300ms); // more polls: nothing new
  EXPECT_EQ(timed_out, std::vector<std::string>{"call-1"});
  EXPECT_EQ(client->list(10), std::vector<std::string>{"call-2"});
  EXPECT_EQ(client->counters().vanished, 1u);
  EXPECT_EQ(client->counters().errors, 0u); // the refused delete of a vanished call is no error
}

TEST_F(NgClientTest, NoPollWithoutAHandler) {
  NgClientOptions o;
  o.poll_interval = 50ms;
  auto client = makeClient(o);
  bool offered = false;
  client->offer(offerParams(), [&](MediaResult<std::string> r) { offered = static_cast<bool>(r); });
  runUntil([&] { return offered; });
  runUntil([] { return false; }, 300ms);
  EXPECT_EQ(engine.requests.size(), 1u);
}

TEST(NgClientCreate, NeedsAnAddress) {
  asio::io_context io;
  EXPECT_FALSE(NgClient::create(io, {}));
}

} // namespace
} // namespace gh::media::ng
