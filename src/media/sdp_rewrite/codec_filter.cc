#include "media/sdp_rewrite/codec_filter.h"

#include <array>
#include <charconv>
#include <string_view>
#include <utility>

#include "sdp/attributes.h"

namespace gh::media {

namespace {

// RFC 3551 §6, the static audio/video payload types still seen in the wild.
constexpr std::array<std::pair<uint8_t, std::string_view>, 13> kStaticTypes = {{
    {0, "PCMU"},
    {3, "GSM"},
    {4, "G723"},
    {8, "PCMA"},
    {9, "G722"},
    {13, "CN"},
    {15, "G728"},
    {18, "G729"},
    {26, "JPEG"},
    {31, "H261"},
    {32, "MPV"},
    {33, "MP2T"},
    {34, "H263"},
}};

bool equalNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) {
      return false;
    }
  }
  return true;
}

} // namespace

std::string encodingName(const sdp::MediaSection& section, std::string_view format) {
  unsigned pt = 0;
  auto [end, ec] = std::from_chars(format.data(), format.data() + format.size(), pt);
  if (ec != std::errc() || end != format.data() + format.size() || pt > 127) {
    return {};
  }
  if (auto rtpmap = section.rtpmap(static_cast<uint8_t>(pt))) {
    return std::string(rtpmap->encoding);
  }
  for (const auto& [number, name] : kStaticTypes) {
    if (number == pt) {
      return std::string(name);
    }
  }
  return {};
}

std::optional<std::vector<std::string>> filterFormats(const sdp::MediaSection& section,
                                                      std::span<const std::string> keep) {
  if (keep.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> kept;
  bool only_events = true;
  for (std::string_view format : section.formats) {
    const std::string name = encodingName(section, format);
    if (equalNoCase(name, "telephone-event")) {
      kept.emplace_back(format);
      continue;
    }
    for (const std::string& wanted : keep) {
      if (equalNoCase(name, wanted)) {
        kept.emplace_back(format);
        only_events = false;
        break;
      }
    }
  }
  if (only_events || kept.size() == section.formats.size()) {
    return std::nullopt;
  }
  return kept;
}

} // namespace gh::media
