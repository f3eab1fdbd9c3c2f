#pragma once
// gtest printers for config values, so that a failed comparison shows file:line:col.

#include <ostream>

#include "config/diagnostic.h"

namespace gh::config {

inline void PrintTo(const SourceLocation& where, std::ostream* os) {
  *os << where.file << ":" << where.line << ":" << where.column;
}

} // namespace gh::config
