#include "app/loop_timer_service.h"

namespace gh::app {

sip::TimerHandle LoopTimerService::schedule(sip::Duration delay, std::function<void()> fn) {
  sip::TimerHandle handle = next_handle_++;
  TimePoint deadline = Clock::now() + delay;
  heap_.push({deadline, handle});
  callbacks_.emplace(handle, std::move(fn));
  if (deadline < armed_for_)
    arm();
  return handle;
}

void LoopTimerService::cancel(sip::TimerHandle handle) {
  callbacks_.erase(handle); // the heap entry is skipped when it comes up
}

void LoopTimerService::arm() {
  while (!heap_.empty() && !callbacks_.contains(heap_.top().handle))
    heap_.pop();
  if (heap_.empty()) {
    armed_for_ = TimePoint::max();
    timer_.cancel();
    return;
  }
  armed_for_ = heap_.top().deadline;
  timer_.expires_at(armed_for_);
  timer_.async_wait([this](const asio::error_code& ec) {
    if (ec == asio::error::operation_aborted)
      return;
    fireDue();
  });
}

void LoopTimerService::fireDue() {
  armed_for_ = TimePoint::max();
  const TimePoint now = Clock::now();
  // One at a time, so that a callback cancelling another due timer is honoured; bounded by the
  // heap's size on entry, so zero-delay timers scheduled by callbacks wait for the next turn.
  for (std::size_t budget = heap_.size(); budget > 0 && !heap_.empty(); --budget) {
    if (heap_.top().deadline > now)
      break;
    auto it = callbacks_.find(heap_.top().handle);
    heap_.pop();
    if (it == callbacks_.end())
      continue;
    std::function<void()> fn = std::move(it->second);
    callbacks_.erase(it);
    fn();
  }
  arm();
}

} // namespace gh::app
