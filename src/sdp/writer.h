#pragma once
// SDP text out of a parsed description. Unmodified, the output is the parsed input byte for byte
// (the fuzz invariant); edits go through SdpEdit (edit.h), which writes with the same helper.

#include <string>
#include <string_view>

#include "sdp/session_description.h"

namespace gh::sdp {

std::string serialize(const SessionDescription& sdp);

// Appends "<type>=<value><end>".
void writeLine(std::string& out, char type, std::string_view value, LineEnd end);

} // namespace gh::sdp
