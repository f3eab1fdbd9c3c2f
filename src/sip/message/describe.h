#pragma once
// A canonical, human-readable dump of a parsed message: canonical header names (compact forms
// expanded), folds unfolded, control bytes escaped, and the typed reading of every header the
// parser understands. `gatehouse parse` prints it; two messages that mean the same thing give
// the same dump.

#include <string>

#include "sip/message/message.h"

namespace gh::sip {

std::string describe(const Message& message);

// Folds (CRLF + WSP) become one space and control octets become \xNN, so a value fits a line.
std::string printable(std::string_view value);

} // namespace gh::sip
