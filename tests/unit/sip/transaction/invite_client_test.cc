#include "sip/transaction/invite_client.h"

#include "unit/sip/transaction/fixture.h"

namespace gh::sip::test {
namespace {

using Type = RecordingTu::Type;
using D = std::vector<Duration>;

class InviteClientTest : public TxnFixture {};

TEST_F(InviteClientTest, TimerADoublesFromT1UntilTimerBTimesOut) {
  TxnId id = send(clientReq());
  EXPECT_EQ(state(id), TxnState::Calling);
  timers.advance(31999ms);
  // A: 500, 1000, 2000, 4000, 8000, 16000 ms apart (no cap for INVITE).
  EXPECT_EQ(transport.times("INVITE "), (D{0ms, 500ms, 1500ms, 3500ms, 7500ms, 15500ms, 31500ms}));
  EXPECT_EQ(tu.count(Type::Timeout), 0u);
  timers.advance(1ms); // B = 64*T1
  EXPECT_EQ(tu.count(Type::Timeout), 1u);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(tu.events.back().type, Type::Terminated);
  EXPECT_EQ(layer->counters().retransmissions_sent, 6u);
  EXPECT_EQ(layer->counters().timeouts, 1u);
  EXPECT_EQ(layer->counters().client_active, 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(InviteClientTest, TimerValuesComeFromSettings) {
  TransactionSettings s;
  s.t1 = 100ms;
  make(s);
  TxnId id = send(clientReq());
  timers.advance(6399ms);
  EXPECT_EQ(transport.times("INVITE "), (D{0ms, 100ms, 300ms, 700ms, 1500ms, 3100ms, 6300ms}));
  EXPECT_FALSE(gone(id));
  timers.advance(1ms);
  EXPECT_TRUE(gone(id));
}

TEST_F(InviteClientTest, ReliableTransportHasNoTimerA) {
  TxnId id = send(clientReq("INVITE", "TCP"), tcp());
  timers.advance(31999ms);
  EXPECT_EQ(transport.count("INVITE "), 1u);
  timers.advance(1ms);
  EXPECT_EQ(tu.count(Type::Timeout), 1u);
  EXPECT_TRUE(gone(id));
}

TEST_F(InviteClientTest, ProvisionalStopsRetransmissionsAndTimerB) {
  TxnId id = send(clientReq());
  timers.advance(600ms);
  receive(resp(180).text());
  EXPECT_EQ(state(id), TxnState::Proceeding);
  timers.advance(120s); // Proceeding has no timer: the TU owns the no-answer timeout
  EXPECT_EQ(transport.count("INVITE "), 2u);
  EXPECT_EQ(state(id), TxnState::Proceeding);
  EXPECT_EQ(tu.count(Type::Timeout), 0u);
  ASSERT_EQ(tu.count(Type::Response), 1u);
  EXPECT_EQ(tu.events[0].code, 180);
}

TEST_F(InviteClientTest, TwoHundredGoesToAcceptedWhichPassesRetransmissionsUntilTimerM) {
  TxnId id = send(clientReq());
  receive(resp(100).text());
  receive(resp(200).text());
  EXPECT_EQ(state(id), TxnState::Accepted);
  EXPECT_EQ(transport.count("ACK "), 0u); // the TU ACKs a 2xx, not the transaction
  timers.advance(1s);
  receive(resp(200).text()); // retransmission: RFC 6026 passes it up for the TU to ACK again
  receive(resp(180).text()); // anything else is absorbed
  EXPECT_EQ(tu.count(Type::Response), 3u);
  EXPECT_EQ(tu.events[2].code, 200);
  timers.advance(30999ms);
  EXPECT_EQ(state(id), TxnState::Accepted);
  timers.advance(1ms); // M = 64*T1 after the first 2xx
  EXPECT_TRUE(gone(id));
  receive(resp(200).text()); // now a stray, still the TU's
  EXPECT_EQ(tu.count(Type::Stray), 1u);
  EXPECT_EQ(transport.count("INVITE "), 1u);
}

TEST_F(InviteClientTest, NonTwoHundredFinalIsAcknowledgedHopByHop) {
  Req invite = clientReq();
  invite.extra = {"Route: <sip:p1.example.net;lr>,<sip:p2.example.net;lr>",
                  "Route: <sip:p3.example.net;lr>", "Contact: <sip:alice@192.0.2.10>"};
  invite.body = "v=0\r\n";
  invite.cseq = 7;
  TxnId id = send(invite);
  Resp busy = resp(486, "INVITE", "Busy Here");
  busy.cseq = 7;
  busy.to = "\"Bob\" <sip:bob@example.com>;tag=busy-tag";
  receive(busy.text());
  EXPECT_EQ(state(id), TxnState::Completed);
  ASSERT_EQ(transport.count("ACK "), 1u);
  Message ack = transport.last();
  EXPECT_EQ(ack.startLine(), "ACK sip:bob@example.com SIP/2.0");
  ASSERT_EQ(ack.vias().size(), 1u);
  EXPECT_EQ(ack.topVia().branch, "z9hG4bKclient"); // same branch as the INVITE
  EXPECT_EQ(ack.first(HeaderId::Via)->value, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKclient");
  EXPECT_EQ(ack.first(HeaderId::From)->value, invite.from);
  EXPECT_EQ(ack.first(HeaderId::To)->value, busy.to);
  EXPECT_EQ(ack.callId(), invite.call_id);
  EXPECT_EQ(ack.cseq().number, 7u);
  EXPECT_EQ(ack.cseq().method, Method::Ack);
  auto routes = ack.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].uri.host, "p1.example.net");
  EXPECT_EQ(routes[2].uri.host, "p3.example.net");
  EXPECT_EQ(ack.first(HeaderId::Contact), nullptr);
  EXPECT_TRUE(ack.body().empty());
  EXPECT_EQ(*ack.maxForwards(), 70u);
  EXPECT_EQ(transport.sent.back().txn, id);
  ASSERT_EQ(tu.count(Type::Response), 1u);

  // Completed: retransmitted finals are absorbed and re-ACKed, never shown to the TU.
  receive(busy.text());
  receive(busy.text());
  EXPECT_EQ(transport.count("ACK "), 3u);
  EXPECT_EQ(tu.count(Type::Response), 1u);
  EXPECT_EQ(layer->counters().retransmissions_absorbed, 2u);

  timers.advance(31999ms); // Timer D = 32 s on UDP
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(1ms);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(transport.count("INVITE "), 1u); // A stopped with the final response
}

TEST_F(InviteClientTest, ReliableTimerDIsZero) {
  TxnId id = send(clientReq("INVITE", "TCP"), tcp());
  Resp r = resp(503);
  r.vias = {"SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bKclient"};
  receive(r.text(), tcp());
  EXPECT_EQ(transport.count("ACK "), 1u);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(InviteClientTest, CancelWaitsForAProvisional) {
  Req invite = clientReq();
  invite.extra = {"Route: <sip:p1.example.net;lr>"};
  TxnId id = send(invite);
  ASSERT_TRUE(layer->cancel(id));
  EXPECT_EQ(transport.count("CANCEL "), 0u); // §9.1: not before a provisional
  receive(resp(100).text());
  ASSERT_EQ(transport.count("CANCEL "), 1u);
  Message cancel = transport.last();
  EXPECT_EQ(cancel.requestUriText(), invite.ruri);
  EXPECT_EQ(cancel.topVia().branch, "z9hG4bKclient");
  EXPECT_EQ(cancel.cseq().number, invite.cseq);
  EXPECT_EQ(cancel.cseq().method, Method::Cancel);
  EXPECT_EQ(cancel.first(HeaderId::To)->value, invite.to);
  EXPECT_EQ(cancel.first(HeaderId::From)->value, invite.from);
  EXPECT_EQ(cancel.routes().size(), 1u);
  ASSERT_TRUE(layer->cancel(id)); // a second request sends nothing more
  EXPECT_EQ(transport.count("CANCEL "), 1u);

  receive(resp(200, "CANCEL").text()); // the CANCEL's own answer stays inside the layer
  receive(resp(487, "INVITE", "Request Terminated").text());
  EXPECT_EQ(transport.count("ACK "), 1u);
  EXPECT_EQ(tu.events.back().code, 487);
  EXPECT_FALSE(layer->cancel(id)); // no cancel after a final response
  for (const auto& e : tu.events) {
    EXPECT_NE(e.method, "CANCEL");
  }
}

TEST_F(InviteClientTest, CancelledInviteWithoutFinalResponseTimesOut) {
  TxnId id = send(clientReq());
  receive(resp(180).text());
  ASSERT_TRUE(layer->cancel(id));
  timers.advance(31999ms);
  EXPECT_EQ(tu.count(Type::Timeout), 0u);
  timers.advance(1ms); // §9.1: 64*T1 after the CANCEL
  EXPECT_EQ(tu.count(Type::Timeout), 1u);
  EXPECT_TRUE(gone(id));
  timers.advance(10s);
  EXPECT_EQ(layer->size(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(InviteClientTest, CancelBeforeProvisionalThenFinalSendsNoCancel) {
  TxnId id = send(clientReq());
  ASSERT_TRUE(layer->cancel(id));
  receive(resp(404).text());
  EXPECT_EQ(transport.count("CANCEL "), 0u);
  EXPECT_EQ(state(id), TxnState::Completed);
}

} // namespace
} // namespace gh::sip::test
