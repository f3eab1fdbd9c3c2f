#pragma once
// How the transaction layer puts bytes on the wire. The implementation (sip/transport) resolves
// nothing: the Flow says which socket or connection and which peer. Reliability is
// isReliable(flow.transport), which decides which retransmission timers run.
//
// send() may fail at once or later (TCP connect refused, ICMP, TLS handshake): the transport then
// calls TransactionLayer::onSendFailed(txn) on the SIP loop. Calling it from inside send() is
// allowed; the layer defers it until its current step is finished.

#include <string_view>

#include "sip/transaction/types.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class TransactionTransport {
public:
  virtual ~TransactionTransport() = default;
  // `bytes` is valid only during the call. `txn` is 0 for stateless sends (2xx ACKs, stateless
  // 503/481, 2xx retransmissions by the dialog layer).
  virtual void send(const Flow& flow, std::string_view bytes, TxnId txn) = 0;
};

} // namespace gh::sip
