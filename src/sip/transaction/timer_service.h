#pragma once
// The clock and one-shot timers the transaction and dialog layers run on. Injected, never global,
// so that unit tests drive RFC 3261 timers in simulated time (ManualTimerService) and the
// application runs them on its SIP event loop (an Asio implementation lives with the loop).
//
// Thread: the SIP event-loop thread only. Callbacks run on that thread, never inside schedule().

#include <chrono>
#include <cstdint>
#include <functional>

namespace gh::sip {

using TimerHandle = uint64_t; // 0 = no timer
using Duration = std::chrono::milliseconds;

class TimerService {
public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  virtual ~TimerService() = default;
  // Runs `fn` once after `delay` (0 allowed: on a later turn of the loop, not now).
  virtual TimerHandle schedule(Duration delay, std::function<void()> fn) = 0;
  // Unknown, fired or already cancelled handles are ignored.
  virtual void cancel(TimerHandle handle) = 0;
  virtual TimePoint now() const = 0;
};

} // namespace gh::sip
