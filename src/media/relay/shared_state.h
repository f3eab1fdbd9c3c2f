#pragma once
// What the control side and every worker share: global counters (relaxed atomics, each written
// per batch or per control operation, never per packet) and the timeout event queue.

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "media/relay/relay.h"

namespace gh::media::relay {

struct SharedState {
  std::atomic<uint64_t> sockets_open{0};
  std::atomic<uint64_t> srtp_contexts{0};
  std::atomic<uint64_t> timeouts{0};

  std::mutex events_mutex;
  std::vector<RelayEvent> events;
  int event_fd = -1; // readable while `events` is not empty

  // The eventfd is written under the lock that takeEvents() reads it under, so it is readable
  // exactly while events are pending.
  void pushEvent(const RelayEvent& event) {
    std::lock_guard lock(events_mutex);
    events.push_back(event);
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(event_fd, &one, sizeof one);
  }
};

// Adds on a counter that only one thread writes: no locked read-modify-write needed.
inline void bump(std::atomic<uint64_t>& counter, uint64_t n) {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

} // namespace gh::media::relay
