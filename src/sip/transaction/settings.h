#pragma once
// Timer values (RFC 3261 §17, Table 4) and bounds of the transaction layer.

#include <cstddef>
#include <optional>

#include "sip/transaction/timer_service.h"

namespace gh::sip {

struct TransactionSettings {
  Duration t1{500};  // RTT estimate
  Duration t2{4000}; // cap on non-INVITE request and INVITE response retransmit intervals
  Duration t4{5000}; // how long the network may hold a message
  // Timer D: "at least 32 seconds" for unreliable transports (§17.1.1.2); 0 on reliable ones.
  Duration timer_d{32000};
  // When the INVITE server transaction sends 100 Trying on its own: 0 = at once (what proxies and
  // B2BUAs do: it stops the peer's Timer A before any routing work), a positive delay = only if
  // the TU has not sent a provisional by then (§17.2.1 suggests 200 ms), nullopt = never.
  std::optional<Duration> trying_delay = Duration{0};
  // Client plus server transactions; beyond it new server transactions are answered 503 by the
  // layer and new client transactions are refused (TxnError::OverCapacity).
  std::size_t max_transactions = 100000;

  Duration timerB() const { return 64 * t1; } // also F, H, J, L, M
};

} // namespace gh::sip
