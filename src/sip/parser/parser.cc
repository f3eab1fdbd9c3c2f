#include "sip/parser/parser.h"

#include <cstring>
#include <memory>

#include "common/scan.h"
#include "common/text.h"
#include "sip/message/grammar.h"

namespace gh::sip {
namespace {

uint32_t at(std::size_t pos) {
  return static_cast<uint32_t>(pos);
}

// Offset of `part` (a view into `whole`) from the start of `whole`.
uint32_t offsetIn(std::string_view whole, std::string_view part) {
  return static_cast<uint32_t>(part.data() - whole.data());
}

bool isVersion20(std::string_view v) {
  return v.size() == 7 && istartsWith(v, "SIP/") && v.substr(4) == "2.0";
}

// "SIP/" 1*DIGIT "." 1*DIGIT, any numbers: a well-formed version we may not support.
bool looksLikeVersion(std::string_view v) {
  if (!istartsWith(v, "SIP/")) {
    return false;
  }
  std::size_t dot = v.find('.', 4);
  return dot != std::string_view::npos && dot > 4 && grammar::span(v, 4, chars::kDigit) == dot &&
         dot + 1 < v.size() && grammar::span(v, dot + 1, chars::kDigit) == v.size();
}

Result<void> parseStatusLine(std::string_view s, std::string_view line, MessageIndex& index) {
  std::size_t sp = line.find(' ');
  std::string_view version = line.substr(0, sp);
  if (!isVersion20(version)) {
    return looksLikeVersion(version)
               ? fail(Errc::BadVersion, offsetIn(s, line), "unsupported SIP version")
               : fail(Errc::BadStartLine, offsetIn(s, line), "malformed status line");
  }
  if (sp == std::string_view::npos) {
    return fail(Errc::BadStartLine, offsetIn(s, line) + at(line.size()), "missing status code");
  }
  // Responses are never relayed verbatim by a B2BUA, so extra SP before the code (seen in
  // RFC 3665's own 486 examples) is tolerated here, unlike in a Request-Line.
  std::size_t code_begin = grammar::span(line, sp, chars::kWsp);
  std::size_t code_end = grammar::span(line, code_begin, chars::kDigit);
  if (code_end - code_begin != 3 || (code_end < line.size() && line[code_end] != ' ')) {
    return fail(Errc::BadStatusCode, offsetIn(s, line) + at(code_begin),
                "status code is not 3 digits");
  }
  auto code = parseUnsigned<uint16_t>(line.substr(code_begin, 3));
  if (!code || *code < 100 || *code > 699) {
    return fail(Errc::BadStatusCode, offsetIn(s, line) + at(code_begin),
                "status code outside 100-699");
  }
  index.is_request = false;
  index.status_code = *code;
  index.reason = code_end < line.size() ? line.substr(code_end + 1) : std::string_view{};
  if (index.reason.find('\r') != std::string_view::npos) {
    return fail(Errc::BadStartLine, offsetIn(s, index.reason), "CR inside the reason phrase");
  }
  return {};
}

Result<void> parseRequestLine(std::string_view s, std::string_view line, const ParseLimits& limits,
                              MessageIndex& index) {
  // Method SP Request-URI SP SIP-Version: exactly one SP between elements (RFC 4475 §3.1.2.9).
  uint32_t base = offsetIn(s, line);
  std::size_t method_end = grammar::span(line, 0, grammar::kToken);
  if (method_end == 0 || method_end >= line.size() || line[method_end] != ' ') {
    return fail(Errc::BadStartLine, base + at(method_end), "malformed method in request line");
  }
  std::size_t uri_begin = method_end + 1;
  std::size_t uri_end = line.find(' ', uri_begin);
  if (uri_end == std::string_view::npos || uri_end == uri_begin) {
    return fail(Errc::BadStartLine, base + at(uri_begin),
                "request line needs Method SP URI SP Version");
  }
  std::string_view version = line.substr(uri_end + 1);
  if (!isVersion20(version)) {
    return looksLikeVersion(version)
               ? fail(Errc::BadVersion, base + at(uri_end + 1), "unsupported SIP version")
               : fail(Errc::BadStartLine, base + at(uri_end + 1), "malformed SIP version");
  }
  std::string_view uri_text = line.substr(uri_begin, uri_end - uri_begin);
  auto uri = parseUri(uri_text, limits.max_uri);
  if (!uri) {
    return fail(uri.error().shifted(base + at(uri_begin)));
  }
  if (!uri->headers.empty()) {
    // RFC 3261 §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
    return fail(Errc::BadUri, base + at(uri_begin), "URI headers are not allowed in a Request-URI");
  }
  index.is_request = true;
  index.method_text = line.substr(0, method_end);
  index.method = methodFromText(index.method_text);
  index.request_uri = uri_text;
  return {};
}

// Finds the end of the line starting at `pos`: the index after its '\n', or npos.
std::size_t lineEnd(std::string_view s, std::size_t pos) {
  const void* nl = std::memchr(s.data() + pos, '\n', s.size() - pos);
  return nl == nullptr ? std::string_view::npos
                       : static_cast<std::size_t>(static_cast<const char*>(nl) - s.data()) + 1;
}

// The end of the physical line starting at `pos`: the index after its LF, or npos when the line
// is unterminated. A CR must be followed by LF: a bare CR would end the line for some peers and
// not for others, which is how requests get smuggled past a border.
Result<std::size_t> physicalLineEnd(std::string_view s, std::size_t pos) {
  const char* end = s.data() + s.size();
  const char* p = findLineBreak(s.data() + pos, end);
  if (p == end) {
    return std::string_view::npos;
  }
  if (*p == '\r') {
    if (p + 1 == end) {
      return std::string_view::npos;
    }
    if (p[1] != '\n') {
      return fail(Errc::BadHeaderLine, at(static_cast<std::size_t>(p - s.data())),
                  "bare CR inside a header line");
    }
    ++p;
  }
  return static_cast<std::size_t>(p - s.data()) + 1;
}

Result<void> parseHeaderSection(std::string_view s, std::size_t pos, const ParseLimits& limits,
                                MessageIndex& index) {
  while (true) {
    if (pos >= s.size()) {
      return fail(Errc::Truncated, at(pos), "header section not terminated by an empty line");
    }
    if (s[pos] == '\n' || (s[pos] == '\r' && pos + 1 < s.size() && s[pos + 1] == '\n')) {
      index.headers_end = at(pos + (s[pos] == '\n' ? 1 : 2));
      return {};
    }
    if (s[pos] == ' ' || s[pos] == '\t') {
      return fail(Errc::BadHeaderLine, at(pos), "continuation line without a header");
    }
    const std::size_t begin = pos;
    std::size_t end = pos;
    do {
      auto next = physicalLineEnd(s, end); // repeated for RFC 3261 §7.3.1 folded lines
      if (!next) {
        return fail(next.error());
      }
      end = *next;
      if (end == std::string_view::npos) {
        return fail(Errc::Truncated, at(begin), "header line not terminated");
      }
    } while (end < s.size() && (s[end] == ' ' || s[end] == '\t'));
    if (end - begin > limits.max_header_line) {
      return fail(Errc::HeaderTooLong, at(begin), "header longer than the configured limit");
    }
    if (index.headers.size() >= limits.max_headers) {
      return fail(Errc::TooManyHeaders, at(begin), "more headers than the configured limit");
    }
    std::string_view line = s.substr(begin, end - begin);
    std::size_t name_end = grammar::span(line, 0, grammar::kToken);
    if (name_end == 0) {
      return fail(Errc::BadHeaderName, at(begin), "malformed header name");
    }
    std::size_t colon = grammar::span(line, name_end, chars::kWsp);
    if (colon >= line.size() || line[colon] != ':') {
      return fail(Errc::BadHeaderLine, at(begin + colon), "header line without ':'");
    }
    HeaderField field;
    field.name = line.substr(0, name_end);
    field.value = trimLws(line.substr(colon + 1));
    field.id = lookupHeader(field.name);
    field.line_begin = at(begin);
    field.line_end = at(end);
    index.headers.push_back(field);
    pos = end;
  }
}

Result<void> frameBody(std::string_view s, const ParseLimits& limits, Framing framing,
                       MessageIndex& index) {
  const HeaderField* length_header = nullptr;
  for (const auto& h : index.headers) {
    if (h.id == HeaderId::ContentLength) {
      if (length_header != nullptr) {
        return fail(Errc::DuplicateHeader, h.line_begin, "more than one Content-Length");
      }
      length_header = &h;
    }
  }
  const std::size_t available = s.size() - index.headers_end;
  if (length_header == nullptr) {
    if (framing == Framing::Stream) {
      return fail(Errc::MissingHeader, index.headers_end,
                  "Content-Length is mandatory on stream transports");
    }
    if (available > limits.max_body_bytes) {
      return fail(Errc::BodyTooLarge, index.headers_end, "body larger than the configured limit");
    }
    index.body_size = at(available);
    return {};
  }
  index.has_content_length = true;
  auto length = parseUnsigned<uint32_t>(length_header->value);
  if (!length) {
    return fail(Errc::BadContentLength, offsetIn(s, length_header->value),
                "Content-Length is not a non-negative decimal number");
  }
  if (*length > limits.max_body_bytes) {
    return fail(Errc::BodyTooLarge, offsetIn(s, length_header->value),
                "Content-Length larger than the configured body limit");
  }
  if (*length > available) {
    return fail(framing == Framing::Stream ? Errc::Truncated : Errc::BadContentLength,
                offsetIn(s, length_header->value), "Content-Length larger than the bytes received");
  }
  index.body_size = *length;
  index.ignored_trailing = at(available - *length);
  return {};
}

Result<void> validateHeader(std::string_view s, const HeaderField& h, const ParseLimits& limits,
                            MessageIndex& index, uint32_t& via_count) {
  const uint32_t base = offsetIn(s, h.value);
  switch (h.id) {
  case HeaderId::Via: {
    auto n = forEachListElement(h.value, [](std::string_view element, std::size_t) {
      auto via = parseVia(element);
      return via ? Result<void>{} : Result<void>(fail(via.error()));
    });
    if (!n) {
      return fail(Error(Errc::BadVia, base + n.error().offset, n.error().what));
    }
    via_count += static_cast<uint32_t>(*n);
    if (via_count > limits.max_vias) {
      return fail(Errc::TooManyVias, base, "more Via entries than the configured limit");
    }
    return {};
  }
  case HeaderId::From:
  case HeaderId::To: {
    auto addr = parseNameAddr(h.value, limits.max_uri);
    if (!addr) {
      return fail(
          Error(addr.error().code == Errc::UriTooLong ? Errc::UriTooLong : Errc::BadNameAddr,
                base + addr.error().offset, addr.error().what));
    }
    return {};
  }
  case HeaderId::CallId:
    if (!isValidCallId(h.value)) {
      return fail(Errc::BadCallId, base, "malformed Call-ID");
    }
    return {};
  case HeaderId::CSeq: {
    auto cseq = parseCSeq(h.value);
    if (!cseq) {
      return fail(cseq.error().shifted(base));
    }
    if (index.is_request && cseq->method_text != index.method_text) {
      return fail(Errc::CSeqMethodMismatch, base, "CSeq method differs from the request method");
    }
    return {};
  }
  case HeaderId::MaxForwards:
    if (!parseUnsigned<uint32_t>(h.value)) {
      return fail(Errc::BadMaxForwards, base, "Max-Forwards is not a decimal number");
    }
    return {};
  case HeaderId::Contact:
  case HeaderId::Route:
  case HeaderId::RecordRoute: {
    if (h.id == HeaderId::Contact && h.value == "*") {
      return {};
    }
    const bool needs_brackets = h.id != HeaderId::Contact;
    auto n = forEachListElement(h.value, [&](std::string_view element, std::size_t) {
      auto addr = parseNameAddr(element, limits.max_uri);
      if (!addr) {
        return Result<void>(fail(addr.error()));
      }
      if (needs_brackets && !addr->bracketed) {
        return Result<void>(fail(Errc::BadNameAddr, 0, "Route/Record-Route needs <...>"));
      }
      return Result<void>{};
    });
    if (!n) {
      return fail(Error(h.id == HeaderId::Contact ? Errc::BadContact : Errc::BadNameAddr,
                        base + n.error().offset, n.error().what));
    }
    return {};
  }
  case HeaderId::Date:
    if (!isValidSipDate(h.value)) {
      return fail(Errc::BadDate, base, "Date is not an RFC 1123 date in GMT");
    }
    return {};
  default: return {};
  }
}

Result<void> validateHeaders(std::string_view s, const ParseLimits& limits, MessageIndex& index) {
  // RFC 3261 §8.1.1: every request and response carries these, each exactly once.
  struct Required {
    HeaderId id;
    const char* missing;
    const char* duplicate;
  };

  static constexpr Required kSingle[] = {
      {HeaderId::To, "missing To", "more than one To"},
      {HeaderId::From, "missing From", "more than one From"},
      {HeaderId::CallId, "missing Call-ID", "more than one Call-ID"},
      {HeaderId::CSeq, "missing CSeq", "more than one CSeq"},
  };
  uint8_t seen[static_cast<std::size_t>(HeaderId::Count)] = {};
  uint32_t via_count = 0;
  for (const auto& h : index.headers) {
    auto& n = seen[static_cast<std::size_t>(h.id)];
    n = static_cast<uint8_t>(n < 255 ? n + 1 : n);
    if (n > 1 &&
        (h.id == HeaderId::MaxForwards || h.id == HeaderId::ContentType || h.id == HeaderId::To ||
         h.id == HeaderId::From || h.id == HeaderId::CallId || h.id == HeaderId::CSeq)) {
      return fail(Errc::DuplicateHeader, h.line_begin, "header that must appear once is repeated");
    }
    auto ok = validateHeader(s, h, limits, index, via_count);
    if (!ok) {
      return ok;
    }
  }
  for (const auto& r : kSingle) {
    if (seen[static_cast<std::size_t>(r.id)] == 0) {
      return fail(Errc::MissingHeader, index.begin, r.missing);
    }
  }
  if (via_count == 0) {
    return fail(Errc::MissingHeader, index.begin, "missing Via");
  }
  if (seen[static_cast<std::size_t>(HeaderId::Contact)] > 1) {
    for (const auto& h : index.headers) {
      if (h.id == HeaderId::Contact && h.value == "*") {
        return fail(Errc::BadContact, h.line_begin, "Contact '*' must stand alone");
      }
    }
  }
  return {};
}

} // namespace

Result<Message> parseMessage(std::string_view wire, const ParseLimits& limits, Framing framing) {
  if (wire.size() > limits.max_message_bytes) {
    return fail(Errc::TooLarge, limits.max_message_bytes,
                "message larger than the configured limit");
  }
  auto bytes = std::make_unique_for_overwrite<char[]>(wire.size());
  if (!wire.empty()) {
    std::memcpy(bytes.get(), wire.data(), wire.size());
  }
  const std::string_view s(bytes.get(), wire.size());

  MessageIndex index;
  index.headers.reserve(32);
  std::size_t pos = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (pos < s.size() && (s[pos] == '\r' || s[pos] == '\n')) {
    ++pos;
  }
  index.begin = at(pos);
  std::size_t start_end = pos < s.size() ? lineEnd(s, pos) : std::string_view::npos;
  if (start_end == std::string_view::npos) {
    return fail(Errc::Truncated, at(pos), "no complete start line");
  }
  index.start_line_end = at(start_end);
  std::string_view line = s.substr(pos, start_end - pos - 1);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  auto start = istartsWith(line, "SIP/") ? parseStatusLine(s, line, index)
                                         : parseRequestLine(s, line, limits, index);
  if (!start) {
    return fail(start.error());
  }
  if (auto headers = parseHeaderSection(s, start_end, limits, index); !headers) {
    return fail(headers.error());
  }
  if (auto body = frameBody(s, limits, framing, index); !body) {
    return fail(body.error());
  }
  if (auto valid = validateHeaders(s, limits, index); !valid) {
    return fail(valid.error());
  }
  return Message(std::move(bytes), at(wire.size()), std::move(index));
}

} // namespace gh::sip
