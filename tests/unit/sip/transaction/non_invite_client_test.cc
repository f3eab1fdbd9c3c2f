#include "sip/transaction/non_invite_client.h"

#include "unit/sip/transaction/fixture.h"

namespace gh::sip::test {
namespace {

using Type = RecordingTu::Type;
using D = std::vector<Duration>;

class NonInviteClientTest : public TxnFixture {};

TEST_F(NonInviteClientTest, TimerEDoublesUpToT2ThenTimerFTimesOut) {
  TxnId id = send(clientReq("OPTIONS"));
  EXPECT_EQ(state(id), TxnState::Trying);
  timers.advance(31999ms);
  // E: 500, 1000, 2000, then T2 = 4000 ms apart.
  EXPECT_EQ(transport.times("OPTIONS "), (D{0ms, 500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms,
                                            19500ms, 23500ms, 27500ms, 31500ms}));
  EXPECT_EQ(tu.count(Type::Timeout), 0u);
  timers.advance(1ms); // F = 64*T1
  EXPECT_EQ(tu.count(Type::Timeout), 1u);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(layer->counters().retransmissions_sent, 10u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(NonInviteClientTest, ProvisionalMovesToProceedingWhereERetransmitsEveryT2) {
  TxnId id = send(clientReq("BYE"));
  timers.advance(600ms); // one retransmission at 500; next E would be at 1500
  receive(resp(100, "BYE").text());
  EXPECT_EQ(state(id), TxnState::Proceeding);
  timers.advance(10400ms); // up to 11 s
  // The pending E fires at 1500 as scheduled, then every T2.
  EXPECT_EQ(transport.times("BYE "), (D{0ms, 500ms, 1500ms, 5500ms, 9500ms}));
  receive(resp(200, "BYE").text());
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(30s);
  EXPECT_EQ(transport.count("BYE "), 5u);
  EXPECT_EQ(tu.count(Type::Timeout), 0u);
}

TEST_F(NonInviteClientTest, CompletedAbsorbsRetransmittedFinalsUntilTimerK) {
  TxnId id = send(clientReq("OPTIONS"));
  receive(resp(200, "OPTIONS").text());
  EXPECT_EQ(state(id), TxnState::Completed);
  receive(resp(200, "OPTIONS").text());
  EXPECT_EQ(tu.count(Type::Response), 1u);
  EXPECT_EQ(layer->counters().retransmissions_absorbed, 1u);
  timers.advance(4999ms); // K = T4
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(1ms);
  EXPECT_TRUE(gone(id));
  receive(resp(200, "OPTIONS").text()); // stray now, and not a 2xx to INVITE: dropped
  EXPECT_EQ(tu.count(Type::Stray), 0u);
  EXPECT_EQ(layer->counters().stray_responses, 1u);
}

TEST_F(NonInviteClientTest, ReliableHasNoTimerEAndZeroK) {
  TxnId id = send(clientReq("INFO", "TCP"), tcp());
  timers.advance(10s);
  EXPECT_EQ(transport.count("INFO "), 1u);
  Resp r = resp(200, "INFO");
  r.vias = {"SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bKclient"};
  receive(r.text(), tcp());
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(NonInviteClientTest, ReliableTimesOutOnF) {
  TxnId id = send(clientReq("INFO", "TLS"), flowOf(Transport::Tls));
  timers.advance(32s);
  EXPECT_EQ(tu.count(Type::Timeout), 1u);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(transport.count("INFO "), 1u);
}

TEST_F(NonInviteClientTest, ResponseForAnotherMethodDoesNotMatch) {
  TxnId id = send(clientReq("OPTIONS"));
  receive(resp(200, "INFO").text()); // same branch, CSeq method differs (§17.1.3)
  EXPECT_EQ(state(id), TxnState::Trying);
  EXPECT_EQ(tu.count(Type::Response), 0u);
  EXPECT_EQ(layer->counters().stray_responses, 1u);
}

} // namespace
} // namespace gh::sip::test
