#include "sip/transaction/manual_timer_service.h"

namespace gh::sip {

TimerHandle ManualTimerService::schedule(Duration delay, std::function<void()> fn) {
  TimerHandle handle = next_handle_++;
  TimePoint deadline = now_ + (delay.count() < 0 ? Duration{0} : delay);
  queue_.emplace(Key{deadline, handle}, std::move(fn));
  deadlines_.emplace(handle, deadline);
  return handle;
}

void ManualTimerService::cancel(TimerHandle handle) {
  auto it = deadlines_.find(handle);
  if (it == deadlines_.end()) {
    return;
  }
  queue_.erase(Key{it->second, handle});
  deadlines_.erase(it);
}

void ManualTimerService::advance(Duration step) {
  TimePoint target = now_ + step;
  while (!queue_.empty() && queue_.begin()->first.first <= target) {
    auto node = queue_.extract(queue_.begin());
    deadlines_.erase(node.key().second);
    now_ = node.key().first;
    node.mapped()();
  }
  now_ = target;
}

Duration ManualTimerService::untilNext() const {
  if (queue_.empty()) {
    return Duration::max();
  }
  return std::chrono::duration_cast<Duration>(queue_.begin()->first.first - now_);
}

} // namespace gh::sip
