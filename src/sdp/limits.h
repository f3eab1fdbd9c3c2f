#pragma once
// Bounds for parsing one SDP body. Every limit is checked before the work it guards, so a hostile
// body costs at most max_bytes of copying and max_lines of indexing.

#include <cstdint>

namespace gh::sdp {

struct Limits {
  // A SIP message over UDP cannot carry more, and no real offer comes close.
  uint32_t max_bytes = 65535;
  uint32_t max_lines = 1024;
  uint32_t max_media = 64;
  // Session level plus every media section. A WebRTC audio+video offer has about 150.
  uint32_t max_attributes = 512;
  // Formats on one m= line. RTP has 128 payload types; a longer list only serves to make every
  // per-format lookup (rtpmap, fmtp) of a consumer quadratic.
  uint32_t max_formats = 128;
};

} // namespace gh::sdp
