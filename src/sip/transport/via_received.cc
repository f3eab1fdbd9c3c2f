#include "sip/transport/via_received.h"

#include "common/text.h"

namespace gh::sip {
namespace {

bool sentByIsSource(const ViaView& via, const net::Endpoint& source) {
  if (via.host_kind != HostKind::Ipv4 && via.host_kind != HostKind::Ipv6) {
    return false; // a host name never equals an address (RFC 3261 §18.2.1)
  }
  auto host = net::Endpoint::fromIp(via.host, 0);
  return host && host->sameAddress(source);
}

} // namespace

std::optional<ViaStamp> receivedViaValue(const Message& request, const net::Endpoint& source) {
  const HeaderField* field = request.first(HeaderId::Via);
  if (field == nullptr || !source.valid()) {
    return std::nullopt;
  }
  ViaView via = request.topVia();
  bool fill_rport = via.has_rport && !via.rport;
  bool add_received = fill_rport || !sentByIsSource(via, source);
  if (!add_received) {
    return std::nullopt;
  }
  std::string received = "received=" + source.ip(); // RFC 3261: IPv6 without brackets
  std::string params;
  bool received_written = false;
  via.params.forEach([&](const Param& p) {
    if (iequals(p.name, "received")) {
      if (!received_written) { // a forged or stale received= is replaced in place
        params += ";" + received;
        received_written = true;
      }
      return;
    }
    if (fill_rport && iequals(p.name, "rport")) {
      params += ";rport=" + std::to_string(source.port());
      return;
    }
    params += ';';
    params += p.name;
    if (p.has_value) {
      params += '=';
      params += p.value;
    }
  });
  if (!received_written) {
    params += ";" + received;
  }
  std::string_view value = field->value;
  std::size_t begin = static_cast<std::size_t>(via.params.raw().data() - value.data());
  std::size_t end = begin + via.params.raw().size();
  std::string out;
  out.reserve(value.size() + received.size() + 8);
  out.append(value.substr(0, begin));
  out.append(params);
  out.append(value.substr(end));
  return ViaStamp{request.indexOf(*field), std::move(out)};
}

} // namespace gh::sip
