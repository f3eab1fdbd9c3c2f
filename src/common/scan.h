#pragma once
// Fast searches over received bytes. The SIP header scanner looks for CR and LF together, 16
// bytes per step with SSE2 (baseline on x86-64); other targets use a plain loop.

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gh {

// Returns the first position in [begin, end) holding '\r' or '\n', or `end`.
inline const char* findLineBreak(const char* begin, const char* end) {
  const char* p = begin;
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(chunk, cr), _mm_cmpeq_epi8(chunk, lf));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) {
      return p + __builtin_ctz(mask);
    }
    p += 16;
  }
#endif
  while (p < end && *p != '\r' && *p != '\n') {
    ++p;
  }
  return p;
}

} // namespace gh
