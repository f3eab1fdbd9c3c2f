#include "sip/transaction/non_invite_server.h"

namespace gh::sip {

NonInviteServerTransaction::NonInviteServerTransaction(TxnHost& host, TxnId id, Message request,
                                                       const Flow& flow, std::string key)
    : Transaction(host, id, TxnKind::NonInviteServer, std::move(request), flow, std::move(key)) {}

void NonInviteServerTransaction::onRetransmittedRequest() {
  counters().retransmissions_absorbed++;
  if (state() == TxnState::Proceeding || state() == TxnState::Completed) {
    resend(last_response_);
  }
}

TxnResult<void> NonInviteServerTransaction::respond(std::string bytes, uint16_t code) {
  if (state() != TxnState::Trying && state() != TxnState::Proceeding) {
    return txnFail(TxnError::WrongState);
  }
  last_response_ = std::move(bytes);
  send(last_response_);
  if (code < 200) {
    setState(TxnState::Proceeding);
    return {};
  }
  setState(TxnState::Completed);
  if (reliable()) {
    terminate();
  } else {
    arm(TimerName::J, settings().timerB());
  }
  return {};
}

void NonInviteServerTransaction::onTimer(TimerName timer) {
  if (timer == TimerName::J) {
    terminate();
  }
}

} // namespace gh::sip
