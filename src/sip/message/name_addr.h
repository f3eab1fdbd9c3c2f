#pragma once
// name-addr / addr-spec values of From, To, Contact, Route, Record-Route, P-Asserted-Identity.
//
//   auto to = parseNameAddr(R"("Bob" <sip:bob@example.com>;tag=a6c85cf)");
//   to->uri.user == "bob"; to->tag() == "a6c85cf"; to->displayNameText() == "Bob"

#include <string>
#include <string_view>

#include "common/error.h"
#include "sip/message/params.h"
#include "sip/message/uri.h"

namespace gh::sip {

struct NameAddrView {
  std::string_view display_name; // as written: quoted (with quotes) or a run of tokens
  UriView uri;
  bool bracketed = false; // "<...>" form
  ParamsView params;      // header parameters after the URI (tag, expires, q, lr ...)

  std::string_view tag() const { return params.get("tag").value_or(std::string_view{}); }

  // The display name without quotes and with quoted-pairs resolved.
  std::string displayNameText() const;
};

// Parses one complete element (the whole of `text` must be consumed).
Result<NameAddrView> parseNameAddr(std::string_view text, std::size_t max_uri = kDefaultMaxUri);

// Calls fn(element, offset) for each comma-separated element of a header value list
// (commas inside quoted strings and <...> do not split). Fails on an empty element.
template <class Fn>
Result<std::size_t> forEachListElement(std::string_view value, Fn&& fn);

// Implementation detail of forEachListElement: the end of the element starting at `pos`.
std::size_t listElementEnd(std::string_view value, std::size_t pos);

template <class Fn>
Result<std::size_t> forEachListElement(std::string_view value, Fn&& fn) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = listElementEnd(value, pos);
    if (end == std::string_view::npos) {
      return fail(Errc::BadQuotedString, static_cast<uint32_t>(pos), "unterminated quote or '<'");
    }
    std::size_t begin = pos;
    while (begin < end && (value[begin] == ' ' || value[begin] == '\t' || value[begin] == '\r' ||
                           value[begin] == '\n')) {
      ++begin;
    }
    std::size_t stop = end;
    while (stop > begin && (value[stop - 1] == ' ' || value[stop - 1] == '\t' ||
                            value[stop - 1] == '\r' || value[stop - 1] == '\n')) {
      --stop;
    }
    if (stop == begin) {
      return fail(Errc::BadHeaderValue, static_cast<uint32_t>(begin), "empty list element");
    }
    auto status = fn(value.substr(begin, stop - begin), begin);
    if (!status) {
      return fail(status.error().shifted(static_cast<uint32_t>(begin)));
    }
    ++count;
    if (end >= value.size()) {
      return count;
    }
    pos = end + 1;
  }
}

} // namespace gh::sip
