#pragma once
// A TimerService on a simulated clock: time moves only when advance() is called, and timers due
// within the step fire in deadline order (FIFO among equal deadlines), each seeing now() equal to
// its own deadline. Used by unit tests here and by the call layer's tests.

#include <cstddef>
#include <map>
#include <unordered_map>
#include <utility>

#include "sip/transaction/timer_service.h"

namespace gh::sip {

class ManualTimerService final : public TimerService {
public:
  TimerHandle schedule(Duration delay, std::function<void()> fn) override;
  void cancel(TimerHandle handle) override;

  TimePoint now() const override { return now_; }

  // Moves the clock forward by `step`, firing every timer that falls due on the way, including
  // timers scheduled by the callbacks themselves.
  void advance(Duration step);

  std::size_t pending() const { return queue_.size(); }

  // Time until the earliest pending timer, or nullopt-like Duration::max() when there is none.
  Duration untilNext() const;

private:
  using Key = std::pair<TimePoint, TimerHandle>;

  TimePoint now_{};
  TimerHandle next_handle_ = 1;
  std::map<Key, std::function<void()>> queue_;
  std::unordered_map<TimerHandle, TimePoint> deadlines_;
};

} // namespace gh::sip
