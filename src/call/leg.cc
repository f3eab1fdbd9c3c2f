#include "call/leg.h"

#include <fmt/format.h>

namespace gh::call {

std::string viaValue(const LegIdentity& me, std::string_view branch) {
  return fmt::format("SIP/2.0/{} {}:{};branch={}{}", sip::viaName(me.transport), me.host, me.port,
                     branch, me.transport == sip::Transport::Udp ? ";rport" : "");
}

std::string contactValue(const LegIdentity& me) {
  if (me.transport == sip::Transport::Udp)
    return fmt::format("<sip:{}:{}>", me.host, me.port);
  return fmt::format("<sip:{}:{};transport={}>", me.host, me.port, sip::uriParam(me.transport));
}

std::string withTagParam(std::string_view name_addr, std::string_view tag) {
  if (tag.empty())
    return std::string(name_addr);
  return fmt::format("{};tag={}", name_addr, tag);
}

std::string buildLegRequest(const Leg& leg, const RequestParts& p) {
  std::string out;
  out.reserve(640 + p.body.size());
  fmt::format_to(std::back_inserter(out), "{} {} SIP/2.0\r\n", p.method, leg.remote_target);
  fmt::format_to(std::back_inserter(out), "Via: {}\r\n", viaValue(leg.me, p.branch));
  fmt::format_to(std::back_inserter(out), "Max-Forwards: {}\r\n", p.max_forwards);
  for (const auto& route : leg.route_set) {
    fmt::format_to(std::back_inserter(out), "Route: {}\r\n", route);
  }
  fmt::format_to(std::back_inserter(out), "From: {}\r\n",
                 withTagParam(leg.local_uri, leg.local_tag));
  fmt::format_to(std::back_inserter(out), "To: {}\r\n",
                 withTagParam(leg.remote_uri, leg.remote_tag));
  fmt::format_to(std::back_inserter(out), "Call-ID: {}\r\nCSeq: {} {}\r\n", leg.call_id, p.cseq,
                 p.method);
  if (p.with_contact)
    fmt::format_to(std::back_inserter(out), "Contact: {}\r\n", contactValue(leg.me));
  if (!p.user_agent.empty()) {
    fmt::format_to(std::back_inserter(out), "User-Agent: {}\r\n", p.user_agent);
  }
  if (p.extra != nullptr) {
    for (const auto& h : *p.extra)
      fmt::format_to(std::back_inserter(out), "{}: {}\r\n", h.name, h.value);
  }
  if (!p.body.empty()) {
    fmt::format_to(std::back_inserter(out), "Content-Type: {}\r\n", p.content_type);
  }
  fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n\r\n", p.body.size());
  out += p.body;
  return out;
}

} // namespace gh::call
