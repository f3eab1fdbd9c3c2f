#pragma once
// Figures of what one party sends us: counts, RFC 3550 A.1 loss from sequence numbers, A.8
// interarrival jitter, the first report block of its RTCP SR/RR, and an E-model MOS estimate.
// Updated on the packet path: arithmetic only, no allocation.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "media/api/media_control.h"
#include "media/relay/relay.h"

namespace gh::media::relay {

class ReceiveStats {
public:
  // A packet that passed every check. `arrival_seconds` is the batch's receive time on any
  // monotonic scale; jitter only uses differences.
  void onRtp(uint16_t seq, uint32_t timestamp, uint32_t ssrc, std::size_t bytes_in,
             double arrival_seconds, uint32_t clock_rate);
  // A (decrypted) RTCP compound packet; takes the first SR/RR report block it finds.
  void onRtcp(const uint8_t* packet, std::size_t length);

  uint64_t lost() const;
  DirectionStats figures(uint32_t clock_rate) const;

  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t rtcp_packets = 0;
  uint64_t auth_failures = 0;
  uint64_t replays = 0;
  uint64_t dropped = 0;
  std::optional<TimePoint> last_packet;

private:
  // Restarts sequence accounting (new SSRC or a jump): loss counted so far is kept.
  void restart(uint16_t seq, uint32_t ssrc);

  bool have_ssrc_ = false;
  uint32_t ssrc_ = 0;
  uint16_t max_seq_ = 0;
  uint32_t cycles_ = 0; // sequence wraps, times 65536
  uint32_t base_seq_ = 0;
  uint64_t received_ = 0;
  uint64_t lost_before_ = 0;

  bool have_transit_ = false;
  double prev_arrival_ = 0;
  uint32_t prev_timestamp_ = 0;
  double jitter_ = 0; // timestamp units

  bool have_report_ = false;
  uint8_t report_fraction_ = 0;
  uint32_t report_cumulative_ = 0;
  uint32_t report_jitter_ = 0;
};

// ITU-T G.107 E-model, simplified as in common RTP monitors: R from one-way delay (unknown here,
// so jitter-buffer delay only) and loss, then MOS from R.
double estimateMos(double loss_fraction, double jitter_ms);

} // namespace gh::media::relay
