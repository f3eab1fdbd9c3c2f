#include "sip/dialog/dialog_set.h"

#include "sip/transaction/manual_timer_service.h"
#include "sip/transaction/response_builder.h"
#include "unit/sip/transaction/support.h"

namespace gh::sip::test {
namespace {

using namespace std::chrono_literals;
using D = std::vector<Duration>;

class RecordingCallbacks final : public DialogCallbacks {
public:
  explicit RecordingCallbacks(const TimerService& clock) : clock_(clock) {}

  void send(const Flow&, std::string_view bytes) override {
    sent.emplace_back(bytes);
    at.push_back(std::chrono::duration_cast<Duration>(clock_.now().time_since_epoch()));
  }

  void onAckTimeout(const DialogId& id) override { timeouts.push_back(id); }

  std::vector<std::string> sent;
  std::vector<Duration> at;
  std::vector<DialogId> timeouts;

private:
  const TimerService& clock_;
};

class DialogSetTest : public ::testing::Test {
protected:
  static Req theirInvite() {
    Req r;
    r.from = "<sip:carol@example.net>;tag=carol1";
    r.to = "<sip:dave@sbc.example.com>";
    r.cseq = 42;
    r.extra = {"Contact: <sip:carol@198.51.100.20>"};
    return r;
  }

  static Req theirAck(uint32_t cseq = 42) {
    Req r = theirInvite();
    r.method = "ACK";
    r.to += ";tag=ourtag";
    r.cseq = cseq;
    r.vias = {"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKack"};
    r.extra.clear();
    return r;
  }

  static Req ourInvite() {
    Req r;
    r.vias = {"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKclient"};
    r.cseq = 7;
    return r;
  }

  static Resp ok(std::string to_tag = "bobtag") {
    Resp r;
    r.to = "<sip:bob@example.com>;tag=" + to_tag;
    r.cseq = 7;
    r.extra = {"Contact: <sip:bob@203.0.113.5>"};
    return r;
  }

