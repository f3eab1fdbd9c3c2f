#include "sip/transaction/non_invite_client.h"

#include <algorithm>

namespace gh::sip {

NonInviteClientTransaction::NonInviteClientTransaction(TxnHost& host, TxnId id, Message request,
                                                       const Flow& flow, std::string key)
    : Transaction(host, id, TxnKind::NonInviteClient, std::move(request), flow, std::move(key)) {}

void NonInviteClientTransaction::start() {
  send(request().wire());
  if (!reliable()) {
    interval_e_ = settings().t1;
    arm(TimerName::E, interval_e_);
  }
  arm(TimerName::F, settings().timerB());
}

void NonInviteClientTransaction::onResponse(const Message& response, const Flow& flow) {
  uint16_t code = response.statusCode();
  switch (state()) {
  case TxnState::Trying:
  case TxnState::Proceeding:
    if (code < 200) {
      setState(TxnState::Proceeding);
      notifyResponse(response, flow);
      return;
    }
    disarm(TimerName::E);
    disarm(TimerName::F);
    setState(TxnState::Completed);
    notifyResponse(response, flow);
    if (reliable()) {
      terminate();
    } else {
      arm(TimerName::K, settings().t4);
    }
    return;
  case TxnState::Completed: counters().retransmissions_absorbed++; return;
  default: return;
  }
}

void NonInviteClientTransaction::onTimer(TimerName timer) {
  switch (timer) {
  case TimerName::E:
    if (state() == TxnState::Trying || state() == TxnState::Proceeding) {
      resend(request().wire());
      // §17.1.2.2: doubling up to T2 while Trying; once a provisional came, every T2.
      interval_e_ =
          state() == TxnState::Trying ? std::min(interval_e_ * 2, settings().t2) : settings().t2;
      arm(TimerName::E, interval_e_);
    }
    return;
  case TimerName::F:
    if (state() == TxnState::Trying || state() == TxnState::Proceeding) {
      notifyTimeout();
      terminate();
    }
    return;
  case TimerName::K: terminate(); return;
  default: return;
  }
}

} // namespace gh::sip
