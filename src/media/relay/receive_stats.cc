#include "media/relay/receive_stats.h"

#include <algorithm>
#include <cmath>

namespace gh::media::relay {

namespace {

// RFC 3550 A.1: a forward jump above this restarts the accounting instead of counting loss.
constexpr uint16_t kMaxDropout = 3000;
constexpr uint16_t kMaxMisorder = 100;

uint32_t read32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

} // namespace

void ReceiveStats::restart(uint16_t seq, uint32_t ssrc) {
  lost_before_ = lost();
  have_ssrc_ = true;
  ssrc_ = ssrc;
  max_seq_ = seq;
  cycles_ = 0;
  base_seq_ = seq;
  received_ = 0;
  have_transit_ = false;
}

void ReceiveStats::onRtp(uint16_t seq, uint32_t timestamp, uint32_t ssrc, std::size_t bytes_in,
                         double arrival_seconds, uint32_t clock_rate) {
  ++packets;
  bytes += bytes_in;
  if (!have_ssrc_ || ssrc != ssrc_) {
    restart(seq, ssrc);
  } else {
    auto delta = static_cast<uint16_t>(seq - max_seq_);
    if (delta != 0 && delta < kMaxDropout) {
      if (seq < max_seq_) {
        cycles_ += 65536;
      }
      max_seq_ = seq;
    } else if (delta != 0 && delta <= 65535 - kMaxMisorder) {
      restart(seq, ssrc); // the sender jumped (restart or a new stream under the same SSRC)
    }
  }
  ++received_;

  double arrival = arrival_seconds * clock_rate;
  if (have_transit_) {
    // Differences only, so 32-bit timestamp wrap does not matter.
    double d = (arrival - prev_arrival_) - static_cast<int32_t>(timestamp - prev_timestamp_);
    jitter_ += (std::fabs(d) - jitter_) / 16.0;
  }
  have_transit_ = true;
  prev_arrival_ = arrival;
  prev_timestamp_ = timestamp;
}

void ReceiveStats::onRtcp(const uint8_t* packet, std::size_t length) {
  ++rtcp_packets;
  std::size_t offset = 0;
  while (offset + 8 <= length) {
    const uint8_t* p = packet + offset;
    if ((p[0] >> 6) != 2) {
      return;
    }
    std::size_t size = (std::size_t{(uint32_t{p[2]} << 8) | p[3]} + 1) * 4;
    uint8_t count = p[0] & 0x1f;
    std::size_t block = p[1] == 200 ? 28 : p[1] == 201 ? 8 : 0;
    if (block != 0 && count > 0 && block + 24 <= size && offset + size <= length) {
      const uint8_t* r = p + block;
      have_report_ = true;
      report_fraction_ = r[4];
      report_cumulative_ = read32(r + 4) & 0xffffff;
      report_jitter_ = read32(r + 12);
      return;
    }
    offset += size;
  }
}

uint64_t ReceiveStats::lost() const {
  if (!have_ssrc_) {
    return lost_before_;
  }
  uint64_t expected = uint64_t{cycles_} + max_seq_ - base_seq_ + 1;
  uint64_t now_lost = expected > received_ ? expected - received_ : 0;
  return lost_before_ + now_lost;
}

DirectionStats ReceiveStats::figures(uint32_t clock_rate) const {
  DirectionStats out;
  out.packets = packets;
  out.bytes = bytes;
  out.rtcp_packets = rtcp_packets;
  out.lost = lost();
  out.jitter_ms = clock_rate == 0 ? 0.0 : jitter_ * 1000.0 / clock_rate;
  out.srtp_auth_failures = auth_failures;
  out.srtp_replays = replays;
  out.dropped = dropped;
  out.last_packet = last_packet;
  if (have_report_) {
    out.rtcp_fraction_lost = report_fraction_;
    out.rtcp_cumulative_lost = report_cumulative_;
    out.rtcp_jitter = report_jitter_;
  }
  if (packets > 0) {
    double total = static_cast<double>(packets + out.lost);
    out.mos = estimateMos(static_cast<double>(out.lost) / total, out.jitter_ms);
  }
  return out;
}

double estimateMos(double loss_fraction, double jitter_ms) {
  // Jitter buffer of twice the jitter plus 10 ms of codec delay stands in for the one-way delay.
  double delay = jitter_ms * 2 + 10;
  double r = 93.2 - (delay < 160 ? delay / 40 : (delay - 120) / 10);
  r -= std::clamp(loss_fraction, 0.0, 1.0) * 100 * 2.5;
  r = std::clamp(r, 0.0, 100.0);
  double mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return std::clamp(mos, 1.0, 4.5);
}

} // namespace gh::media::relay
