#pragma once
// A TransactionLayer on simulated time with a recording transport and TU.

#include <memory>

#include "sip/transaction/manual_timer_service.h"
#include "unit/sip/transaction/support.h"

namespace gh::sip::test {

using namespace std::chrono_literals;

class TxnFixture : public ::testing::Test {
protected:
  TxnFixture() { make({}); }

  void make(const TransactionSettings& s) {
    layer.reset();
    layer = std::make_unique<TransactionLayer>(timers, transport, tu, s);
    transport.layer = layer.get();
    transport.clock = &timers;
  }

  void receive(std::string_view text, const Flow& flow = udp()) {
    layer->handleMessage(parse(text), flow);
  }

  TxnId send(const Req& r, const Flow& flow = udp()) {
    auto id = layer->sendRequest(r.text(), flow);
    EXPECT_TRUE(id) << (id ? "" : txnErrorName(id.error()));
    return id ? *id : 0;
  }

  TxnState state(TxnId id) const {
    const Transaction* t = layer->find(id);
    return t == nullptr ? TxnState::Terminated : t->state();
  }

  bool gone(TxnId id) const { return layer->find(id) == nullptr; }

  // The id the TU was given with the last onRequest.
  TxnId lastServer() const {
    for (auto it = tu.events.rbegin(); it != tu.events.rend(); ++it) {
      if (it->type == RecordingTu::Type::Request) {
        return it->id;
      }
    }
    return 0;
  }

  // A client request whose Via is ours, so that Resp{} (same branch) matches it.
  static Req clientReq(std::string method = "INVITE", std::string transport = "UDP") {
    Req r;
    r.method = std::move(method);
    r.vias = {"SIP/2.0/" + transport + " 192.0.2.10:5060;branch=z9hG4bKclient"};
    return r;
  }

  static Resp resp(int code, std::string method = "INVITE", std::string reason = "X") {
    Resp r;
    r.code = code;
    r.method = std::move(method);
    r.reason = std::move(reason);
    return r;
  }

  ManualTimerService timers;
  FakeTransport transport;
  RecordingTu tu;
  std::unique_ptr<TransactionLayer> layer;
};

} // namespace gh::sip::test
