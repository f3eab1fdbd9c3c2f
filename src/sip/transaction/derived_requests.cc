#include "sip/transaction/derived_requests.h"

#include "sip/transaction/header_text.h"

namespace gh::sip {
namespace {

std::string derive(const Message& request, std::string_view method, std::string_view to) {
  std::string out;
  out.reserve(request.wire().size() / 2 + 64);
  out.append(method);
  out.push_back(' ');
  out.append(request.requestUriText());
  out.append(" SIP/2.0\r\n");
  appendHeader(out, "Via", firstElement(request, HeaderId::Via));
  for (const auto& h : request.headers()) {
    if (h.id == HeaderId::Route) {
      appendHeader(out, "Route", h.value);
    }
  }
  appendHeader(out, "Max-Forwards", "70");
  appendHeader(out, "From", request.first(HeaderId::From)->value);
  appendHeader(out, "To", to);
  appendHeader(out, "Call-ID", request.callId());
  out.append("CSeq: ");
  out.append(std::to_string(request.cseq().number));
  out.push_back(' ');
  out.append(method);
  out.append("\r\n");
  appendBody(out, {}, {});
  return out;
}

} // namespace

std::string buildNon2xxAck(const Message& invite, const Message& response) {
  return derive(invite, "ACK", response.first(HeaderId::To)->value);
}

std::string buildCancel(const Message& request) {
  return derive(request, "CANCEL", request.first(HeaderId::To)->value);
}

} // namespace gh::sip
