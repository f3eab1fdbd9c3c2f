#pragma once
// What the simulated peers of `gatehouse demo` read from an SDP body. Deliberately a few lines
// of text scanning instead of Gatehouse's own SDP module: a peer that shared the SBC's parser
// would share its bugs, and the demo is meant to show what crossed the wire.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::app::demo {

struct SdpProbe {
  std::string connection_ip; // c= (media level wins over session level)
  uint16_t audio_port = 0;
  std::string audio_protocol;         // "RTP/AVP", "RTP/SAVP" ...
  std::string audio_formats;          // "0 101"
  std::vector<std::string> crypto;    // values after "a=crypto:"
  std::vector<std::string> ice_lines; // a=ice-*, a=candidate, a=remote-candidates
  bool rtcp_mux = false;
};

std::optional<SdpProbe> probeSdp(std::string_view sdp);

// "RTP/SAVP 0 101, AES_CM_128_HMAC_SHA1_80, c=127.0.41.5:40002": a ladder note.
std::string describeSdp(const SdpProbe& sdp);

} // namespace gh::app::demo
