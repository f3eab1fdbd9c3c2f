#pragma once
// Where a configuration value was written. Kept on every struct a later layer may complain about
// (`gatehouse check`, a regex that fails at runtime), so that it can say file:line:col.

#include <cstdint>
#include <string>

namespace gh::config {

struct SourceLocation {
  std::string file;    // the name the config was loaded under, as the user typed it
  uint32_t line = 0;   // 1-based; 0 = the file as a whole (it could not be read)
  uint32_t column = 0; // 1-based, in characters

  bool operator==(const SourceLocation&) const = default;
};

} // namespace gh::config
