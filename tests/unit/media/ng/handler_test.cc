// The NG protocol end to end without a socket: the corpus's request/response pairs and framing
// cases, the retransmission cache and engines that answer now or later.
#include <gtest/gtest.h>

#include "fake_media.h"
#include "media/ng/bencode.h"
#include "media/ng/ng_frame.h"
#include "media/ng/ng_handler.h"
#include "support/corpus.h"

namespace gh::media::ng {
namespace {

using test::FakeMedia;

std::string example(const std::string& name) {
  return gh::test::readFile(gh::test::sharedPath("corpus/ng/" + name));
}

class HandlerTest : public ::testing::Test {
protected:
  // Feeds one datagram; returns the replies sent (zero or one, or more when deferred ones land).
  std::vector<std::string> feed(std::string_view datagram,
                                std::string_view peer = "10.0.0.1:5060") {
    std::vector<std::string> before = sent_;
    handler_.handle(datagram, peer, [this](std::string reply) { sent_.push_back(reply); });
    return std::vector<std::string>(sent_.begin() + static_cast<long>(before.size()), sent_.end());
  }

  std::string one(std::string_view datagram) {
    auto replies = feed(datagram);
    EXPECT_EQ(replies.size(), 1u) << datagram;
    return replies.empty() ? std::string() : replies.front();
  }

  // The reply's dictionary (its views stay valid while `holder_` keeps the text).
  BValue dict(const std::string& reply) {
    holder_.push_back(reply);
    auto frame = splitFrame(holder_.back());
    EXPECT_TRUE(frame.has_value());
    docs_.push_back(std::make_unique<BencodeDoc>(*decodeBencode(frame->payload)));
    return docs_.back()->root();
  }

