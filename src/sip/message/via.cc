#include "sip/message/via.h"

#include "common/text.h"
#include "sip/message/grammar.h"

namespace gh::sip {
namespace {

using grammar::skipLws;
using grammar::span;

uint32_t at(std::size_t pos) {
  return static_cast<uint32_t>(pos);
}

// protocol-name SLASH protocol-version SLASH transport, where SLASH = SWS "/" SWS.
Result<std::size_t> parseSentProtocol(std::string_view s, std::size_t pos, ViaView& via) {
  std::string_view* parts[3] = {&via.protocol, &via.version, &via.transport};
  for (int i = 0; i < 3; ++i) {
    pos = skipLws(s, pos);
    std::size_t end = span(s, pos, grammar::kToken);
    if (end == pos) {
      return fail(Errc::BadVia, at(pos), "malformed sent-protocol");
    }
    *parts[i] = s.substr(pos, end - pos);
    pos = skipLws(s, end);
    if (i < 2) {
      if (pos >= s.size() || s[pos] != '/') {
        return fail(Errc::BadVia, at(pos), "expected '/' in sent-protocol");
      }
      ++pos;
    }
  }
  if (!iequals(via.protocol, "SIP") || via.version != "2.0") {
    return fail(Errc::BadVia, 0, "Via protocol is not SIP/2.0");
  }
  return pos;
}

Result<std::size_t> parseSentBy(std::string_view s, std::size_t pos, ViaView& via) {
  std::size_t host_end = 0;
  if (pos < s.size() && s[pos] == '[') {
    std::size_t close = s.find(']', pos);
    if (close == std::string_view::npos || !grammar::isIpv6(s.substr(pos + 1, close - pos - 1))) {
      return fail(Errc::BadVia, at(pos), "malformed IPv6 sent-by");
    }
    host_end = close + 1;
    via.host_kind = HostKind::Ipv6;
  } else {
    host_end = span(s, pos, grammar::kHostName);
    auto kind = grammar::classifyHost(s.substr(pos, host_end - pos));
    if (kind == grammar::HostClass::Invalid) {
      return fail(Errc::BadVia, at(pos), "malformed sent-by host");
    }
    via.host_kind = kind == grammar::HostClass::Ipv4 ? HostKind::Ipv4 : HostKind::Name;
  }
  via.host = s.substr(pos, host_end - pos);
  pos = host_end;
  std::size_t colon = skipLws(s, pos);
  if (colon < s.size() && s[colon] == ':') {
    std::size_t digits = skipLws(s, colon + 1);
    std::size_t end = span(s, digits, chars::kDigit);
    auto port = parseUnsigned<uint16_t>(s.substr(digits, end - digits));
    if (!port || end - digits > 5) {
      return fail(Errc::BadVia, at(digits), "malformed sent-by port");
    }
    via.port = *port;
    via.has_port = true;
    pos = end;
  }
  return pos;
}

Result<void> readKnownParams(ViaView& via) {
  Result<void> status;
  via.params.forEach([&](const Param& p) {
    if (iequals(p.name, "branch")) {
      via.branch = p.value;
    } else if (iequals(p.name, "received")) {
      via.received = p.value;
      // RFC 5118 §4.5: accept the bracketed form as well as the ABNF's bare IPv6address.
      std::string_view addr = p.value;
      if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']') {
        addr = addr.substr(1, addr.size() - 2);
      }
      if (!grammar::isIpv4(addr) && !grammar::isIpv6(addr)) {
        status = fail(Errc::BadVia, 0, "received is not an IP address");
      }
    } else if (iequals(p.name, "maddr")) {
      via.maddr = p.value;
    } else if (iequals(p.name, "ttl")) {
      auto ttl = parseUnsigned<uint8_t>(p.value);
      if (!ttl) {
        status = fail(Errc::BadVia, 0, "ttl is not 0-255");
      }
      via.ttl = ttl;
    } else if (iequals(p.name, "rport")) {
      via.has_rport = true;
      if (p.has_value) {
        auto rport = parseUnsigned<uint16_t>(p.value);
        if (!rport) {
          status = fail(Errc::BadVia, 0, "rport is not a port number");
        }
        via.rport = rport;
      }
    }
  });
  return status;
}

} // namespace

Result<ViaView> parseVia(std::string_view s) {
  ViaView via;
  auto after_protocol = parseSentProtocol(s, 0, via);
  if (!after_protocol) {
    return fail(after_protocol.error());
  }
  std::size_t pos = *after_protocol;
  if (pos == 0 || pos >= s.size() || !chars::kLws.contains(s[pos - 1])) {
    return fail(Errc::BadVia, at(pos), "expected white space before sent-by");
  }
  auto after_sent_by = parseSentBy(s, pos, via);
  if (!after_sent_by) {
    return fail(after_sent_by.error());
  }
  pos = *after_sent_by;
  std::size_t params_begin = pos;
  auto params_end = scanHeaderParams(s, pos);
  if (!params_end) {
    return fail(Error(Errc::BadVia, params_end.error().offset, params_end.error().what));
  }
  if (*params_end != s.size()) {
    return fail(Errc::BadVia, at(*params_end), "unexpected text in Via");
  }
  via.params =
      ParamsView(s.substr(params_begin, *params_end - params_begin), ParamsView::Kind::Header);
  auto known = readKnownParams(via);
  if (!known) {
    return fail(known.error().shifted(at(params_begin)));
  }
  return via;
}

} // namespace gh::sip
