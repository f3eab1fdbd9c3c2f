#include "sip/parser/framing.h"

#include <cstring>
#include <string_view>

#include "common/text.h"
#include "sip/message/header_id.h"

namespace gh::sip {
namespace {

std::string_view lineAt(std::string_view s, std::size_t begin, std::size_t end) {
  std::string_view line = s.substr(begin, end - begin);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

} // namespace

Result<StreamFrame> frameStream(std::string_view buffer, const ParseLimits& limits) {
  std::size_t pos = 0;
  while (pos < buffer.size() && (buffer[pos] == '\r' || buffer[pos] == '\n')) {
    ++pos;
  }
  if (pos > 0) {
    return StreamFrame{StreamFrame::Kind::KeepAlive, pos};
  }
  // Find the empty line that ends the header section, within the size limit.
  std::size_t scan_limit = std::min<std::size_t>(buffer.size(), limits.max_message_bytes);
  std::size_t headers_end = 0;
  std::size_t content_length = 0;
  bool have_length = false;
  std::size_t line_begin = 0;
  while (true) {
    const void* nl = std::memchr(buffer.data() + line_begin, '\n', scan_limit - line_begin);
    if (nl == nullptr) {
      if (buffer.size() >= limits.max_message_bytes) {
        return fail(Errc::TooLarge, static_cast<uint32_t>(scan_limit),
                    "header section exceeds the message size limit");
      }
      return StreamFrame{};
    }
    std::size_t line_end =
        static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) + 1;
    std::string_view line = lineAt(buffer, line_begin, line_end);
    if (line.empty()) {
      headers_end = line_end;
      break;
    }
    std::size_t colon = line.find(':');
    if (line_begin > 0 && colon != std::string_view::npos && line[0] != ' ' && line[0] != '\t') {
      std::string_view name = trimLws(line.substr(0, colon));
      if (lookupHeader(name) == HeaderId::ContentLength) {
        if (have_length) {
          return fail(Errc::DuplicateHeader, static_cast<uint32_t>(line_begin),
                      "more than one Content-Length on a stream");
        }
        // Folded Content-Length values are not worth supporting in framing.
        auto value = parseUnsigned<uint32_t>(trimLws(line.substr(colon + 1)));
        if (!value) {
          return fail(Errc::BadContentLength, static_cast<uint32_t>(line_begin + colon + 1),
                      "malformed Content-Length on a stream");
        }
        content_length = *value;
        have_length = true;
      }
    }
    line_begin = line_end;
  }
  if (!have_length) {
    return fail(Errc::MissingHeader, 0, "Content-Length is mandatory on stream transports");
  }
  if (content_length > limits.max_body_bytes ||
      headers_end + content_length > limits.max_message_bytes) {
    return fail(Errc::TooLarge, static_cast<uint32_t>(headers_end),
                "message exceeds the size limit");
  }
  if (buffer.size() < headers_end + content_length) {
    return StreamFrame{};
  }
  return StreamFrame{StreamFrame::Kind::Message, headers_end + content_length};
}

} // namespace gh::sip
