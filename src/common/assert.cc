#include "common/assert.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace gh::detail {
namespace {
std::atomic<uint64_t> bugs{0};
}

void checkFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "gatehouse: fatal: check failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

void bugHit(const char* expr, const char* why, const char* file, int line) {
  bugs.fetch_add(1, std::memory_order_relaxed);
  std::fprintf(stderr, "gatehouse: bug: %s (%s) at %s:%d\n", why, expr, file, line);
}

uint64_t bugCount() {
  return bugs.load(std::memory_order_relaxed);
}

} // namespace gh::detail
