#pragma once
// INVITE client transaction, RFC 3261 §17.1.1 with RFC 6026's Accepted state.
//
//   Calling --1xx--> Proceeding --2xx--> Accepted --M--> Terminated
//      |  A: retransmit (UDP, T1 doubling)   \--300-699 (ACK sent)--> Completed --D--> Terminated
//      B: timeout -> Terminated

#include <optional>
#include <string>

#include "sip/transaction/transaction.h"

namespace gh::sip {

class InviteClientTransaction final : public Transaction {
public:
  InviteClientTransaction(TxnHost& host, TxnId id, Message request, const Flow& flow,
                          std::string key);

  void start() override;
  void onResponse(const Message& response, const Flow& flow) override;
  TxnResult<void> cancel() override;
  void onTimer(TimerName timer) override;

  bool cancelRequested() const { return cancel_requested_; }

private:
  void sendCancel();

  Duration interval_a_{};
  std::string ack_; // the non-2xx ACK, resent for each retransmitted final response
  bool cancel_requested_ = false;
  bool cancel_sent_ = false;
};

} // namespace gh::sip
