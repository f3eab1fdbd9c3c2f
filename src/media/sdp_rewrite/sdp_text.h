#pragma once
// Line-level edits on SDP text we produced ourselves, for the changes SdpEdit does not model: the
// whole o= line, an m= line's format list, and removal of lines by prefix (the seed's
// sdp_remove_line_by_prefix). Line ends are kept as they are.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gh::media {

// The value (after "o=") of the first o= line, or empty when there is none.
std::string_view originValue(std::string_view sdp);

// `sdp` with the first o= line's value replaced by `value`.
std::string replaceOrigin(std::string_view sdp, std::string_view value);

// `sdp` with the format list of the m= line number `index` (0-based) replaced by `formats`.
std::string replaceMediaFormats(std::string_view sdp, std::size_t index,
                                std::span<const std::string> formats);

// `sdp` without the lines that start with any of `prefixes` ("a=label:", "c=IN IP4 25").
std::string removeLinesWithPrefix(std::string_view sdp, std::span<const std::string> prefixes);

} // namespace gh::media
