#pragma once
// The SIP layers' TimerService on the signaling event loop: one Asio timer armed for the earliest
// deadline of a heap. A busy B2BUA schedules several RFC 3261 timers per transaction, most of them
// cancelled; a heap with lazy cancellation costs one allocation-free push per timer instead of an
// Asio timer object each.

#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "sip/transaction/timer_service.h"

namespace gh::app {

class LoopTimerService final : public sip::TimerService {
public:
  explicit LoopTimerService(asio::io_context& io) : timer_(io) {}

  sip::TimerHandle schedule(sip::Duration delay, std::function<void()> fn) override;
  void cancel(sip::TimerHandle handle) override;

  TimePoint now() const override { return Clock::now(); }

  std::size_t pending() const { return callbacks_.size(); }

private:
  struct Entry {
    TimePoint deadline;
    sip::TimerHandle handle;

    bool operator>(const Entry& o) const {
      return deadline != o.deadline ? deadline > o.deadline : handle > o.handle;
    }
  };

  void arm();
  void fireDue();

  asio::steady_timer timer_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<sip::TimerHandle, std::function<void()>> callbacks_;
  sip::TimerHandle next_handle_ = 1;
  TimePoint armed_for_ = TimePoint::max();
};

} // namespace gh::app
