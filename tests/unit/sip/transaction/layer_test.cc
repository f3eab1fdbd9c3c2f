#include "sip/transaction/transaction_layer.h"
#include "unit/sip/transaction/fixture.h"

namespace gh::sip::test {
namespace {

using Type = RecordingTu::Type;

class LayerTest : public TxnFixture {
protected:
  static Req invite(std::string branch = "z9hG4bKinv", std::string sent_by = "192.0.2.1:5060") {
    Req r;
    r.vias = {"SIP/2.0/UDP " + sent_by + ";branch=" + branch};
    return r;
  }

  static Req cancelOf(const Req& invite) {
    Req c = invite;
    c.method = "CANCEL";
    c.extra.clear();
    c.body.clear();
    return c;
  }
};

TEST_F(LayerTest, ServerMatchingUsesBranchSentByAndMethod) {
  receive(invite().text());
  receive(invite().text());                               // retransmission
  receive(invite("z9hG4bKother").text());                 // other branch
  receive(invite("z9hG4bKinv", "192.0.2.2:5060").text()); // other sent-by
  receive(invite("z9hG4bKinv", "192.0.2.1").text());      // 5060 is the default port: same
  receive(invite("z9hG4bKinv", "192.0.2.1:5062").text());
  Req bye = invite();
  bye.method = "BYE";
  receive(bye.text()); // same branch, other method
  EXPECT_EQ(tu.count(Type::Request), 5u);
  EXPECT_EQ(layer->counters().server_created, 5u);
  EXPECT_EQ(layer->counters().retransmissions_absorbed, 2u);
}

TEST_F(LayerTest, Rfc2543RequestsMatchWithoutMagicCookie) {
  Req old = invite("oldbranch1");
  receive(old.text());
  TxnId id = lastServer();
  receive(old.text());
  EXPECT_EQ(tu.count(Type::Request), 1u);
  Req other = old;
  other.cseq = 2;
  receive(other.text());
  EXPECT_EQ(tu.count(Type::Request), 2u);
  ASSERT_TRUE(layer->respond(id, 486, ResponseOptions().withToTag("x")));
  Req ack = old;
  ack.method = "ACK";
  ack.to += ";tag=x";
  receive(ack.text());
  EXPECT_EQ(state(id), TxnState::Confirmed);
}

TEST_F(LayerTest, CancelMatchesItsInviteAndIsAnsweredByTheLayer) {
  Req inv = invite();
  receive(inv.text());
  TxnId invite_id = lastServer();
  ASSERT_EQ(layer->findInviteForCancel(parse(cancelOf(inv).text())), invite_id);
  receive(cancelOf(inv).text());
  ASSERT_EQ(tu.count(Type::Cancel), 1u);
  EXPECT_EQ(tu.events.back().id, invite_id);
  ASSERT_EQ(transport.count("SIP/2.0 200"), 1u);
  Message ok = transport.last();
  EXPECT_EQ(ok.cseq().method, Method::Cancel);
  EXPECT_FALSE(ok.to().tag().empty());
  receive(cancelOf(inv).text()); // retransmitted CANCEL: same 200, TU not bothered again
  EXPECT_EQ(transport.count("SIP/2.0 200"), 2u);
  EXPECT_EQ(tu.count(Type::Cancel), 1u);
  EXPECT_EQ(tu.count(Type::Request), 1u); // CANCEL never reaches onRequest
  ASSERT_TRUE(layer->respond(invite_id, 487, ResponseOptions().withToTag("x")));
  EXPECT_EQ(transport.count("SIP/2.0 487"), 1u);
}

TEST_F(LayerTest, CancelAfterFinalResponseIsAnsweredButNotPassedOn) {
  Req inv = invite();
  receive(inv.text());
  ASSERT_TRUE(layer->respond(lastServer(), 200, ResponseOptions().withToTag("x")));
  receive(cancelOf(inv).text());
  EXPECT_EQ(tu.count(Type::Cancel), 0u);
  EXPECT_EQ(transport.count("SIP/2.0 200"), 2u);
}

TEST_F(LayerTest, CancelWithoutInviteGets481) {
  receive(cancelOf(invite()).text());
  Req wrong_branch = cancelOf(invite("z9hG4bKnope"));
  receive(wrong_branch.text());
  EXPECT_EQ(transport.count("SIP/2.0 481"), 2u);
  EXPECT_EQ(tu.events.size(), 0u);
  EXPECT_EQ(layer->counters().stateless_responses, 2u);
  EXPECT_EQ(layer->size(), 0u);
}

TEST_F(LayerTest, StrayResponses) {
  receive(resp(200).text()); // 2xx to INVITE: the dialog layer may need it (fork, late)
  receive(resp(180).text());
  receive(resp(200, "BYE").text());
  EXPECT_EQ(tu.count(Type::Stray), 1u);
  EXPECT_EQ(tu.events[0].code, 200);
  EXPECT_EQ(layer->counters().stray_responses, 3u);
  EXPECT_TRUE(transport.sent.empty());
}

TEST_F(LayerTest, StrayAckGoesToTheTu) {
  Req ack = invite();
  ack.method = "ACK";
  ack.to += ";tag=x";
  receive(ack.text());
  EXPECT_EQ(tu.count(Type::Ack), 1u);
  EXPECT_EQ(layer->counters().stray_acks, 1u);
  EXPECT_EQ(layer->size(), 0u);
}

TEST_F(LayerTest, CapRefusesNewServerTransactionsWith503) {
  TransactionSettings s;
  s.max_transactions = 2;
  make(s);
  receive(invite("z9hG4bK1").text());
  receive(invite("z9hG4bK2").text());
  receive(invite("z9hG4bK3").text());
  EXPECT_EQ(tu.count(Type::Request), 2u);
  EXPECT_EQ(transport.count("SIP/2.0 503"), 1u);
  EXPECT_EQ(layer->counters().refused_over_capacity, 1u);
  EXPECT_EQ(layer->size(), 2u);
  auto refused = layer->sendRequest(clientReq("OPTIONS").text(), udp());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), TxnError::OverCapacity);
  // Room again once a transaction ends.
  ASSERT_TRUE(layer->respond(lastServer(), 486));
  receive(invite("z9hG4bK2").text()); // a retransmission is still absorbed
  timers.advance(32s);
  receive(invite("z9hG4bK4").text());
  EXPECT_EQ(tu.count(Type::Request), 3u);
}

