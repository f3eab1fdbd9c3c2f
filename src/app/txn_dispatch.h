#pragma once
// The transaction layer reports to one TransactionUser; two own client transactions in `run`:
// the B2BUA (calls) and the OPTIONS pinger (keep-alives). This hands each client transaction's
// events to its owner and every server-side event to the B2BUA.
// Thread: the SIP loop only.

#include "call/b2bua.h"
#include "call/options_pinger.h"
#include "sip/transaction/transaction_user.h"

namespace gh::app {

class TxnDispatch final : public sip::TransactionUser {
public:
  TxnDispatch(call::B2bua& b2bua, call::OptionsPinger& pinger) : b2bua_(b2bua), pinger_(pinger) {}

  void onRequest(sip::TxnId server, const sip::Message& request, const sip::Flow& flow) override {
    b2bua_.onRequest(server, request, flow);
  }

  void onAck(const sip::Message& ack, const sip::Flow& flow) override { b2bua_.onAck(ack, flow); }

  void onCancel(sip::TxnId invite_server, const sip::Message& cancel) override {
    b2bua_.onCancel(invite_server, cancel);
  }

  void onResponse(sip::TxnId client, const sip::Message& response, const sip::Flow& flow) override {
    if (pinger_.owns(client)) {
      pinger_.onResponse(client, response);
    } else {
      b2bua_.onResponse(client, response, flow);
    }
  }

  void onStrayResponse(const sip::Message& response, const sip::Flow& flow) override {
    b2bua_.onStrayResponse(response, flow);
  }

  void onTimeout(sip::TxnId client) override {
    if (pinger_.owns(client)) {
      pinger_.onFailure(client, "no response (timeout)");
    } else {
      b2bua_.onTimeout(client);
    }
  }

  void onTransportError(sip::TxnId client) override {
    if (pinger_.owns(client)) {
      pinger_.onFailure(client, "transport error");
    } else {
      b2bua_.onTransportError(client);
    }
  }

  void onTerminated(sip::TxnId id, sip::TxnKind kind) override {
    if (sip::isClient(kind) && pinger_.owns(id)) {
      pinger_.onTerminated(id);
      return;
    }
    b2bua_.onTerminated(id, kind);
  }

private:
  call::B2bua& b2bua_;
  call::OptionsPinger& pinger_;
};

} // namespace gh::app
