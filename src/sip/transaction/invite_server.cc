#include "sip/transaction/invite_server.h"

#include <algorithm>

#include "common/log.h"
#include "sip/transaction/response_builder.h"

namespace gh::sip {

InviteServerTransaction::InviteServerTransaction(TxnHost& host, TxnId id, Message request,
                                                 const Flow& flow, std::string key)
    : Transaction(host, id, TxnKind::InviteServer, std::move(request), flow, std::move(key)) {}

void InviteServerTransaction::start() {
  const auto& delay = settings().trying_delay;
  if (!delay) {
    return;
  }
  if (delay->count() <= 0) {
    sendTrying();
  } else {
    arm(TimerName::Trying100, *delay);
  }
}

void InviteServerTransaction::sendTrying() {
  last_response_ = buildResponse(request(), 100);
  last_code_ = 100;
  send(last_response_);
}

void InviteServerTransaction::onRetransmittedRequest() {
  counters().retransmissions_absorbed++;
  switch (state()) {
  case TxnState::Proceeding:
    // §17.2.1: resend the latest provisional; with none yet there is nothing to send.
    if (!last_response_.empty()) {
      resend(last_response_);
    }
    return;
  case TxnState::Completed: resend(last_response_); return;
  default: return; // Confirmed, Accepted: absorbed
  }
}

void InviteServerTransaction::onAck(const Message& ack, const Flow& flow) {
  switch (state()) {
  case TxnState::Completed:
    disarm(TimerName::G);
    disarm(TimerName::H);
    setState(TxnState::Confirmed);
    if (reliable()) {
      terminate();
    } else {
      arm(TimerName::I, settings().t4);
    }
    return;
  case TxnState::Accepted:
    // RFC 6026 §8.7: the ACK for a 2xx belongs to the TU (dialog layer).
    host_.user().onAck(ack, flow);
    return;
  case TxnState::Confirmed: counters().retransmissions_absorbed++; return;
  default: return;
  }
}

TxnResult<void> InviteServerTransaction::respond(std::string bytes, uint16_t code) {
  if (state() == TxnState::Accepted && code >= 200 && code < 300) {
    send(bytes); // the TU retransmits its 2xx itself (§13.3.1.4)
    return {};
  }
  if (state() != TxnState::Proceeding) {
    return txnFail(TxnError::WrongState);
  }
  disarm(TimerName::Trying100);
  last_response_ = std::move(bytes);
  last_code_ = code;
  send(last_response_);
  if (code < 200) {
    return {};
  }
  if (code < 300) {
    setState(TxnState::Accepted);
    arm(TimerName::L, settings().timerB());
    return {};
  }
  setState(TxnState::Completed);
  if (!reliable()) {
    interval_g_ = settings().t1;
    arm(TimerName::G, interval_g_);
  }
  arm(TimerName::H, settings().timerB());
  return {};
}

void InviteServerTransaction::onTimer(TimerName timer) {
  switch (timer) {
  case TimerName::Trying100:
    if (state() == TxnState::Proceeding && last_code_ == 0) {
      sendTrying();
    }
    return;
  case TimerName::G:
    if (state() == TxnState::Completed) {
      resend(last_response_);
      interval_g_ = std::min(interval_g_ * 2, settings().t2);
      arm(TimerName::G, interval_g_);
    }
    return;
  case TimerName::H:
    if (state() == TxnState::Completed) {
      counters().timeouts++;
      GH_LOG_INFO(Module::Transaction, "call-id={} txn={} no ACK for {} (Timer H)", callId(), id(),
                  last_code_);
      terminate();
    }
    return;
  case TimerName::I:
  case TimerName::L: terminate(); return;
  default: return;
  }
}

} // namespace gh::sip
