#pragma once
// The part the four RFC 3261 §17 state machines share: identity, the request, the flow, timers,
// and the host (the TransactionLayer) they act through. Owned by the TransactionLayer; the TU
// sees transactions only by TxnId and through the read-only accessors.

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "sip/message/message.h"
#include "sip/transaction/counters.h"
#include "sip/transaction/settings.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transaction/types.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class Transaction;

// What a state machine needs from its owner. Implemented by TransactionLayer.
class TxnHost {
public:
  virtual void transmit(const Transaction& txn, std::string_view bytes) = 0;
  virtual TimerHandle arm(const Transaction& txn, TimerName timer, Duration delay) = 0;
  virtual void disarm(TimerHandle handle) = 0;
  // The transaction reached Terminated: remove it once the current step is over.
  virtual void retire(Transaction& txn) = 0;
  // Build and send the CANCEL for INVITE client transaction `invite` (§9.1).
  virtual void sendCancelFor(const Transaction& invite) = 0;
  virtual TransactionUser& user() = 0;
  virtual const TransactionSettings& settings() const = 0;
  virtual TransactionCounters& mutableCounters() = 0;

protected:
  ~TxnHost() = default;
};

class Transaction {
public:
  Transaction(TxnHost& host, TxnId id, TxnKind kind, Message request, const Flow& flow,
              std::string key);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  virtual ~Transaction();

  TxnId id() const { return id_; }

  TxnKind kind() const { return kind_; }

  TxnState state() const { return state_; }

  bool terminated() const { return state_ == TxnState::Terminated; }

  const Message& request() const { return request_; }

  const Flow& flow() const { return flow_; }

  const std::string& key() const { return key_; }

  bool reliable() const { return isReliable(flow_.transport); }

  std::string_view callId() const { return request_.callId(); }

  // Internal transactions (the layer's own CANCELs) never reach the TU.
  bool internal() const { return internal_; }

  void setInternal() { internal_ = true; }

  // Events, dispatched by the layer. Defaults ignore what a kind never receives.
  virtual void start() {}

  virtual void onResponse(const Message& /*response*/, const Flow& /*flow*/) {}

  virtual void onRetransmittedRequest() {}

  virtual void onAck(const Message& /*ack*/, const Flow& /*flow*/) {}

  virtual TxnResult<void> respond(std::string /*bytes*/, uint16_t /*code*/) {
    return txnFail(TxnError::WrongKind);
  }

  virtual TxnResult<void> cancel() { return txnFail(TxnError::WrongKind); }

  virtual void onTimer(TimerName timer) = 0;
  // §17.1.4 / §17.2.4: the transport failed. Clients tell the TU; servers just end.
  virtual void onTransportError();

  void timerFired(TimerName timer) { timers_[index(timer)] = 0; }

protected:
  void setState(TxnState next);
  void send(std::string_view bytes);
  void resend(std::string_view bytes); // counted as a retransmission
  void arm(TimerName timer, Duration delay);
  void disarm(TimerName timer);
  void disarmAll();
  void terminate();

  void notifyResponse(const Message& response, const Flow& flow);
  void notifyTimeout();

  const TransactionSettings& settings() const { return host_.settings(); }

  TransactionCounters& counters() { return host_.mutableCounters(); }

  TxnHost& host_;

private:
  static std::size_t index(TimerName t) { return static_cast<std::size_t>(t); }

  TxnId id_;
  TxnKind kind_;
  TxnState state_;
  bool internal_ = false;
  Message request_;
  Flow flow_;
  std::string key_;
  std::array<TimerHandle, static_cast<std::size_t>(TimerName::Count)> timers_{};
};

using TransactionPtr = std::unique_ptr<Transaction>;

} // namespace gh::sip
