#pragma once
// The RTP/RTCP port pairs of one interface: even RTP ports in [first, last] with RTCP = RTP + 1.
// Free pairs form a FIFO, so a released pair goes to the back and is reused as late as possible
// (a late packet of the old stream then rarely reaches a new one).
//
// Threads: the control thread takes pairs, workers give them back on release; one mutex, never
// on the packet path.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace gh::media::relay {

class PortPool {
public:
  // Pairs whose RTCP port also lies in [first, last].
  PortPool(uint16_t first, uint16_t last);

  std::optional<uint16_t> take(); // the RTP port of the oldest free pair
  void giveBack(uint16_t rtp_port);

  std::size_t freePairs() const;
  std::size_t inUsePairs() const;

  std::size_t totalPairs() const { return total_; }

private:
  mutable std::mutex mutex_;
  std::deque<uint16_t> free_;
  std::size_t total_ = 0;
};

} // namespace gh::media::relay
