#include "sip/message/name_addr.h"

#include "sip/message/grammar.h"

namespace gh::sip {
namespace {

using grammar::skipLws;
using grammar::span;

uint32_t at(std::size_t pos) {
  return static_cast<uint32_t>(pos);
}

constexpr CharSet kDisplayScan = grammar::kToken | chars::kLws;
constexpr CharSet kAddrSpecStop(";, \t\r\n");

} // namespace

std::size_t listElementEnd(std::string_view value, std::size_t pos) {
  // Most values hold one element: without a comma there is nothing to split, and quoting errors
  // are left to the element parser, which reports them with a better offset.
  if (value.find(',', pos) == std::string_view::npos) {
    return value.size();
  }
  bool in_angle = false;
  while (pos < value.size()) {
    char c = value[pos];
    if (c == '"' && !in_angle) {
      pos = grammar::skipQuotedString(value, pos);
      if (pos == std::string_view::npos) {
        return std::string_view::npos;
      }
      continue;
    }
    if (c == '<') {
      in_angle = true;
    } else if (c == '>') {
      in_angle = false;
    } else if (c == ',' && !in_angle) {
      return pos;
    }
    ++pos;
  }
  return in_angle ? std::string_view::npos : pos;
}

Result<NameAddrView> parseNameAddr(std::string_view s, std::size_t max_uri) {
  NameAddrView out;
  std::size_t pos = skipLws(s, 0);
  std::size_t uri_begin = 0;
  std::size_t uri_end = 0;
  if (pos < s.size() && s[pos] == '"') {
    std::size_t end = grammar::skipQuotedString(s, pos);
    if (end == std::string_view::npos) {
      return fail(Errc::BadQuotedString, at(pos), "unterminated quoted display name");
    }
    out.display_name = s.substr(pos, end - pos);
    pos = skipLws(s, end);
    if (pos >= s.size() || s[pos] != '<') {
      return fail(Errc::BadNameAddr, at(pos), "expected '<' after the display name");
    }
  } else {
    // A run of tokens followed by '<' is a display name; anything else is an addr-spec.
    std::size_t scan = span(s, pos, kDisplayScan);
    if (scan < s.size() && s[scan] == '<') {
      std::size_t name_end = scan;
      while (name_end > pos && chars::kLws.contains(s[name_end - 1])) {
        --name_end;
      }
      out.display_name = s.substr(pos, name_end - pos);
      pos = scan;
    }
  }
  if (pos < s.size() && s[pos] == '<') {
    // LAQUOT addr-spec RAQUOT: no white space is allowed inside the brackets.
    std::size_t close = s.find('>', pos + 1);
    if (close == std::string_view::npos) {
      return fail(Errc::BadNameAddr, at(pos), "missing '>'");
    }
    uri_begin = pos + 1;
    uri_end = close;
    out.bracketed = true;
    pos = close + 1;
  } else {
    // addr-spec form: the URI may not hold ';', ',' or '?' (RFC 3261 §20), so it ends at the
    // first ';' or white space and whatever follows are header parameters.
    uri_begin = pos;
    uri_end = pos;
    while (uri_end < s.size() && !kAddrSpecStop.contains(s[uri_end])) {
      ++uri_end;
    }
    pos = uri_end;
  }
  std::string_view uri_text = s.substr(uri_begin, uri_end - uri_begin);
  auto uri = parseUri(uri_text, max_uri);
  if (!uri) {
    return fail(uri.error().shifted(at(uri_begin)));
  }
  if (!out.bracketed && !uri->headers.empty()) {
    return fail(Errc::BadNameAddr, at(uri_begin), "a URI with headers must be enclosed in '<' '>'");
  }
  out.uri = *uri;
  std::size_t params_begin = pos;
  auto params_end = scanHeaderParams(s, pos);
  if (!params_end) {
    return fail(params_end.error());
  }
  if (*params_end != s.size()) {
    return fail(Errc::BadNameAddr, at(*params_end), "unexpected text after the address");
  }
  out.params =
      ParamsView(s.substr(params_begin, *params_end - params_begin), ParamsView::Kind::Header);
  return out;
}

std::string NameAddrView::displayNameText() const {
  std::string_view d = display_name;
  if (d.size() >= 2 && d.front() == '"' && d.back() == '"') {
    std::string out;
    d = d.substr(1, d.size() - 2);
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (d[i] == '\\' && i + 1 < d.size()) {
        ++i;
      }
      out.push_back(d[i]);
    }
    return out;
  }
  return std::string(d);
}

} // namespace gh::sip
