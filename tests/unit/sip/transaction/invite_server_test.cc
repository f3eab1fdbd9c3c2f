#include "sip/transaction/invite_server.h"

#include "unit/sip/transaction/fixture.h"

namespace gh::sip::test {
namespace {

using Type = RecordingTu::Type;
using D = std::vector<Duration>;

class InviteServerTest : public TxnFixture {
protected:
  Req invite(std::string via_transport = "UDP") {
    Req r;
    r.vias = {"SIP/2.0/" + via_transport + " 192.0.2.1:5060;branch=z9hG4bKsrv;rport",
              "SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKupstream"};
    r.extra = {"Timestamp: 54", "Contact: <sip:alice@192.0.2.1>"};
    return r;
  }

  Req ack(std::string via_transport = "UDP") {
    Req r = invite(via_transport);
    r.method = "ACK";
    r.to = "<sip:bob@example.com>;tag=ours";
    r.extra.clear();
    return r;
  }
};

TEST_F(InviteServerTest, SendsTryingAtOnceByDefault) {
  receive(invite().text());
  TxnId id = lastServer();
  ASSERT_NE(id, 0u);
  EXPECT_EQ(state(id), TxnState::Proceeding);
  ASSERT_EQ(transport.count("SIP/2.0 100 Trying"), 1u);
  Message trying = transport.last();
  EXPECT_EQ(trying.vias().size(), 2u);
  EXPECT_TRUE(trying.to().tag().empty());
  EXPECT_EQ(trying.first(HeaderId::Timestamp)->value, "54");
  EXPECT_EQ(transport.sent.back().flow.remote, udp().remote);
}

TEST_F(InviteServerTest, DelayedTryingOnlyWhenTheTuIsSlow) {
  TransactionSettings s;
  s.trying_delay = 200ms;
  make(s);
  receive(invite().text());
  TxnId first = lastServer();
  timers.advance(199ms);
  EXPECT_EQ(transport.count("SIP/2.0 100"), 0u);
  timers.advance(1ms);
  EXPECT_EQ(transport.count("SIP/2.0 100"), 1u);

  Req other = invite();
  other.vias[0] = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsrv2";
  receive(other.text());
  TxnId second = lastServer();
  ASSERT_NE(first, second);
  ASSERT_TRUE(layer->respond(second, 180, ResponseOptions().withToTag("t")));
  timers.advance(1s);
  EXPECT_EQ(transport.count("SIP/2.0 100"), 1u); // the 180 made the 100 unnecessary
}

TEST_F(InviteServerTest, TryingCanBeLeftToTheTu) {
  TransactionSettings s;
  s.trying_delay = std::nullopt;
  make(s);
  receive(invite().text());
  timers.advance(5s);
  EXPECT_TRUE(transport.sent.empty());
  receive(invite().text()); // absorbed; no provisional to repeat yet
  EXPECT_TRUE(transport.sent.empty());
  EXPECT_EQ(tu.count(Type::Request), 1u);
}

TEST_F(InviteServerTest, RetransmittedInviteGetsTheLatestProvisional) {
  receive(invite().text());
  TxnId id = lastServer();
  receive(invite().text());
  EXPECT_EQ(transport.count("SIP/2.0 100"), 2u);
  ASSERT_TRUE(layer->respond(id, 180, ResponseOptions().withToTag("ours")));
  receive(invite().text());
  EXPECT_EQ(transport.count("SIP/2.0 180"), 2u);
  EXPECT_EQ(tu.count(Type::Request), 1u);
  EXPECT_EQ(layer->counters().retransmissions_absorbed, 2u);
}

TEST_F(InviteServerTest, NonTwoHundredIsRetransmittedOnGUntilTimerH) {
  receive(invite().text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 486, ResponseOptions().withToTag("ours")));
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(31999ms);
  // G: 500, 1000, 2000, 4000 then capped at T2.
  EXPECT_EQ(transport.times("SIP/2.0 486"), (D{0ms, 500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms,
                                               19500ms, 23500ms, 27500ms, 31500ms}));
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(1ms); // H = 64*T1
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(layer->counters().timeouts, 1u);
  EXPECT_EQ(tu.count(Type::Timeout), 0u); // server timeouts are counted, not the TU's business
}

TEST_F(InviteServerTest, AckConfirmsAndTimerIAbsorbsAckRetransmissions) {
  receive(invite().text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 404, ResponseOptions().withToTag("ours")));
  receive(invite().text()); // Completed: the final response again
  EXPECT_EQ(transport.count("SIP/2.0 404"), 2u);
  timers.advance(100ms);
  receive(ack().text());
  EXPECT_EQ(state(id), TxnState::Confirmed);
  receive(ack().text());
  EXPECT_EQ(tu.count(Type::Ack), 0u); // the non-2xx ACK stays in the transaction
  timers.advance(10s);
  EXPECT_EQ(transport.count("SIP/2.0 404"), 2u); // G stopped by the ACK
  EXPECT_TRUE(gone(id));                         // I = T4
}

TEST_F(InviteServerTest, TimerIIsT4OnUdp) {
  receive(invite().text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 404));
  receive(ack().text());
  timers.advance(4999ms);
  EXPECT_EQ(state(id), TxnState::Confirmed);
  timers.advance(1ms);
  EXPECT_TRUE(gone(id));
}

TEST_F(InviteServerTest, ReliableHasNoGAndZeroI) {
  receive(invite("TCP").text(), tcp());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 480));
  timers.advance(10s);
  EXPECT_EQ(transport.count("SIP/2.0 480"), 1u);
  receive(ack("TCP").text(), tcp());
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(InviteServerTest, ReliableTimesOutOnH) {
  receive(invite("TCP").text(), tcp());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 480));
  timers.advance(32s);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(layer->counters().timeouts, 1u);
}

TEST_F(InviteServerTest, TwoHundredGoesToAcceptedWhereAcksReachTheTu) {
  receive(invite().text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 200, ResponseOptions().withToTag("ours")));
  EXPECT_EQ(state(id), TxnState::Accepted);
  receive(invite().text()); // absorbed: the TU retransmits the 2xx itself
  EXPECT_EQ(transport.count("SIP/2.0 200"), 1u);
  ASSERT_TRUE(
      layer->respond(id, 200, ResponseOptions().withToTag("ours"))); // a TU retransmission passes
  EXPECT_EQ(transport.count("SIP/2.0 200"), 2u);
  EXPECT_FALSE(layer->respond(id, 180)); // nothing but 2xx once Accepted
  receive(ack().text());
  EXPECT_EQ(tu.count(Type::Ack), 1u);
  EXPECT_EQ(state(id), TxnState::Accepted);
  timers.advance(31999ms);
  EXPECT_EQ(state(id), TxnState::Accepted);
  timers.advance(1ms); // L = 64*T1
  EXPECT_TRUE(gone(id));
  receive(ack().text()); // after L, still the TU's (stray)
  EXPECT_EQ(tu.count(Type::Ack), 2u);
  EXPECT_EQ(layer->counters().stray_acks, 1u);
}

TEST_F(InviteServerTest, FinalResponseTwiceIsRefused) {
  receive(invite().text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 486));
  auto again = layer->respond(id, 200);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), TxnError::WrongState);
  EXPECT_EQ(layer->respond(id, "garbage").error(), TxnError::BadMessage);
  EXPECT_EQ(layer->respond(9999, 200).error(), TxnError::NotFound);
}

} // namespace
} // namespace gh::sip::test
