#pragma once
// What the transaction layer tells its transaction user (the dialog/call layer). Every callback
// runs on the SIP event-loop thread, from inside TransactionLayer::handleMessage(), a timer or
// onSendFailed(); the TU may call back into the layer from any of them (respond, send, cancel).
// Views into a Message passed here are valid only during the callback.

#include "sip/message/message.h"
#include "sip/transaction/types.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class TransactionUser {
public:
  virtual ~TransactionUser() = default;

  // A new request created server transaction `server` (never ACK or CANCEL). Answer it with
  // TransactionLayer::respond(). For INVITE a 100 Trying may already have gone out.
  virtual void onRequest(TxnId server, const Message& request, const Flow& flow) = 0;
  // An ACK that is not part of a non-2xx INVITE transaction: the ACK for a 2xx (dialog layer), or
  // one that matches nothing. Never answered.
  virtual void onAck(const Message& ack, const Flow& flow) = 0;
  // A CANCEL matched INVITE server transaction `invite_server`, which has no final response yet.
  // The layer has already answered the CANCEL 200; the TU should answer the INVITE 487.
  virtual void onCancel(TxnId invite_server, const Message& cancel) = 0;
  // A response for client transaction `client`: provisionals, the final one, and for INVITE
  // every 2xx retransmission seen in the Accepted state (RFC 6026 §8.4: the TU ACKs each).
  virtual void onResponse(TxnId client, const Message& response, const Flow& flow) = 0;
  // A 2xx to INVITE that matched no client transaction: a late retransmission or another fork.
  // Other stray responses are dropped by the layer and counted.
  virtual void onStrayResponse(const Message& response, const Flow& flow) = 0;
  // Timer B or F (or the CANCEL guard) fired: no final response. The B2BUA answers 408 upstream.
  virtual void onTimeout(TxnId client) = 0;
  // The transport could not send for client transaction `client` (§17.1.4). The B2BUA answers 503.
  virtual void onTransportError(TxnId client) = 0;

  // Transaction `id` is gone; its id will never be seen again. Default: nothing to clean up.
  virtual void onTerminated(TxnId /*id*/, TxnKind /*kind*/) {}
};

} // namespace gh::sip
