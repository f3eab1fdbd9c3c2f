#include "sip/dialog/request_builder.h"

namespace gh::sip {

std::string viaValue(const ViaSpec& via) {
  std::string out = "SIP/2.0/";
  out.append(viaName(via.transport));
  out.push_back(' ');
  out.append(via.sent_by);
  out.append(";branch=");
  out.append(via.branch);
  // RFC 3581: ask for the response at the source port; harmless when nothing is NATed.
  out.append(";rport");
  return out;
}

std::string writeRequest(const RequestParts& parts, const ViaSpec& via,
                         const RequestExtras& extras) {
  std::string out;
  out.reserve(512 + extras.body.size());
  out.append(parts.method);
  out.push_back(' ');
  out.append(parts.request_uri);
  out.append(" SIP/2.0\r\n");
  appendHeader(out, "Via", viaValue(via));
  appendHeader(out, "Max-Forwards", std::to_string(parts.max_forwards));
  for (std::string_view route : parts.routes) {
    appendHeader(out, "Route", route);
  }
  appendHeader(out, "From", parts.from);
  appendHeader(out, "To", parts.to);
  appendHeader(out, "Call-ID", parts.call_id);
  out.append("CSeq: ");
  out.append(std::to_string(parts.cseq));
  out.push_back(' ');
  out.append(parts.method);
  out.append("\r\n");
  if (!parts.contact.empty()) {
    appendHeader(out, "Contact", parts.contact);
  }
  for (const auto& h : extras.headers) {
    appendHeader(out, h.name, h.value);
  }
  appendBody(out, extras.content_type, extras.body);
  return out;
}

std::string buildRequest(const OutOfDialogRequest& request, const ViaSpec& via) {
  std::string from(request.from);
  if (!request.from_tag.empty()) {
    from.append(";tag=");
    from.append(request.from_tag);
  }
  RequestParts parts;
  parts.method = request.method;
  parts.request_uri = request.request_uri;
  parts.routes = request.routes;
  parts.from = from;
  parts.to = request.to;
  parts.call_id = request.call_id;
  parts.cseq = request.cseq;
  parts.contact = request.contact;
  parts.max_forwards = request.max_forwards;
  return writeRequest(parts, via, request.extras);
}

} // namespace gh::sip
