#pragma once
// The RFC 3261 §17 transaction layer: owns every client and server transaction, matches incoming
// messages to them, runs their timers and tells the TU what happened (TransactionUser).
//
//   TransactionLayer layer(timers, transport, tu, settings);
//   layer.handleMessage(std::move(parsed), flow);             // from the transport
//   auto id = layer.sendRequest(invite_text, flow);           // new client transaction
//   layer.respond(server_id, 180, {.to_tag = tag});           // answer a server transaction
//   layer.cancel(*id);                                        // CANCEL an INVITE we sent
//
// Thread: the SIP event-loop thread only; nothing here locks. Callbacks into the TU happen inside
// handleMessage(), timer callbacks and the layer's other entry points; the TU may re-enter the
// layer from them. Transactions are removed after the step that terminated them, then the TU
// gets onTerminated().

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sip/message/message.h"
#include "sip/transaction/counters.h"
#include "sip/transaction/response_builder.h"
#include "sip/transaction/settings.h"
#include "sip/transaction/timer_service.h"
#include "sip/transaction/transaction.h"
#include "sip/transaction/transaction_transport.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class TransactionLayer final : private TxnHost {
public:
  TransactionLayer(TimerService& timers, TransactionTransport& transport, TransactionUser& user,
                   TransactionSettings settings = {});
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;
  ~TransactionLayer();

  // A message the transport received and parsed. Requests go to their server transaction or
  // create one (the TU gets onRequest); responses go to their client transaction.
  void handleMessage(Message message, const Flow& flow);
  // The transport failed to send for `txn`. Reported to the transaction on a later loop turn,
  // so that the TU never hears of a failure before sendRequest() has returned its id.
  void onSendFailed(TxnId txn);

  // Starts a client transaction and sends `request` on `flow`. The top Via must carry a branch
  // from makeBranch(); ACK is not a transaction (use sendStateless()).
  TxnResult<TxnId> sendRequest(Message request, const Flow& flow);
  // The same from text (parsed first, so malformed output of a builder is caught here).
  TxnResult<TxnId> sendRequest(std::string_view request, const Flow& flow);
  // §9.1: sends a CANCEL for INVITE client transaction `invite` once it has had a provisional
  // response. The INVITE then ends with 487 as usual, or with onTimeout() after 64*T1.
  TxnResult<void> cancel(TxnId invite);
  // Bytes outside any transaction: the ACK for a 2xx, 2xx retransmissions of the dialog layer.
  void sendStateless(const Flow& flow, std::string_view bytes);

  // Answers server transaction `server`; the status code is read from the status line. 2xx to
  // INVITE may be sent again (retransmissions) while the transaction is Accepted.
  TxnResult<void> respond(TxnId server, std::string response);
  // Builds the response with buildResponse() from the transaction's request, then sends it.
  TxnResult<void> respond(TxnId server, uint16_t code, const ResponseOptions& options = {});

  // Read-only view of a live transaction (state, request, flow); nullptr once removed.
  const Transaction* find(TxnId id) const;
  // §9.2: the INVITE server transaction a CANCEL refers to.
  std::optional<TxnId> findInviteForCancel(const Message& cancel) const;

  std::size_t size() const { return txns_.size(); }

  const TransactionCounters& counters() const { return counters_; }

  const TransactionSettings& settings() const override { return settings_; }

private:
  // TxnHost
  void transmit(const Transaction& txn, std::string_view bytes) override;
  TimerHandle arm(const Transaction& txn, TimerName timer, Duration delay) override;
  void disarm(TimerHandle handle) override;
  void retire(Transaction& txn) override;
  void sendCancelFor(const Transaction& invite) override;

  TransactionUser& user() override { return user_; }

  TransactionCounters& mutableCounters() override { return counters_; }

  TxnHost& host() { return *this; }

  class Step;
  void drain();
  void handleRequest(Message request, const Flow& flow);
  void handleAck(Message ack, const Flow& flow);
  void handleCancel(Message cancel, const Flow& flow);
  void handleResponse(Message response, const Flow& flow);
  void respondStateless(const Message& request, const Flow& flow, uint16_t code);
  bool overCapacity(const Message& message);
  Transaction* lookup(TxnId id) const;
  Transaction* lookupKey(const std::unordered_map<std::string, TxnId>& keys,
                         const std::string& key) const;
  TxnResult<TxnId> startClient(Message request, const Flow& flow, bool internal);
  void timerFired(TxnId id, TimerName timer);
  void sendFailed(TxnId id, TimerHandle handle);

  TimerService& timers_;
  TransactionTransport& transport_;
  TransactionUser& user_;
  TransactionSettings settings_;
  TransactionCounters counters_;
  TxnId next_id_ = 1;
  std::unordered_map<TxnId, TransactionPtr> txns_;
  std::unordered_map<std::string, TxnId> client_keys_;
  std::unordered_map<std::string, TxnId> server_keys_;
  std::vector<TxnId> retiring_;
  std::unordered_set<TimerHandle> failure_timers_;
  int depth_ = 0;
  bool destroying_ = false;
};

} // namespace gh::sip
