#include "sdp/writer.h"

namespace gh::sdp {

void writeLine(std::string& out, char type, std::string_view value, LineEnd end) {
  out += type;
  out += '=';
  out += value;
  out += lineEndText(end);
}

std::string serialize(const SessionDescription& sdp) {
  // Rebuilt from the line index rather than copied from text(), so that the round trip checks
  // the index covers every byte.
  std::string out;
  out.reserve(sdp.text().size());
  for (const Line& line : sdp.lines()) {
    writeLine(out, line.type, line.value, line.end);
  }
  out += sdp.trailer();
  return out;
}

} // namespace gh::sdp
