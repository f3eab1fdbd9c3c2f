#pragma once
// What the call core counts; `gatehouse stats` prints it and the tests assert the gauges return
// to zero after every scenario.

#include <array>
#include <cstdint>

namespace gh::call {

struct CallCounters {
  uint64_t calls_active = 0; // gauge
  uint64_t calls_total = 0;
  uint64_t calls_answered = 0;
  uint64_t calls_failed = 0;                    // ended with a final non-2xx toward the caller
  std::array<uint64_t, 7> responses_sent{};     // [1]..[6]: 1xx..6xx answered to peers
  std::array<uint64_t, 7> responses_received{}; // from peers on B legs and in-dialog requests
  uint64_t requests_received = 0;
  uint64_t dropped_not_allowed = 0; // source not in the interface's allow list
  uint64_t rate_limited_503 = 0;
  uint64_t rate_limited_dropped = 0;
  uint64_t refused_calls_cap = 0;
  uint64_t refused_shutting_down = 0;
  uint64_t no_route_404 = 0;
  uint64_t rejected_by_route = 0;
  uint64_t unknown_dialog_481 = 0;
  uint64_t glare_491 = 0;
  uint64_t media_timeouts = 0;
  uint64_t parse_errors_answered = 0;
};

} // namespace gh::call
