#pragma once
// Non-INVITE server transaction, RFC 3261 §17.2.2.
//
//   Trying --1xx--> Proceeding --200-699--> Completed --J--> Terminated
//   Retransmitted requests: absorbed in Trying, answered with the last response afterwards.

#include <string>

#include "sip/transaction/transaction.h"

namespace gh::sip {

class NonInviteServerTransaction final : public Transaction {
public:
  NonInviteServerTransaction(TxnHost& host, TxnId id, Message request, const Flow& flow,
                             std::string key);

  void onRetransmittedRequest() override;
  TxnResult<void> respond(std::string bytes, uint16_t code) override;
  void onTimer(TimerName timer) override;

private:
  std::string last_response_;
};

} // namespace gh::sip
