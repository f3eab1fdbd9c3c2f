#pragma once
// Bounds-checked views of the fixed RTP (RFC 3550 §5.1) and RTCP (RFC 3550 §6.4) headers. The
// views copy the few scalar fields out of the datagram, so they never dangle; parsing is pure
// (no I/O, no allocation) and fuzzed.
//
//   auto rtp = gh::media::parseRtpHeader(datagram);
//   if (!rtp) return drop(rtp.error());
//   auto payload = datagram.subspan(rtp->header_size);

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/error.h"

namespace gh::media {

constexpr std::size_t kRtpFixedHeaderSize = 12;
constexpr std::size_t kRtcpHeaderSize = 8; // common header plus the sender SSRC
constexpr uint8_t kRtpVersion = 2;

struct RtpHeaderView {
  uint8_t version = 0;
  bool padding = false;
  bool extension = false;
  uint8_t csrc_count = 0;
  bool marker = false;
  uint8_t payload_type = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint16_t extension_profile = 0; // RFC 3550 §5.3.1 "defined by profile"; 0 without extension
  uint16_t extension_words = 0;   // extension length in 32-bit words, its own 4 bytes excluded
  // Fixed header + CSRC list + extension header and data: where the payload starts.
  std::size_t header_size = 0;
};

// Parses the header of `packet` (which may be longer: SRTP tags, payload). Fails with
// Errc::Truncated when the CSRC list or extension runs past the end and Errc::BadRtp for a
// version other than 2. Padding is not checked here: in SRTP it lies in the encrypted payload.
Result<RtpHeaderView> parseRtpHeader(std::span<const uint8_t> packet);

// Number of padding bytes at the end of a plain RTP packet (0 when the P bit is clear); fails
// when the count is 0 or runs into the header (RFC 3550 §5.1).
Result<std::size_t> rtpPaddingSize(std::span<const uint8_t> packet, const RtpHeaderView& header);

struct RtcpHeaderView {
  uint8_t version = 0;
  bool padding = false;
  uint8_t count = 0; // reception report count, or FMT for feedback packets
  uint8_t packet_type = 0;
  uint16_t length_words = 0; // RFC 3550 length field: 32-bit words minus one
  uint32_t ssrc = 0;         // sender SSRC (packet sender for RTPFB/PSFB)

  std::size_t packetSize() const { return (std::size_t{length_words} + 1) * 4; }
};

// Parses the first RTCP header of a (compound) packet; its length field must fit in `packet`.
Result<RtcpHeaderView> parseRtcpHeader(std::span<const uint8_t> packet);

// RFC 5761 §4: with rtcp-mux, a second byte of 192..223 (after masking the marker bit this is
// payload type 64..95) means RTCP.
constexpr bool looksLikeRtcp(std::span<const uint8_t> packet) {
  return packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

} // namespace gh::media