  ManualTimerService timers;
  RecordingCallbacks callbacks{timers};
  DialogSet set{timers, callbacks};
};

TEST_F(DialogSetTest, UasRetransmitsTwoHundredUntilAck) {
  Message invite = parse(theirInvite().text());
  auto d = set.createUas(invite, "ourtag", "<sip:sbc.example.com>", true);
  ASSERT_TRUE(d);
  std::string ok200 = buildResponse(invite, 200, ResponseOptions().withToTag("ourtag"));
  set.start2xxRetransmission((*d)->id(), 42, ok200, udp());
  timers.advance(7600ms);
  EXPECT_EQ(callbacks.at, (D{500ms, 1500ms, 3500ms, 7500ms})); // T1 doubling, capped at T2
  EXPECT_EQ(callbacks.sent[0], ok200);
  EXPECT_EQ(set.onAck(parse(theirAck(41).text())), *d); // an ACK for another INVITE: no stop
  EXPECT_EQ(set.pendingRetransmissions(), 1u);
  EXPECT_EQ(set.onAck(parse(theirAck().text())), *d);
  EXPECT_EQ(set.pendingRetransmissions(), 0u);
  timers.advance(60s);
  EXPECT_EQ(callbacks.sent.size(), 4u);
  EXPECT_TRUE(callbacks.timeouts.empty());
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(DialogSetTest, UasGivesUpAfter64T1) {
  Message invite = parse(theirInvite().text());
  auto d = set.createUas(invite, "ourtag", "<sip:sbc.example.com>", true);
  ASSERT_TRUE(d);
  set.start2xxRetransmission((*d)->id(), 42, "SIP/2.0 200 OK\r\n\r\n", udp());
  timers.advance(31999ms);
  EXPECT_TRUE(callbacks.timeouts.empty());
  EXPECT_EQ(callbacks.at, (D{500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms, 23500ms,
                             27500ms, 31500ms}));
  timers.advance(1ms);
  ASSERT_EQ(callbacks.timeouts.size(), 1u);
  EXPECT_EQ(callbacks.timeouts[0], (*d)->id());
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(DialogSetTest, UnknownAckMatchesNothing) {
  EXPECT_EQ(set.onAck(parse(theirAck().text())), nullptr);
}

TEST_F(DialogSetTest, UacAcksEveryRetransmissionOfTheTwoHundred) {
  Message invite = parse(ourInvite().text());
  Message answer = parse(ok().text());
  EXPECT_FALSE(set.onInvite2xx(answer)); // new: the TU creates the dialog
  auto d = set.createUac(invite, answer, "<sip:sbc.example.com>");
  ASSERT_TRUE(d);
  ViaSpec via{Transport::Udp, "192.0.2.10:5060", "z9hG4bKack1"};
  ASSERT_TRUE(set.sendAck((*d)->id(), 7, via, udp()));
  ASSERT_EQ(callbacks.sent.size(), 1u);
  Message ack = parse(callbacks.sent[0]);
  EXPECT_EQ(ack.cseq().number, 7u);
  EXPECT_EQ(ack.cseq().method, Method::Ack);
  EXPECT_EQ(ack.requestUriText(), "sip:bob@203.0.113.5");
  EXPECT_TRUE(set.onInvite2xx(answer));
  EXPECT_TRUE(set.onInvite2xx(answer));
  EXPECT_EQ(callbacks.sent.size(), 3u);
  EXPECT_EQ(callbacks.sent[2], callbacks.sent[0]);
  // Another fork's 2xx is new, and makes its own dialog.
  Message fork = parse(ok("othertag").text());
  EXPECT_FALSE(set.onInvite2xx(fork));
  auto d2 = set.createUac(invite, fork, "<sip:sbc.example.com>");
  ASSERT_TRUE(d2);
  EXPECT_NE((*d2)->id(), (*d)->id());
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.createUac(invite, fork, {}).error(), DialogError::Exists);
  timers.advance(32s); // the ACK is forgotten after 64*T1
  EXPECT_FALSE(set.onInvite2xx(answer));
  EXPECT_EQ(set.sendAck({"x", "y", "z"}, 7, via, udp()).error(), DialogError::NotFound);
}

TEST_F(DialogSetTest, InDialogRequestsWithoutDialogGet481) {
  Req bye = theirAck();
  bye.method = "BYE";
  bye.cseq = 43;
  EXPECT_EQ(set.checkRequest(parse(bye.text())).reject, 481);
  ASSERT_TRUE(set.createUas(parse(theirInvite().text()), "ourtag", "<sip:sbc.example.com>", true));
  auto v = set.checkRequest(parse(bye.text()));
  EXPECT_EQ(v.reject, 0);
  ASSERT_NE(v.dialog, nullptr);
  EXPECT_EQ(v.dialog->remoteCSeq(), 43u);
  bye.cseq = 40;
  EXPECT_EQ(set.checkRequest(parse(bye.text())).reject, 500);
  set.remove(v.dialog->id());
  EXPECT_EQ(set.size(), 0u);
  bye.cseq = 44;
  EXPECT_EQ(set.checkRequest(parse(bye.text())).reject, 481);
}

TEST_F(DialogSetTest, CapOnDialogs) {
  DialogSet small(timers, callbacks, {}, 1);
  Message invite = parse(ourInvite().text());
  ASSERT_TRUE(small.createUac(invite, parse(ok("a").text()), {}));
  EXPECT_EQ(small.createUac(invite, parse(ok("b").text()), {}).error(), DialogError::OverCapacity);
}

TEST_F(DialogSetTest, RemovingADialogStopsItsTimers) {
  Message invite = parse(theirInvite().text());
  auto d = set.createUas(invite, "ourtag", "<sip:sbc.example.com>", true);
  ASSERT_TRUE(d);
  DialogId id = (*d)->id();
  set.start2xxRetransmission(id, 42, "SIP/2.0 200 OK\r\n\r\n", udp());
  set.remove(id);
  EXPECT_EQ(timers.pending(), 0u);
  timers.advance(60s);
  EXPECT_TRUE(callbacks.sent.empty());
}

} // namespace
} // namespace gh::sip::test
