#include "app/demo/sdp_probe.h"

#include <charconv>

#include <fmt/format.h>

namespace gh::app::demo {

std::optional<SdpProbe> probeSdp(std::string_view sdp) {
  SdpProbe out;
  bool in_audio = false, saw_audio = false;
  while (!sdp.empty()) {
    std::size_t eol = sdp.find('\n');
    std::string_view line = sdp.substr(0, eol);
    sdp = eol == std::string_view::npos ? std::string_view{} : sdp.substr(eol + 1);
    if (line.ends_with('\r'))
      line.remove_suffix(1);
    if (line.starts_with("m=")) {
      in_audio = line.starts_with("m=audio ") && !saw_audio;
      if (in_audio) {
        saw_audio = true;
        std::string_view rest = line.substr(8);
        std::size_t sp = rest.find(' ');
        auto port = rest.substr(0, sp);
        std::from_chars(port.data(), port.data() + port.size(), out.audio_port);
        if (sp == std::string_view::npos)
          return std::nullopt;
        rest = rest.substr(sp + 1);
        sp = rest.find(' ');
        out.audio_protocol = std::string(rest.substr(0, sp));
        out.audio_formats = sp == std::string_view::npos ? "" : std::string(rest.substr(sp + 1));
      }
    } else if (line.starts_with("c=IN IP4 ") && (in_audio || !saw_audio)) {
      out.connection_ip = std::string(line.substr(9, line.find('/') - 9));
    } else if (line.starts_with("a=crypto:") && in_audio) {
      out.crypto.emplace_back(line.substr(9));
    } else if (line == "a=rtcp-mux") {
      out.rtcp_mux = true;
    } else if (line.starts_with("a=ice-") || line.starts_with("a=candidate") ||
               line.starts_with("a=remote-candidates")) {
      out.ice_lines.emplace_back(line);
    }
  }
  if (!saw_audio || out.connection_ip.empty() || out.audio_port == 0)
    return std::nullopt;
  return out;
}

std::string describeSdp(const SdpProbe& sdp) {
  std::string text = fmt::format("SDP {} {}", sdp.audio_protocol, sdp.audio_formats);
  if (!sdp.crypto.empty()) {
    std::string_view first = sdp.crypto.front();
    std::size_t sp = first.find(' ');
    text += fmt::format(" {}", first.substr(sp + 1, first.find(' ', sp + 1) - sp - 1));
  }
  if (sdp.rtcp_mux)
    text += " rtcp-mux";
  if (!sdp.ice_lines.empty())
    text += " ICE";
  return text + fmt::format(" @{}:{}", sdp.connection_ip, sdp.audio_port);
}

} // namespace gh::app::demo
