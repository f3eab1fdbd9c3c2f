#pragma once
// The JSON form of NG messages (rtpengine accepts a JSON object where bencode would be), decoded
// into the same node table as bencode so that command decoding has one input type.
//
// Strings, integers, true/false (1/0), null (""), arrays and objects. Numbers must be integers:
// NG has no fractional values. Strings without escapes stay views into the input; escaped ones
// are unescaped into storage the document owns. Same limits and duplicate-key rule as bencode.

#include <string_view>

#include "media/ng/bencode.h"

namespace gh::media::ng {

Result<BencodeDoc> decodeJson(std::string_view input, const BencodeLimits& limits = {});

} // namespace gh::media::ng
