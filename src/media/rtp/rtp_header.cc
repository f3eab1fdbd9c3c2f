#include "media/rtp/rtp_header.h"

namespace gh::media {
namespace {

uint16_t load16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

uint32_t load32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

} // namespace

Result<RtpHeaderView> parseRtpHeader(std::span<const uint8_t> packet) {
  if (packet.size() < kRtpFixedHeaderSize) {
    return fail(Errc::Truncated, static_cast<uint32_t>(packet.size()),
                "RTP: shorter than 12 bytes");
  }
  const uint8_t* p = packet.data();
  RtpHeaderView h;
  h.version = static_cast<uint8_t>(p[0] >> 6);
  if (h.version != kRtpVersion) {
    return fail(Errc::BadRtp, 0, "RTP: version is not 2");
  }
  h.padding = (p[0] & 0x20) != 0;
  h.extension = (p[0] & 0x10) != 0;
  h.csrc_count = static_cast<uint8_t>(p[0] & 0x0f);
  h.marker = (p[1] & 0x80) != 0;
  h.payload_type = static_cast<uint8_t>(p[1] & 0x7f);
  h.sequence = load16(p + 2);
  h.timestamp = load32(p + 4);
  h.ssrc = load32(p + 8);

  std::size_t size = kRtpFixedHeaderSize + 4 * std::size_t{h.csrc_count};
  if (packet.size() < size) {
    return fail(Errc::Truncated, static_cast<uint32_t>(packet.size()), "RTP: CSRC list truncated");
  }
  if (h.extension) {
    if (packet.size() < size + 4) {
      return fail(Errc::Truncated, static_cast<uint32_t>(size), "RTP: extension header truncated");
    }
    h.extension_profile = load16(p + size);
    h.extension_words = load16(p + size + 2);
    size += 4 + 4 * std::size_t{h.extension_words};
    if (packet.size() < size) {
      return fail(Errc::Truncated, static_cast<uint32_t>(packet.size()),
                  "RTP: extension data truncated");
    }
  }
  h.header_size = size;
  return h;
}

Result<std::size_t> rtpPaddingSize(std::span<const uint8_t> packet, const RtpHeaderView& header) {
  if (!header.padding) {
    return std::size_t{0};
  }
  if (packet.size() <= header.header_size) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(packet.size()), "RTP: padding without payload");
  }
  const std::size_t count = packet.back();
  if (count == 0 || count > packet.size() - header.header_size) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(packet.size() - 1), "RTP: bad padding count");
  }
  return count;
}

Result<RtcpHeaderView> parseRtcpHeader(std::span<const uint8_t> packet) {
  if (packet.size() < kRtcpHeaderSize) {
    return fail(Errc::Truncated, static_cast<uint32_t>(packet.size()),
                "RTCP: shorter than 8 bytes");
  }
  const uint8_t* p = packet.data();
  RtcpHeaderView h;
  h.version = static_cast<uint8_t>(p[0] >> 6);
  if (h.version != kRtpVersion) {
    return fail(Errc::BadRtp, 0, "RTCP: version is not 2");
  }
  h.padding = (p[0] & 0x20) != 0;
  h.count = static_cast<uint8_t>(p[0] & 0x1f);
  h.packet_type = p[1];
  h.length_words = load16(p + 2);
  h.ssrc = load32(p + 4);
  if (h.packetSize() > packet.size()) {
    return fail(Errc::Truncated, 2, "RTCP: length field exceeds the packet");
  }
  return h;
}

} // namespace gh::media