  FakeMedia media_;
  NgHandler handler_{media_};
  std::vector<std::string> sent_;
  std::deque<std::string> holder_;
  std::vector<std::unique_ptr<BencodeDoc>> docs_;
};

TEST_F(HandlerTest, CorpusExamplesGetTheirExactReplies) {
  for (std::string name : {"01-ping", "05-delete-unknown", "06-delete-unknown-fatal", "08-list",
                           "10-error-missing-call-id", "11-error-no-sdp",
                           "12-error-unknown-command", "13-error-no-command"}) {
    SCOPED_TRACE(name);
    media_.stats_result = Unexpected(MediaError{MediaErrc::UnknownCall, "no such call"});
    media_.calls = {"c81d7600-5db10c85-9501-3402000a@10.0.2.52"};
    EXPECT_EQ(one(example("examples/" + name + ".request.ng")),
              example("examples/" + name + ".response.ng"));
  }
  EXPECT_EQ(media_.list_limits, std::vector<std::size_t>{32});
}

TEST_F(HandlerTest, SeedOfferAndAnswerReachTheEngineAndReturnItsSdp) {
  const std::string response = example("examples/02-offer-seed.response.ng");
  auto frame = splitFrame(response);
  auto expected = decodeBencode(frame->payload);
  media_.sdp_result = std::string(expected->root().find("sdp")->str());
  EXPECT_EQ(one(example("examples/02-offer-seed.request.ng")), response);
  ASSERT_EQ(media_.offers.size(), 1u);
  EXPECT_EQ(media_.offers[0].from_interface, "internal");
  EXPECT_EQ(media_.offers[0].policy.protocol, Protocol::RtpSavp);

  BValue answer = dict(one(example("examples/03-answer-seed.request.ng")));
  EXPECT_EQ(answer.find("result")->str(), "ok");
  ASSERT_EQ(media_.answers.size(), 1u);
  EXPECT_EQ(media_.answers[0].to_tag, "ee195713eb");
  EXPECT_EQ(media_.answers[0].policy.protocol, Protocol::RtpAvp);
}

CallStats sampleStats() {
  CallStats s;
  s.call_id = "c1";
  s.created = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  PartyStats a{.tag = "ft", .interface = "internal", .streams = {}};
  StreamStats st;
  st.media = "audio";
  st.local = *net::Endpoint::parse("10.0.0.5:30000");
  st.remote = *net::Endpoint::parse("10.0.2.52:24580");
  st.protocol = "RTP/AVP";
  st.in.packets = 100;
  st.in.bytes = 17200;
  st.in.rtcp_packets = 2;
  st.in.srtp_auth_failures = 1;
  a.streams.push_back(st);
  PartyStats b{.tag = "tt", .interface = "external", .streams = {}};
  st.local = *net::Endpoint::parse("[2001:db8::5]:31000");
  st.remote = net::Endpoint();
  st.protocol = "RTP/SAVP";
  st.in = {};
  b.streams.push_back(st);
  s.parties = {a, b};
  return s;
}

TEST_F(HandlerTest, QueryAndDeleteReportStatisticsInRtpengineShape) {
  media_.stats_result = sampleStats();
  BValue q = dict(one(example("examples/07-query.request.ng")));
  EXPECT_EQ(q.find("result")->str(), "ok");
  EXPECT_GT(q.find("created")->integer(), 1'600'000'000);
  BValue ft = *q.find("tags")->find("ft");
  EXPECT_EQ(ft.find("in dialogue with")->str(), "tt");
  BValue media = *ft.find("medias")->begin();
  EXPECT_EQ(media.find("type")->str(), "audio");
  BValue stream = *media.find("streams")->begin();
  EXPECT_EQ(stream.find("local port")->integer(), 30000);
  EXPECT_EQ(stream.find("endpoint")->find("family")->str(), "IPv4");
  EXPECT_EQ(stream.find("endpoint")->find("address")->str(), "10.0.2.52");
  EXPECT_EQ(stream.find("endpoint")->find("port")->integer(), 24580);
  EXPECT_EQ(stream.find("stats")->find("packets")->integer(), 100);
  EXPECT_EQ(stream.find("stats")->find("errors")->integer(), 1);
  EXPECT_EQ(q.find("totals")->find("RTP")->find("bytes")->integer(), 17200);
  EXPECT_EQ(q.find("totals")->find("RTCP")->find("packets")->integer(), 2);
  EXPECT_EQ(media_.queries, std::vector<std::string>{"c81d7600-5db10c85-9501-3402000a@10.0.2.52"});

  BValue d = dict(one(example("examples/04-delete.request.ng")));
  EXPECT_EQ(d.find("result")->str(), "ok");
  EXPECT_TRUE(d.find("tags").has_value());
  ASSERT_EQ(media_.deletes.size(), 1u);
  EXPECT_EQ(media_.deletes[0].to_tag, "ee195713eb");

  BValue fast = dict(one("x d7:command6:delete7:call-id1:c5:flagsl4:fastee"));
  EXPECT_EQ(fast.find("result")->str(), "ok");
  EXPECT_FALSE(fast.find("tags").has_value());
}

TEST_F(HandlerTest, EngineErrorsBecomeErrorReplies) {
  media_.sdp_result = Unexpected(MediaError{MediaErrc::NoPorts, "range exhausted"});
  BValue r = dict(one("c d7:command5:offer7:call-id1:c8:from-tag1:f3:sdp3:v=0e"));
  EXPECT_EQ(r.find("result")->str(), "error");
  EXPECT_EQ(r.find("error-reason")->str(), "Ran out of ports");
  media_.sdp_result = Unexpected(MediaError{MediaErrc::BadSdp, "no m= line"});
  r = dict(one("d d7:command5:offer7:call-id1:c8:from-tag1:f3:sdp3:v=0e"));
  EXPECT_EQ(r.find("error-reason")->str(), "no m= line");
  media_.sdp_result = Unexpected(MediaError{MediaErrc::UnknownCall, ""});
  r = dict(one("e d7:command6:answer7:call-id1:c8:from-tag1:f6:to-tag1:t3:sdp3:v=0e"));
  EXPECT_EQ(r.find("error-reason")->str(), "Unknown call-id");
  EXPECT_EQ(handler_.counters().errors, 3u);
}

TEST_F(HandlerTest, FramingCases) {
  EXPECT_TRUE(feed(example("framing/f01-no-cookie.ng")).empty());
  EXPECT_EQ(handler_.counters().dropped, 1u);
  EXPECT_EQ(one(example("framing/f02-cookie-no-payload.ng")),
            "abc123 d6:result5:error12:error-reason25:Invalid data (no payload)e");
  EXPECT_EQ(one(example("framing/f03-not-bencode-not-json.ng")),
            "abc124 d6:result5:error12:error-reason35:Could not decode bencode dictionarye");
  EXPECT_EQ(one(example("framing/f04-bad-bencode.ng")),
            "abc125 d6:result5:error12:error-reason35:Could not decode bencode dictionarye");
  EXPECT_EQ(one(example("framing/f05-json-ping.ng")), R"(abc126 {"result":"pong"})");
  EXPECT_TRUE(one(example("framing/f09-top-level-list.ng")).starts_with("abc127 d6:result5:error"));
  EXPECT_EQ(handler_.counters().malformed, 4u);
}

TEST_F(HandlerTest, JsonOfferGetsAJsonReply) {
  media_.sdp_result = std::string("v=0\r\nc=IN IP4 10.0.0.5\r\n");
  EXPECT_EQ(one(R"(j1 {"command":"offer","call-id":"c","from-tag":"f","sdp":"v=0\r\n",)"
                R"("ICE":"remove","transport-protocol":"RTP/SAVP"})"),
            R"(j1 {"sdp":"v=0\r\nc=IN IP4 10.0.0.5\r\n","result":"ok"})");
  ASSERT_EQ(media_.offers.size(), 1u);
  EXPECT_EQ(media_.offers[0].policy.ice, IcePolicy::Remove);
}

TEST_F(HandlerTest, RetransmissionIsAnsweredFromTheCacheWithoutReexecuting) {
  const std::string offer = "dup_1 d7:command5:offer7:call-id1:c8:from-tag1:f3:sdp3:v=0e";
  const std::string first = one(offer);
  EXPECT_EQ(one(offer), first);
  EXPECT_EQ(one(offer), first);
  EXPECT_EQ(media_.offers.size(), 1u);
  EXPECT_EQ(handler_.counters().cache_hits, 2u);
  EXPECT_EQ(handler_.counters().commands[static_cast<std::size_t>(NgCommand::Offer)], 1u);
  // The same cookie from another controller is another command.
  EXPECT_EQ(feed(offer, "10.0.0.2:5060").size(), 1u);
  EXPECT_EQ(media_.offers.size(), 2u);
  // Error replies are cached too.
  const std::string bad = "dup_2 d7:command5:offere";
  EXPECT_EQ(one(bad), one(bad));
}

TEST_F(HandlerTest, DeferredCompletionsAndRetransmissionsWhilePending) {
  media_.deferred = true;
  const std::string offer = "late_1 d7:command5:offer7:call-id1:c8:from-tag1:f3:sdp3:v=0e";
  EXPECT_TRUE(feed(offer).empty());
  EXPECT_TRUE(feed(offer).empty()); // still running: dropped, not executed again
  EXPECT_EQ(handler_.counters().retransmits_pending, 1u);
  EXPECT_EQ(media_.offers.size(), 1u);
  media_.runDeferred();
  ASSERT_EQ(sent_.size(), 1u);
  const std::string reply = sent_[0];
  EXPECT_EQ(reply, "late_1 d3:sdp5:v=0\r\n6:result2:oke");
  EXPECT_EQ(one(offer), reply);
}

TEST(HandlerLifetimeTest, CompletionAfterTheHandlerIsGoneIsDropped) {
  FakeMedia media;
  media.deferred = true;
  int sent = 0;
  {
    NgHandler handler(media);
    handler.handle("c d7:command5:query7:call-id1:ce", "p", [&](std::string) { ++sent; });
  }
  media.runDeferred();
  EXPECT_EQ(sent, 0);
}

TEST(HandlerThreadTest, CompletionsFromAnotherThreadArePosted) {
  FakeMedia media;
  media.deferred = true;
  std::vector<std::function<void()>> posted;
  NgHandler handler(media, {}, [&](std::function<void()> fn) { posted.push_back(std::move(fn)); });
  std::vector<std::string> sent;
  handler.handle("c d7:command5:query7:call-id1:ce", "p",
                 [&](std::string r) { sent.push_back(r); });
  std::thread engine([&] { media.runDeferred(); });
  engine.join();
  EXPECT_TRUE(sent.empty());
  ASSERT_EQ(posted.size(), 1u);
  posted[0]();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].starts_with("c d6:result2:ok"));
}

TEST_F(HandlerTest, StatisticsCarryEngineAndControlFigures) {
  media_.global.calls_active = 3;
  media_.global.calls_total = 7;
  one("p d7:command4:pinge");
  BValue s = dict(one("s d7:command10:statisticse"));
  EXPECT_EQ(s.find("result")->str(), "ok");
  BValue stats = *s.find("statistics");
  EXPECT_EQ(stats.find("currentstatistics")->find("sessionsown")->integer(), 3);
  EXPECT_EQ(stats.find("totalstatistics")->find("managedsessions")->integer(), 7);
  EXPECT_EQ(stats.find("controlstatistics")->find("totalpingcount")->integer(), 1);
  EXPECT_EQ(stats.find("controlstatistics")->find("totalstatisticscount")->integer(), 1);
}

TEST_F(HandlerTest, ListLimitIsBounded) {
  one("l d7:command4:list5:limiti99999999ee");
  one("m d7:command4:list5:limiti-1ee");
  EXPECT_EQ(media_.list_limits, (std::vector<std::size_t>{kMaxListLimit, 32}));
}

} // namespace
} // namespace gh::media::ng
