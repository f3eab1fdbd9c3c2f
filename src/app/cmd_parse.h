#pragma once

#include <string>

namespace gh::app {

struct ParseOptions {
  std::string input = "-"; // a file, or "-" for standard input
  bool stream = false;     // frame as TCP/TLS (Content-Length mandatory) instead of a datagram
  bool quiet = false;      // verdict only
};

// Exit codes: 0 parsed, 1 invalid message, 2 usage or I/O error.
int runParse(const ParseOptions& options);

} // namespace gh::app
