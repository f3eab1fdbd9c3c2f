#include "app/demo/sip_text.h"

#include <fmt/format.h>

namespace gh::app::demo {

std::string makeResponse(const sip::Message& request, int code, std::string_view reason,
                         std::string_view to_tag, std::string_view headers, std::string_view sdp) {
  std::string out = fmt::format("SIP/2.0 {} {}\r\n", code, reason);
  for (const sip::HeaderField& h : request.headers()) {
    switch (h.id) {
    case sip::HeaderId::Via:
    case sip::HeaderId::From:
    case sip::HeaderId::CallId:
    case sip::HeaderId::CSeq:
    case sip::HeaderId::RecordRoute: out += fmt::format("{}: {}\r\n", h.name, h.value); break;
    case sip::HeaderId::To:
      if (request.to().tag().empty() && !to_tag.empty())
        out += fmt::format("{}: {};tag={}\r\n", h.name, h.value, to_tag);
      else
        out += fmt::format("{}: {}\r\n", h.name, h.value);
      break;
    default: break;
    }
  }
  out += headers;
  out += "Server: Gatehouse demo peer\r\n";
  if (!sdp.empty())
    out += "Content-Type: application/sdp\r\n";
  out += fmt::format("Content-Length: {}\r\n\r\n", sdp.size());
  out += sdp;
  return out;
}

std::string ladderLabel(const sip::Message& message) {
  if (message.isRequest())
    return std::string(message.methodText());
  return fmt::format("{} {}", message.statusCode(), message.reasonPhrase());
}

std::string_view headerValue(const sip::Message& message, std::string_view name) {
  const sip::HeaderField* h = message.first(name);
  return h != nullptr ? h->value : std::string_view{};
}

} // namespace gh::app::demo
