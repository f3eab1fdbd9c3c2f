#pragma once
// What the transaction layer counts, readable at any time by its owner (stats export, leak
// checks in tests). "active" counts go back to zero when traffic stops.

#include <cstdint>

namespace gh::sip {

struct TransactionCounters {
  uint64_t client_active = 0;
  uint64_t server_active = 0;
  uint64_t client_created = 0;
  uint64_t server_created = 0;
  uint64_t retransmissions_sent = 0;     // requests (A, E) and responses (G, absorbed requests)
  uint64_t retransmissions_absorbed = 0; // retransmitted requests and responses kept from the TU
  uint64_t timeouts = 0;                 // B, F, H and the CANCEL guard
  uint64_t transport_errors = 0;
  uint64_t stray_responses = 0; // matched no client transaction (2xx to INVITE go to the TU)
  uint64_t stray_acks = 0;      // matched no server transaction (passed to the TU)
  uint64_t refused_over_capacity = 0;
  uint64_t stateless_responses = 0; // 503 over capacity, 481 to an unmatched CANCEL
};

} // namespace gh::sip
