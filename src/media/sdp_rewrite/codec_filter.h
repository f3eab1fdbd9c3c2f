#pragma once
// The policy's codec filter (SdpPolicy::codecs_keep): which formats of an m= line survive, by
// encoding name. telephone-event always survives (RFC 4733 DTMF must keep working across the
// border); static payload types without an rtpmap are named from RFC 3551's table.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sdp/session_description.h"

namespace gh::media {

// The encoding name of `format` in `section` ("PCMU", "telephone-event"), or empty.
std::string encodingName(const sdp::MediaSection& section, std::string_view format);

// The formats to keep, in their order; nullopt when nothing would change or when nothing but
// telephone-event would be left (a filter never empties a stream: the peer decides).
std::optional<std::vector<std::string>> filterFormats(const sdp::MediaSection& section,
                                                      std::span<const std::string> keep);

} // namespace gh::media
