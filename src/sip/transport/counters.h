#pragma once
// What the transport counts, read by the stats exporter on the SIP loop.

#include <cstdint>

namespace gh::sip {

struct TransportCounters {
  uint64_t open_tcp = 0; // gauges: connections currently open (or opening)
  uint64_t open_tls = 0;
  uint64_t accepted = 0;         // inbound connections accepted
  uint64_t refused = 0;          // inbound connections refused by a cap
  uint64_t connected = 0;        // outbound connections established
  uint64_t connect_failures = 0; // outbound connect or handshake failed
  uint64_t tls_handshake_failures = 0;
  uint64_t closed_idle = 0;
  uint64_t closed = 0; // every close, whatever the reason
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t datagrams_in = 0;
  uint64_t datagrams_out = 0;
  uint64_t messages_in = 0;
  uint64_t parse_errors = 0;
  uint64_t keepalives_answered = 0;
  uint64_t send_failures = 0;
};

} // namespace gh::sip