TEST_F(LayerTest, TransportErrorFailsClientTransactionAfterSendReturns) {
  transport.fail = true;
  auto id = layer->sendRequest(clientReq().text(), udp());
  ASSERT_TRUE(id);
  EXPECT_EQ(tu.count(Type::TransportError), 0u); // not before the TU knows the id
  EXPECT_FALSE(gone(*id));
  timers.advance(0ms);
  ASSERT_EQ(tu.count(Type::TransportError), 1u);
  EXPECT_EQ(tu.events[0].id, *id);
  EXPECT_TRUE(gone(*id));
  EXPECT_EQ(tu.count(Type::Timeout), 0u);
  EXPECT_EQ(layer->counters().transport_errors, 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(LayerTest, LateTransportErrorAlsoFails) {
  TxnId id = send(clientReq("OPTIONS"));
  timers.advance(100ms);
  layer->onSendFailed(id);
  layer->onSendFailed(424242); // unknown ids are ignored
  timers.advance(1ms);
  EXPECT_EQ(tu.count(Type::TransportError), 1u);
  EXPECT_TRUE(gone(id));
}

TEST_F(LayerTest, ServerTransportErrorEndsTheTransactionQuietly) {
  receive(invite().text());
  TxnId id = lastServer();
  layer->onSendFailed(id);
  timers.advance(1ms);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(tu.count(Type::TransportError), 0u);
}

TEST_F(LayerTest, SendRequestValidation) {
  EXPECT_EQ(layer->sendRequest("not sip", udp()).error(), TxnError::BadMessage);
  Req ack = clientReq("ACK");
  EXPECT_EQ(layer->sendRequest(ack.text(), udp()).error(), TxnError::BadMessage);
  Req no_cookie = clientReq("OPTIONS");
  no_cookie.vias = {"SIP/2.0/UDP 192.0.2.10;branch=1234"};
  EXPECT_EQ(layer->sendRequest(no_cookie.text(), udp()).error(), TxnError::BadMessage);
  send(clientReq("OPTIONS"));
  EXPECT_EQ(layer->sendRequest(clientReq("OPTIONS").text(), udp()).error(), TxnError::Duplicate);
  EXPECT_EQ(layer->cancel(12345).error(), TxnError::NotFound);
}

TEST_F(LayerTest, TuMayAnswerFromInsideOnRequest) {
  tu.on_request = [this](TxnId id, const Message&) { ASSERT_TRUE(layer->respond(id, 200)); };
  Req options = invite();
  options.method = "OPTIONS";
  options.vias = {"SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKo"};
  receive(options.text(), tcp());
  // Reliable: Completed then Terminated at once, removed only after onRequest returned.
  EXPECT_EQ(transport.count("SIP/2.0 200"), 1u);
  EXPECT_EQ(tu.events.back().type, Type::Terminated);
  EXPECT_EQ(layer->size(), 0u);
}

TEST_F(LayerTest, CountersReturnToBaselineAfterTraffic) {
  for (int i = 0; i < 20; ++i) {
    std::string branch = "z9hG4bKbulk" + std::to_string(i);
    receive(invite(branch).text());
    ASSERT_TRUE(layer->respond(lastServer(), i % 2 == 0 ? 200 : 404));
    Req c = clientReq("OPTIONS");
    c.vias = {"SIP/2.0/UDP 192.0.2.10:5060;branch=" + branch};
    send(c);
  }
  EXPECT_EQ(layer->size(), 40u);
  timers.advance(60s);
  EXPECT_EQ(layer->size(), 0u);
  EXPECT_EQ(layer->counters().client_active, 0u);
  EXPECT_EQ(layer->counters().server_active, 0u);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(tu.count(Type::Terminated), 40u);
}

TEST_F(LayerTest, DestroyingTheLayerCancelsItsTimers) {
  send(clientReq());
  receive(invite().text());
  layer->onSendFailed(1);
  EXPECT_GT(timers.pending(), 0u);
  layer.reset();
  EXPECT_EQ(timers.pending(), 0u);
  timers.advance(60s);
}

} // namespace
} // namespace gh::sip::test
