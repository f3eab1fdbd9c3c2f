#include "config/types.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "common/charset.h"
#include "common/text.h"
#include "config/suggest.h"

namespace gh::config {
namespace {

constexpr std::array<std::string_view, 13> kVariableNames = {
    "ruri.user", "ruri.host", "ruri.port", "from.user", "from.host", "to.user",       "to.host",
    "peer.name", "peer.fqdn", "peer.host", "peer.port", "sbc.fqdn",  "source.address"};

ValueError err(std::string message, std::string hint = {}) {
  return ValueError{std::move(message), std::move(hint)};
}

std::string quote(std::string_view text) {
  return "'" + std::string(text) + "'";
}

} // namespace

std::string_view transportName(Transport transport) {
  switch (transport) {
  case Transport::Udp: return "udp";
  case Transport::Tcp: return "tcp";
  case Transport::Tls: return "tls";
  }
  return "?";
}

std::string_view variableName(Variable variable) {
  const auto i = static_cast<std::size_t>(variable);
  return i < kVariableNames.size() ? kVariableNames[i] : "?";
}

std::vector<std::string_view> variableNames() {
  return {kVariableNames.begin(), kVariableNames.end()};
}

ValueResult<IpAddress> parseIpAddress(std::string_view text) {
  // inet_pton needs a terminated string; anything longer than an IPv6 text form is not an address.
  char buf[INET6_ADDRSTRLEN + 1] = {};
  IpAddress ip;
  if (!text.empty() && text.size() < sizeof(buf)) {
    std::memcpy(buf, text.data(), text.size());
    if (inet_pton(AF_INET, buf, ip.bytes.data()) == 1) {
      ip.family = IpFamily::V4;
      return ip;
    }
    if (inet_pton(AF_INET6, buf, ip.bytes.data()) == 1) {
      ip.family = IpFamily::V6;
      return ip;
    }
  }
  std::string hint = "write an IPv4 address like 10.0.0.5 or an IPv6 address like 2001:db8::5";
  if (text.find('/') != std::string_view::npos) {
    hint = "a single address is needed here, not a CIDR block";
  } else if (text.find('%') != std::string_view::npos) {
    hint = "IPv6 zone indexes (%eth0) are not supported; use a global address";
  } else if (!text.empty() && chars::kAlpha.contains(text.front())) {
    hint = "host names are not accepted here: give the IP address";
  }
  return Unexpected(err(quote(text) + " is not an IP address", std::move(hint)));
}

ValueResult<SocketAddress> parseSocketAddress(std::string_view text, bool port_required,
                                              uint16_t example_port) {
  std::string_view host = text;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Unexpected(err(quote(text) + " has '[' without ']'", "write [2001:db8::1]:5060"));
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Unexpected(err(quote(text) + " is not an address", "write [2001:db8::1]:5060"));
      }
      port_text = rest.substr(1);
      has_port = true;
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    has_port = true;
  }
  auto ip = parseIpAddress(host);
  if (!ip) {
    ValueError e = ip.error();
    if (host != text) {
      e.message = quote(text) + ": " + e.message;
    }
    return Unexpected(std::move(e));
  }
  SocketAddress address{*ip, 0};
  if (has_port) {
    auto port = parseUnsigned<uint32_t>(port_text);
    if (!port || *port < 1 || *port > 65535) {
      return Unexpected(err(quote(text) + " port out of range 1-65535"));
    }
    address.port = static_cast<uint16_t>(*port);
  } else if (port_required) {
    const std::string port = ":" + std::to_string(example_port);
    std::string example = ip->family == IpFamily::V6 ? "[" + std::string(text) + "]" + port
                                                     : std::string(text) + port;
    return Unexpected(err(quote(text) + " has no port", "write it as " + example));
  }
  return address;
}

ValueResult<Cidr> parseCidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  auto ip = parseIpAddress(text.substr(0, slash));
  if (!ip) {
    return Unexpected(err(quote(text) + " is not an address block",
                          "write 10.0.0.0/16, 2001:db8::/32 or a single address"));
  }
  const unsigned max_prefix = ip->family == IpFamily::V4 ? 32 : 128;
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    auto parsed = parseUnsigned<unsigned>(text.substr(slash + 1));
    if (!parsed || *parsed > max_prefix) {
      return Unexpected(
          err(quote(text) + " prefix length out of range 0-" + std::to_string(max_prefix)));
    }
    prefix = *parsed;
  }
  // Host bits set ("10.0.0.5/16") usually means the user meant something else; say what.
  IpAddress network = *ip;
  for (unsigned bit = prefix; bit < max_prefix; ++bit) {
    network.bytes[bit / 8] = static_cast<uint8_t>(network.bytes[bit / 8] & ~(0x80U >> (bit % 8)));
  }
  if (network != *ip) {
    return Unexpected(
        err(quote(text) + " has host bits set",
            "did you mean '" + formatIpAddress(network) + "/" + std::to_string(prefix) + "'?"));
  }
  return Cidr{network, static_cast<uint8_t>(prefix), {}};
}

