#pragma once
// Three assertion levels (after Envoy's ASSERT / ENVOY_BUG / RELEASE_ASSERT). Hostile input never
// reaches any of them: it gets an error value, a response or a drop.
//   GH_ASSERT(cond)       debug-only invariant
//   GH_BUG(cond, why)     release: logs and counts; debug: aborts
//   GH_CHECK(cond)        always fatal: state is corrupt and continuing would do harm

#include <cstdint>

namespace gh::detail {
[[noreturn]] void checkFailed(const char* expr, const char* file, int line);
void bugHit(const char* expr, const char* why, const char* file, int line);
uint64_t bugCount();
} // namespace gh::detail

#define GH_CHECK(cond)                                                                             \
  do {                                                                                             \
    if (!(cond)) [[unlikely]] {                                                                    \
      ::gh::detail::checkFailed(#cond, __FILE__, __LINE__);                                        \
    }                                                                                              \
  } while (false)

#ifdef NDEBUG
#define GH_ASSERT(cond)                                                                            \
  do {                                                                                             \
  } while (false)
#define GH_BUG(cond, why)                                                                          \
  do {                                                                                             \
    if (!(cond)) [[unlikely]] {                                                                    \
      ::gh::detail::bugHit(#cond, why, __FILE__, __LINE__);                                        \
    }                                                                                              \
  } while (false)
#else
#define GH_ASSERT(cond) GH_CHECK(cond)
#define GH_BUG(cond, why) GH_CHECK(cond)
#endif
