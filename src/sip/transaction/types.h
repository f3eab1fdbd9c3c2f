#pragma once
// Vocabulary of the transaction layer: ids, the four RFC 3261 §17 machines, their states (named
// as in the RFC and RFC 6026), timers and the errors the layer's API returns.

#include <cstdint>
#include <string_view>

#include "common/expected.h"

namespace gh::sip {

// Never reused within a TransactionLayer's lifetime; 0 is "no transaction".
using TxnId = uint64_t;

enum class TxnKind : uint8_t { InviteClient, NonInviteClient, InviteServer, NonInviteServer };

enum class TxnState : uint8_t {
  Calling,    // INVITE client
  Trying,     // non-INVITE client and server
  Proceeding, // all four
  Completed,  // all four
  Confirmed,  // INVITE server: ACK for a non-2xx received
  Accepted,   // RFC 6026: INVITE client and server after a 2xx
  Terminated,
};

enum class TimerName : uint8_t {
  A,           // INVITE client request retransmission (UDP)
  B,           // INVITE client timeout
  D,           // INVITE client: wait for response retransmissions after a non-2xx
  E,           // non-INVITE client request retransmission (UDP)
  F,           // non-INVITE client timeout
  G,           // INVITE server non-2xx retransmission (UDP)
  H,           // INVITE server: wait for ACK
  I,           // INVITE server: absorb ACK retransmissions
  J,           // non-INVITE server: absorb request retransmissions
  K,           // non-INVITE client: absorb response retransmissions
  L,           // RFC 6026 INVITE server Accepted: absorb INVITE retransmissions, pass ACKs
  M,           // RFC 6026 INVITE client Accepted: pass 2xx retransmissions to the TU
  Trying100,   // INVITE server: send 100 Trying if the TU has not answered
  CancelGuard, // INVITE client after CANCEL: give up on the final response (§9.1, 64*T1)
  Count
};

enum class TxnError : uint8_t {
  NotFound,     // no such transaction (or it has terminated)
  WrongState,   // e.g. a provisional after a final response, CANCEL after a final response
  WrongKind,    // e.g. a response on a client transaction
  OverCapacity, // TransactionSettings::max_transactions reached
  BadMessage,   // the bytes given are not a SIP message of the expected sort
  Duplicate,    // a client transaction with this branch and method exists
};

template <class T>
using TxnResult = Expected<T, TxnError>;

inline Unexpected<TxnError> txnFail(TxnError e) {
  return Unexpected<TxnError>(e);
}

constexpr bool isClient(TxnKind k) {
  return k == TxnKind::InviteClient || k == TxnKind::NonInviteClient;
}

std::string_view txnKindName(TxnKind kind);
std::string_view txnStateName(TxnState state);
std::string_view timerName(TimerName timer);
std::string_view txnErrorName(TxnError error);

} // namespace gh::sip
