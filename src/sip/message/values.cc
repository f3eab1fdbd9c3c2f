#include "sip/message/values.h"

#include <array>

#include "common/text.h"
#include "sip/message/grammar.h"

namespace gh::sip {

using grammar::skipLws;
using grammar::span;

Result<CSeqView> parseCSeq(std::string_view s) {
  std::size_t pos = skipLws(s, 0);
  std::size_t digits_end = span(s, pos, chars::kDigit);
  auto number = parseUnsigned<uint32_t>(s.substr(pos, digits_end - pos));
  if (!number) {
    return fail(Errc::BadCSeq, static_cast<uint32_t>(pos),
                "CSeq number is missing or larger than 2**32-1");
  }
  pos = skipLws(s, digits_end);
  if (pos == digits_end) {
    return fail(Errc::BadCSeq, static_cast<uint32_t>(pos),
                "expected white space after CSeq number");
  }
  std::size_t method_end = span(s, pos, grammar::kToken);
  if (method_end == pos || skipLws(s, method_end) != s.size()) {
    return fail(Errc::BadCSeq, static_cast<uint32_t>(pos), "malformed CSeq method");
  }
  CSeqView out;
  out.number = *number;
  out.method_text = s.substr(pos, method_end - pos);
  out.method = methodFromText(out.method_text);
  return out;
}

bool isValidCallId(std::string_view s) {
  std::size_t end = span(s, 0, grammar::kWord);
  if (end == 0) {
    return false;
  }
  if (end == s.size()) {
    return true;
  }
  if (s[end] != '@') {
    return false;
  }
  std::size_t host_end = span(s, end + 1, grammar::kWord);
  return host_end > end + 1 && host_end == s.size();
}

Result<uint32_t> parseDecimal(std::string_view s) {
  auto v = parseUnsigned<uint32_t>(trimLws(s));
  if (!v) {
    return fail(Errc::BadNumber, 0, "not a decimal number that fits in 32 bits");
  }
  return *v;
}

bool isValidSipDate(std::string_view s) {
  // wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT"
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  s = trimLws(s);
  if (s.size() != 29) {
    return false;
  }
  auto in = [](std::string_view word, const auto& list) {
    for (auto w : list) {
      if (w == word) {
        return true;
      }
    }
    return false;
  };
  auto digits = [&s](std::size_t pos, std::size_t n) {
    return span(s, pos, chars::kDigit) >= pos + n;
  };
  return in(s.substr(0, 3), kDays) && s.substr(3, 2) == ", " && digits(5, 2) && s[7] == ' ' &&
         in(s.substr(8, 3), kMonths) && s[11] == ' ' && digits(12, 4) && s[16] == ' ' &&
         digits(17, 2) && s[19] == ':' && digits(20, 2) && s[22] == ':' && digits(23, 2) &&
         s.substr(25) == " GMT";
}

namespace detail {
std::size_t nextToken(std::string_view s, std::size_t& pos, std::string_view& token) {
  pos = skipLws(s, pos);
  std::size_t end = span(s, pos, grammar::kToken);
  if (end == pos) {
    return std::string_view::npos;
  }
  token = s.substr(pos, end - pos);
  pos = skipLws(s, end);
  if (pos < s.size()) {
    if (s[pos] != ',') {
      return std::string_view::npos;
    }
    ++pos;
    if (skipLws(s, pos) == s.size()) {
      return std::string_view::npos; // trailing comma
    }
  }
  return end;
}
} // namespace detail

} // namespace gh::sip
