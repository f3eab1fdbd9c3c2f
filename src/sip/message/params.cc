#include "sip/message/params.h"

#include "common/text.h"
#include "sip/message/grammar.h"

namespace gh::sip {

using grammar::skipLws;
using grammar::span;

namespace {
// Lookups run over text already validated, so escapes can be stepped over as plain characters.
constexpr CharSet kUriParamScan = grammar::kParamChar | CharSet("%");
} // namespace

Result<std::size_t> scanUriParams(std::string_view s, std::size_t pos) {
  while (pos < s.size() && s[pos] == ';') {
    std::size_t name_end = grammar::spanEscaped(s, pos + 1, grammar::kParamChar);
    if (name_end == std::string_view::npos || name_end == pos + 1) {
      return fail(Errc::BadParam, static_cast<uint32_t>(pos), "empty or malformed uri parameter");
    }
    pos = name_end;
    if (pos < s.size() && s[pos] == '=') {
      std::size_t value_end = grammar::spanEscaped(s, pos + 1, grammar::kParamChar);
      if (value_end == std::string_view::npos || value_end == pos + 1) {
        return fail(Errc::BadParam, static_cast<uint32_t>(pos), "malformed uri parameter value");
      }
      pos = value_end;
    }
  }
  return pos;
}

Result<std::size_t> scanHeaderParams(std::string_view s, std::size_t pos) {
  pos = skipLws(s, pos);
  while (pos < s.size() && s[pos] == ';') {
    pos = skipLws(s, pos + 1);
    std::size_t name_end = span(s, pos, grammar::kToken);
    if (name_end == pos) {
      return fail(Errc::BadParam, static_cast<uint32_t>(pos), "empty parameter name");
    }
    pos = skipLws(s, name_end);
    if (pos < s.size() && s[pos] == '=') {
      pos = skipLws(s, pos + 1);
      std::size_t value_end = std::string_view::npos;
      if (pos < s.size() && s[pos] == '"') {
        value_end = grammar::skipQuotedString(s, pos);
        if (value_end == std::string_view::npos) {
          return fail(Errc::BadQuotedString, static_cast<uint32_t>(pos),
                      "unterminated quoted parameter value");
        }
      } else {
        value_end = span(s, pos, grammar::kGenValue);
        if (value_end == pos) {
          return fail(Errc::BadParam, static_cast<uint32_t>(pos), "empty parameter value");
        }
      }
      pos = skipLws(s, value_end);
    }
  }
  return pos;
}

bool ParamsView::next(std::size_t& pos, Param& out) const {
  const std::string_view s = raw_;
  if (kind_ == Kind::Header) {
    pos = skipLws(s, pos);
  }
  if (pos >= s.size() || s[pos] != ';') {
    return false;
  }
  ++pos;
  if (kind_ == Kind::Header) {
    pos = skipLws(s, pos);
  }
  const CharSet& name_set = kind_ == Kind::Uri ? kUriParamScan : grammar::kToken;
  std::size_t name_end = span(s, pos, name_set);
  out.name = s.substr(pos, name_end - pos);
  out.value = {};
  out.has_value = false;
  pos = name_end;
  std::size_t after = kind_ == Kind::Header ? skipLws(s, pos) : pos;
  if (after < s.size() && s[after] == '=') {
    pos = kind_ == Kind::Header ? skipLws(s, after + 1) : after + 1;
    std::size_t value_end = pos;
    if (kind_ == Kind::Header && pos < s.size() && s[pos] == '"') {
      value_end = grammar::skipQuotedString(s, pos);
      if (value_end == std::string_view::npos) {
        value_end = s.size();
      }
    } else {
      const CharSet& value_set = kind_ == Kind::Uri ? kUriParamScan : grammar::kGenValue;
      value_end = span(s, pos, value_set);
    }
    out.value = s.substr(pos, value_end - pos);
    out.has_value = true;
    pos = value_end;
  }
  return true;
}

std::optional<std::string_view> ParamsView::get(std::string_view name) const {
  std::size_t pos = 0;
  Param p;
  while (next(pos, p)) {
    if (iequals(p.name, name)) {
      return p.value;
    }
  }
  return std::nullopt;
}

std::size_t ParamsView::count() const {
  std::size_t n = 0;
  forEach([&n](const Param&) { ++n; });
  return n;
}

} // namespace gh::sip
