#pragma once
// Small helpers for writing SIP header sections as text, shared by the builders here and in
// sip/dialog. Values are copied verbatim from received messages; nothing is re-encoded.

#include <string>
#include <string_view>
#include <vector>

#include "sip/message/message.h"

namespace gh::sip {

struct HeaderLine {
  std::string_view name;
  std::string_view value;
};

// "Name: value\r\n"
void appendHeader(std::string& out, std::string_view name, std::string_view value);
// Every element of every `id` header, in order, as written (comma lists split, §7.3.1).
std::vector<std::string_view> headerElements(const Message& message, HeaderId id);
// The first element of the first `id` header, e.g. the top Via as written.
std::string_view firstElement(const Message& message, HeaderId id);
// A name-addr header value as written with its tag parameter replaced by `tag` (removed when
// empty). Used for From/To of requests and responses built from received ones.
std::string withTag(const NameAddrView& value, std::string_view tag);
// "Content-Type" (when a body is given) and "Content-Length", then the empty line and the body.
void appendBody(std::string& out, std::string_view content_type, std::string_view body);

} // namespace gh::sip
