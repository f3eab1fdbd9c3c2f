#include "media/relay/port_pool.h"

namespace gh::media::relay {

PortPool::PortPool(uint16_t first, uint16_t last) {
  uint32_t port = first + (first & 1u);
  for (; port + 1 <= last; port += 2) {
    free_.push_back(static_cast<uint16_t>(port));
  }
  total_ = free_.size();
}

std::optional<uint16_t> PortPool::take() {
  std::lock_guard lock(mutex_);
  if (free_.empty()) {
    return std::nullopt;
  }
  uint16_t port = free_.front();
  free_.pop_front();
  return port;
}

void PortPool::giveBack(uint16_t rtp_port) {
  std::lock_guard lock(mutex_);
  free_.push_back(rtp_port);
}

std::size_t PortPool::freePairs() const {
  std::lock_guard lock(mutex_);
  return free_.size();
}

std::size_t PortPool::inUsePairs() const {
  std::lock_guard lock(mutex_);
  return total_ - free_.size();
}

} // namespace gh::media::relay
