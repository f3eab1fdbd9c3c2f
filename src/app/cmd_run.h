#pragma once

#include <string>

namespace gh::app {

struct RunOptions {
  std::string config_path;
  std::string log_level;      // overrides [log] level when set
  std::string control_socket; // overrides [sbc] control_socket when set
  unsigned drain_seconds = 30;
};

int runRun(const RunOptions& options);

struct MediaOptions {
  std::string config_path;
  std::string log_level;
  std::string control_socket;
  int workers = -1; // overrides [media] workers
};

int runMedia(const MediaOptions& options);

struct ControlOptions {
  std::string config_path;    // to find [sbc] control_socket
  std::string control_socket; // or given directly
  std::string command;        // "stats", "calls"
};

int runControl(const ControlOptions& options);

} // namespace gh::app
