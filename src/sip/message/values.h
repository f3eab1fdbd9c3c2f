#pragma once
// Parsers for the small single-valued headers: CSeq, Call-ID, Max-Forwards, Content-Length,
// Expires, Date, and comma-separated option-tag lists (Supported, Require, Allow ...).

#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "sip/message/method.h"

namespace gh::sip {

struct CSeqView {
  uint32_t number = 0;
  std::string_view method_text;
  Method method = Method::Other;
};

Result<CSeqView> parseCSeq(std::string_view value);
// callid = word [ "@" word ]
bool isValidCallId(std::string_view value);
// 1*DIGIT that fits in 32 bits (Max-Forwards, Content-Length, Expires, RSeq ...)
Result<uint32_t> parseDecimal(std::string_view value);
// rfc1123-date as RFC 3261 §20.17 restricts it: "Sat, 13 Nov 2010 23:29:00 GMT"
bool isValidSipDate(std::string_view value);

// Calls fn(token) for each element of a comma-separated token list (option tags, methods).
// Fails on an empty element or a non-token character.
template <class Fn>
Result<std::size_t> forEachToken(std::string_view value, Fn&& fn);

namespace detail {
// Returns the end of the token starting at or after `pos` (skipping LWS), or npos on error.
std::size_t nextToken(std::string_view value, std::size_t& pos, std::string_view& token);
} // namespace detail

template <class Fn>
Result<std::size_t> forEachToken(std::string_view value, Fn&& fn) {
  std::size_t pos = 0;
  std::size_t count = 0;
  std::string_view token;
  while (pos < value.size()) {
    if (detail::nextToken(value, pos, token) == std::string_view::npos) {
      return fail(Errc::BadHeaderValue, static_cast<uint32_t>(pos), "malformed token list");
    }
    fn(token);
    ++count;
  }
  return count;
}

} // namespace gh::sip
