#pragma once
// Packet index estimation (RFC 3711 §3.3.1) and the sliding replay window (§3.3.2), as pure value
// types. The arithmetic follows libsrtp 2's rdbx exactly, so both ends agree on the ROC of every
// packet, including reordered ones around a sequence wrap.

#include <cstdint>

namespace gh::media {

struct RtpIndexEstimate {
  uint64_t index = 0; // 48-bit packet index: ROC << 16 | SEQ
  int32_t delta = 0;  // index minus the highest index seen so far
};

// `highest` is the highest authenticated (or sent) index; a fresh stream starts at 0. While it is
// at most 2^15 the ROC is taken as 0: RFC 3711's ROC-1 would be negative there.
constexpr RtpIndexEstimate estimateRtpIndex(uint64_t highest, uint16_t seq) {
  constexpr int32_t kMedian = 1 << 15;
  constexpr int32_t kSeqSpan = 1 << 16;
  const int32_t s = seq;
  const auto s_l = static_cast<int32_t>(highest & 0xffff);
  if (highest <= static_cast<uint64_t>(kMedian)) {
    return {seq, s - s_l};
  }
  auto roc = static_cast<uint32_t>(highest >> 16);
  int32_t delta = s - s_l;
  if (s_l < kMedian) {
    if (s - s_l > kMedian) {
      --roc;
      delta -= kSeqSpan;
    }
  } else if (s_l - kMedian > s) {
    ++roc;
    delta += kSeqSpan;
  }
  return {(uint64_t{roc} << 16) | seq, delta};
}

// Which of the last `size` (64..128) indices below and including the highest were accepted.
// Bit 0 of lo_ is the highest index.
class ReplayWindow {
public:
  static constexpr uint32_t kMaxSize = 128;
  static constexpr uint32_t kMinSize = 64; // RFC 3711 §3.3.2: SHOULD be at least 64

  enum class Verdict : uint8_t { Fresh, Replayed, TooOld };

  // `delta` = candidate index minus the highest index.
  constexpr Verdict check(int64_t delta, uint32_t size) const {
    if (delta > 0) {
      return Verdict::Fresh;
    }
    const uint64_t back = static_cast<uint64_t>(-delta);
    if (back >= size) {
      return Verdict::TooOld;
    }
    return bit(back) ? Verdict::Replayed : Verdict::Fresh;
  }

  // Records an accepted index; a positive delta slides the window forward.
  constexpr void commit(int64_t delta) {
    if (delta > 0) {
      shiftUp(static_cast<uint64_t>(delta));
      lo_ |= 1;
    } else {
      set(static_cast<uint64_t>(-delta));
    }
  }

  constexpr void reset() { lo_ = hi_ = 0; }

private:
  constexpr bool bit(uint64_t i) const {
    return i < 64 ? ((lo_ >> i) & 1) != 0 : ((hi_ >> (i - 64)) & 1) != 0;
  }

  constexpr void set(uint64_t i) {
    if (i < 64) {
      lo_ |= uint64_t{1} << i;
    } else if (i < 128) {
      hi_ |= uint64_t{1} << (i - 64);
    }
  }

  constexpr void shiftUp(uint64_t n) {
    if (n >= 128) {
      lo_ = hi_ = 0;
    } else if (n >= 64) {
      hi_ = lo_ << (n - 64);
      lo_ = 0;
    } else {
      hi_ = (hi_ << n) | (lo_ >> (64 - n));
      lo_ <<= n;
    }
  }

  uint64_t lo_ = 0;
  uint64_t hi_ = 0;
};

} // namespace gh::media