ValueResult<PortRange> parsePortRange(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return Unexpected(err(quote(text) + " is not a port range", "write it as \"20000-39999\""));
  }
  auto first = parseUnsigned<uint32_t>(trimLws(text.substr(0, dash)));
  auto last = parseUnsigned<uint32_t>(trimLws(text.substr(dash + 1)));
  if (!first || !last) {
    return Unexpected(err(quote(text) + " is not a port range", "write it as \"20000-39999\""));
  }
  if (*first < 1024 || *last > 65535 || *first > 65535) {
    return Unexpected(err(quote(text) + " media ports out of range 1024-65535",
                          "ports below 1024 are reserved; pick e.g. \"20000-39999\""));
  }
  if (*first > *last) {
    return Unexpected(err(quote(text) + " is reversed", "write the lower port first: \"" +
                                                            std::to_string(*last) + "-" +
                                                            std::to_string(*first) + "\""));
  }
  if (*first == *last) {
    return Unexpected(err(quote(text) + " holds a single port",
                          "each stream needs two (RTP and RTCP); e.g. \"20000-39999\""));
  }
  return PortRange{static_cast<uint16_t>(*first), static_cast<uint16_t>(*last), {}};
}

ValueResult<SipListener> parseSipListener(std::string_view text) {
  constexpr std::array<std::string_view, 3> kTransports = {"udp", "tcp", "tls"};
  const std::size_t colon = text.find(':');
  std::string_view transport_text = text.substr(0, colon);
  SipListener listener;
  if (iequals(transport_text, "udp")) {
    listener.transport = Transport::Udp;
  } else if (iequals(transport_text, "tcp")) {
    listener.transport = Transport::Tcp;
  } else if (iequals(transport_text, "tls")) {
    listener.transport = Transport::Tls;
  } else {
    std::string hint = suggestionHint(transport_text, kTransports, "transports");
    return Unexpected(err(quote(text) + " unknown transport '" + std::string(transport_text) + "'",
                          std::move(hint)));
  }
  if (colon == std::string_view::npos) {
    const char* port = listener.transport == Transport::Tls ? "5061" : "5060";
    return Unexpected(err(quote(text) + " has no port",
                          "write it as \"" + std::string(transport_text) + ":" + port + "\""));
  }
  auto port = parseUnsigned<uint32_t>(text.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535) {
    return Unexpected(err(quote(text) + " port out of range 1-65535"));
  }
  listener.port = static_cast<uint16_t>(*port);
  return listener;
}

ValueResult<Template> parseTemplate(std::string_view text, bool allow_groups) {
  Template tpl;
  tpl.text = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) {
      TemplatePart part;
      part.text = std::move(literal);
      tpl.parts.push_back(std::move(part));
      literal.clear();
    }
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      literal += c;
      continue;
    }
    const char next = text[i + 1];
    if (next == '$') {
      literal += '$';
      ++i;
    } else if (next == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return Unexpected(err("'${' without a closing '}' in " + quote(text),
                              "write variables as ${ruri.user}; a literal '$' is written $$"));
      }
      std::string_view name = text.substr(i + 2, close - i - 2);
      auto it = std::find(kVariableNames.begin(), kVariableNames.end(), name);
      if (it == kVariableNames.end()) {
        return Unexpected(err("unknown variable '${" + std::string(name) + "}'",
                              suggestionHint(name, kVariableNames, "known variables")));
      }
      flush();
      TemplatePart part;
      part.kind = TemplatePart::Kind::Var;
      part.variable = static_cast<Variable>(it - kVariableNames.begin());
      tpl.parts.push_back(std::move(part));
      i = close;
    } else if (allow_groups && (chars::kDigit.contains(next) || next == '&')) {
      flush();
      TemplatePart part;
      part.kind = TemplatePart::Kind::Group;
      part.group = next == '&' ? 0 : static_cast<uint8_t>(next - '0');
      tpl.parts.push_back(std::move(part));
      ++i;
    } else {
      literal += c; // a lone '$' is itself
    }
  }
  flush();
  return tpl;
}

ValueResult<std::string> parseHostName(std::string_view text) {
  constexpr CharSet kLabel = chars::kAlnum | CharSet("-");
  if (text.empty()) {
    return Unexpected(err("empty host name"));
  }
  if (parseIpAddress(text)) {
    return Unexpected(
        err(quote(text) + " is an IP address, not a host name", "put IP addresses in 'address'"));
  }
  std::string_view name = text;
  if (name.back() == '.') {
    name.remove_suffix(1); // an absolute name "example.com." is fine
  }
  if (name.size() > 253) {
    return Unexpected(err(quote(text) + " is longer than 253 characters"));
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) {
      dot = name.size();
    }
    std::string_view label = name.substr(start, dot - start);
    if (label.empty() || label.size() > 63) {
      return Unexpected(err(quote(text) + " is not a host name",
                            "labels between dots must have 1-63 characters"));
    }
    for (char c : label) {
      if (!kLabel.contains(c)) {
        std::string hint = c == '*' ? "wildcards are not allowed here"
                                    : "only letters, digits, '-' and '.' are allowed";
        return Unexpected(err(quote(text) + " is not a host name", std::move(hint)));
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return Unexpected(
          err(quote(text) + " is not a host name", "a label may not begin or end with '-'"));
    }
    start = dot + 1;
  }
  return std::string(text);
}

std::string formatIpAddress(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  const int family = ip.family == IpFamily::V4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, ip.bytes.data(), buf, sizeof(buf)) == nullptr) {
    return "?";
  }
  return buf;
}

std::string formatSocketAddress(const SocketAddress& address) {
  std::string host = formatIpAddress(address.ip);
  if (address.ip.family == IpFamily::V6) {
    host = "[" + host + "]";
  }
  if (address.port != 0) {
    host += ":" + std::to_string(address.port);
  }
  return host;
}

bool isUnspecified(const IpAddress& ip) {
  const std::size_t n = ip.family == IpFamily::V4 ? 4 : 16;
  return std::all_of(ip.bytes.begin(), ip.bytes.begin() + static_cast<std::ptrdiff_t>(n),
                     [](uint8_t b) { return b == 0; });
}

} // namespace gh::config
