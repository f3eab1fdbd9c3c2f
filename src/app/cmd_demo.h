#pragma once

#include <string>

namespace gh::app {

struct DemoOptions {
  int packets = 100;         // 20 ms PCMU packets each way
  bool keep = false;         // keep the temporary folder (config, certificates, log)
  bool print_config = false; // print the built-in config and exit
  std::string binary;        // the gatehouse to run; empty = this executable
  std::string break_rule;    // a Microsoft rule to break on purpose (demo::findDemoBreak)
};

// `gatehouse demo`: the seed call on loopback through a real `gatehouse run`, between a
// simulated CUCM and a simulated Exchange UM that enforces Microsoft's rules. Exit 0 when the
// call was answered, audio crossed both ways intact, and Gatehouse was back to zero afterwards.
int runDemo(const DemoOptions& options);

} // namespace gh::app
