#pragma once
// Non-INVITE client transaction, RFC 3261 §17.1.2 (and RFC 4320's cap on E in Proceeding).
//
//   Trying --1xx--> Proceeding --200-699--> Completed --K--> Terminated
//   E: retransmit (UDP; T1 doubling to T2; T2 in Proceeding)   F: timeout -> Terminated

#include "sip/transaction/transaction.h"

namespace gh::sip {

class NonInviteClientTransaction final : public Transaction {
public:
  NonInviteClientTransaction(TxnHost& host, TxnId id, Message request, const Flow& flow,
                             std::string key);

  void start() override;
  void onResponse(const Message& response, const Flow& flow) override;
  void onTimer(TimerName timer) override;

private:
  Duration interval_e_{};
};

} // namespace gh::sip
