#include "sip/transaction/transaction.h"

#include "common/log.h"

namespace gh::sip {
namespace {

TxnState initialState(TxnKind kind) {
  switch (kind) {
  case TxnKind::InviteClient: return TxnState::Calling;
  case TxnKind::InviteServer: return TxnState::Proceeding;
  case TxnKind::NonInviteClient:
  case TxnKind::NonInviteServer: return TxnState::Trying;
  }
  return TxnState::Terminated;
}

} // namespace

Transaction::Transaction(TxnHost& host, TxnId id, TxnKind kind, Message request, const Flow& flow,
                         std::string key)
    : host_(host), id_(id), kind_(kind), state_(initialState(kind)), request_(std::move(request)),
      flow_(flow), key_(std::move(key)) {}

Transaction::~Transaction() {
  disarmAll();
}

void Transaction::onTransportError() {
  counters().transport_errors++;
  GH_LOG_INFO(Module::Transaction, "call-id={} txn={} {} {}: transport error", callId(), id_,
              txnKindName(kind_), request_.methodText());
  bool tell = isClient(kind_) && !internal_ && !terminated();
  terminate();
  if (tell) {
    host_.user().onTransportError(id_);
  }
}

void Transaction::setState(TxnState next) {
  GH_LOG_DEBUG(Module::Transaction, "call-id={} txn={} {} {} {} -> {}", callId(), id_,
               txnKindName(kind_), request_.methodText(), txnStateName(state_), txnStateName(next));
  state_ = next;
}

void Transaction::send(std::string_view bytes) {
  host_.transmit(*this, bytes);
}

void Transaction::resend(std::string_view bytes) {
  counters().retransmissions_sent++;
  host_.transmit(*this, bytes);
}

void Transaction::arm(TimerName timer, Duration delay) {
  disarm(timer);
  timers_[index(timer)] = host_.arm(*this, timer, delay);
}

void Transaction::disarm(TimerName timer) {
  TimerHandle& h = timers_[index(timer)];
  if (h != 0) {
    host_.disarm(h);
    h = 0;
  }
}

void Transaction::disarmAll() {
  for (TimerHandle& h : timers_) {
    if (h != 0) {
      host_.disarm(h);
      h = 0;
    }
  }
}

void Transaction::terminate() {
  if (state_ == TxnState::Terminated) {
    return;
  }
  disarmAll();
  setState(TxnState::Terminated);
  host_.retire(*this);
}

void Transaction::notifyResponse(const Message& response, const Flow& flow) {
  if (!internal_) {
    host_.user().onResponse(id_, response, flow);
  }
}

void Transaction::notifyTimeout() {
  counters().timeouts++;
  GH_LOG_INFO(Module::Transaction, "call-id={} txn={} {} {} timed out in {}", callId(), id_,
              txnKindName(kind_), request_.methodText(), txnStateName(state_));
  if (!internal_) {
    host_.user().onTimeout(id_);
  }
}

} // namespace gh::sip
