#pragma once
// INVITE server transaction, RFC 3261 §17.2.1 with RFC 6026's Accepted state.
//
//   Proceeding --2xx--> Accepted --L--> Terminated        (ACKs for the 2xx go to the TU)
//       \--300-699--> Completed --ACK--> Confirmed --I--> Terminated
//   100 Trying per TransactionSettings::trying_delay; G: resend non-2xx (UDP, T1 doubling to T2);
//   H: no ACK -> Terminated.

#include <string>

#include "sip/transaction/transaction.h"

namespace gh::sip {

class InviteServerTransaction final : public Transaction {
public:
  InviteServerTransaction(TxnHost& host, TxnId id, Message request, const Flow& flow,
                          std::string key);

  void start() override;
  void onRetransmittedRequest() override;
  void onAck(const Message& ack, const Flow& flow) override;
  TxnResult<void> respond(std::string bytes, uint16_t code) override;
  void onTimer(TimerName timer) override;

  uint16_t lastStatus() const { return last_code_; }

private:
  void sendTrying();

  std::string last_response_;
  uint16_t last_code_ = 0;
  Duration interval_g_{};
};

} // namespace gh::sip
