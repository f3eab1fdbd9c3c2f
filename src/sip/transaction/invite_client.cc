#include "sip/transaction/invite_client.h"

#include "sip/transaction/derived_requests.h"

namespace gh::sip {

InviteClientTransaction::InviteClientTransaction(TxnHost& host, TxnId id, Message request,
                                                 const Flow& flow, std::string key)
    : Transaction(host, id, TxnKind::InviteClient, std::move(request), flow, std::move(key)) {}

void InviteClientTransaction::start() {
  send(request().wire());
  if (!reliable()) {
    interval_a_ = settings().t1;
    arm(TimerName::A, interval_a_);
  }
  arm(TimerName::B, settings().timerB());
}

void InviteClientTransaction::onResponse(const Message& response, const Flow& flow) {
  uint16_t code = response.statusCode();
  switch (state()) {
  case TxnState::Calling:
  case TxnState::Proceeding:
    if (code < 200) {
      disarm(TimerName::A);
      disarm(TimerName::B);
      setState(TxnState::Proceeding);
      notifyResponse(response, flow);
      if (cancel_requested_ && !cancel_sent_) {
        sendCancel(); // §9.1: a CANCEL waits for the first provisional
      }
      return;
    }
    disarm(TimerName::A);
    disarm(TimerName::B);
    disarm(TimerName::CancelGuard);
    if (code < 300) {
      // RFC 6026 §8.4: stay around for 64*T1 so that 2xx retransmissions reach the TU, which
      // ACKs each, instead of being taken for strays.
      setState(TxnState::Accepted);
      arm(TimerName::M, settings().timerB());
      notifyResponse(response, flow);
      return;
    }
    ack_ = buildNon2xxAck(request(), response);
    setState(TxnState::Completed);
    send(ack_);
    notifyResponse(response, flow);
    if (reliable()) {
      terminate();
    } else {
      arm(TimerName::D, settings().timer_d);
    }
    return;
  case TxnState::Completed:
    if (code >= 300) {
      counters().retransmissions_absorbed++;
      resend(ack_);
    }
    return;
  case TxnState::Accepted:
    if (code >= 200 && code < 300) {
      notifyResponse(response, flow);
    } else {
      counters().retransmissions_absorbed++;
    }
    return;
  default: return;
  }
}

TxnResult<void> InviteClientTransaction::cancel() {
  if (state() != TxnState::Calling && state() != TxnState::Proceeding) {
    return txnFail(TxnError::WrongState);
  }
  if (cancel_requested_) {
    return {};
  }
  cancel_requested_ = true;
  if (state() == TxnState::Proceeding) {
    sendCancel();
  }
  return {};
}

void InviteClientTransaction::sendCancel() {
  cancel_sent_ = true;
  // §9.1: if the final response never comes, give up on the INVITE after 64*T1.
  arm(TimerName::CancelGuard, settings().timerB());
  host_.sendCancelFor(*this);
}

void InviteClientTransaction::onTimer(TimerName timer) {
  switch (timer) {
  case TimerName::A:
    if (state() == TxnState::Calling) {
      resend(request().wire());
      interval_a_ *= 2;
      arm(TimerName::A, interval_a_);
    }
    return;
  case TimerName::B:
  case TimerName::CancelGuard:
    if (state() == TxnState::Calling || state() == TxnState::Proceeding) {
      notifyTimeout();
      terminate();
    }
    return;
  case TimerName::D:
  case TimerName::M: terminate(); return;
  default: return;
  }
}

} // namespace gh::sip
