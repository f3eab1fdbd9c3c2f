#include "sip/transaction/non_invite_server.h"

#include "unit/sip/transaction/fixture.h"

namespace gh::sip::test {
namespace {

using Type = RecordingTu::Type;

class NonInviteServerTest : public TxnFixture {
protected:
  static Req request(std::string method = "OPTIONS", std::string via_transport = "UDP") {
    Req r;
    r.method = std::move(method);
    r.vias = {"SIP/2.0/" + via_transport + " 192.0.2.1:5060;branch=z9hG4bKnis"};
    return r;
  }
};

TEST_F(NonInviteServerTest, TryingAbsorbsRetransmissionsSilently) {
  receive(request().text());
  TxnId id = lastServer();
  EXPECT_EQ(state(id), TxnState::Trying);
  EXPECT_TRUE(transport.sent.empty()); // no automatic 100 for non-INVITE
  receive(request().text());
  receive(request().text());
  EXPECT_TRUE(transport.sent.empty());
  EXPECT_EQ(tu.count(Type::Request), 1u);
  EXPECT_EQ(layer->counters().retransmissions_absorbed, 2u);
}

TEST_F(NonInviteServerTest, ProceedingRepeatsTheProvisional) {
  receive(request("REGISTER").text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 100));
  EXPECT_EQ(state(id), TxnState::Proceeding);
  receive(request("REGISTER").text());
  EXPECT_EQ(transport.count("SIP/2.0 100"), 2u);
}

TEST_F(NonInviteServerTest, CompletedRepeatsTheFinalUntilTimerJ) {
  receive(request().text());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 200, ResponseOptions().withToTag("t")));
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(10s);
  EXPECT_EQ(transport.count("SIP/2.0 200"), 1u); // no retransmission timer for non-INVITE
  receive(request().text());
  EXPECT_EQ(transport.count("SIP/2.0 200"), 2u);
  EXPECT_EQ(transport.sent[0].bytes, transport.sent[1].bytes);
  EXPECT_EQ(layer->respond(id, 500).error(), TxnError::WrongState);
  timers.advance(21999ms); // J = 64*T1 after the response
  EXPECT_EQ(state(id), TxnState::Completed);
  timers.advance(1ms);
  EXPECT_TRUE(gone(id));
  receive(request().text()); // a new transaction now
  EXPECT_EQ(tu.count(Type::Request), 2u);
}

TEST_F(NonInviteServerTest, ReliableTimerJIsZero) {
  receive(request("BYE", "TCP").text(), tcp());
  TxnId id = lastServer();
  ASSERT_TRUE(layer->respond(id, 200));
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(tu.events.back().type, Type::Terminated);
  EXPECT_EQ(layer->counters().server_active, 0u);
}

} // namespace
} // namespace gh::sip::test
