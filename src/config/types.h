#pragma once
// Value types the configuration is made of: addresses, port ranges, SIP listeners, file
// references, regexes and header templates. The loader parses each once, so later layers never
// re-parse configuration text; the parse functions are public so that tools and tests use the
// same rules.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "config/source_location.h"

namespace gh::config {

enum class IpFamily : uint8_t { V4, V6 };

struct IpAddress {
  IpFamily family = IpFamily::V4;
  std::array<uint8_t, 16> bytes{}; // network byte order; V4 uses the first 4

  bool operator==(const IpAddress&) const = default;
};

struct SocketAddress {
  IpAddress ip;
  uint16_t port = 0; // 0 = not given

  bool operator==(const SocketAddress&) const = default;
};

// An address block of an allow list: "10.0.0.0/16", "2001:db8::/32"; a bare address is a /32
// (or /128).
struct Cidr {
  IpAddress network;
  uint8_t prefix_length = 0;
  SourceLocation where;
};

// Inclusive: "20000-39999" is first = 20000, last = 39999.
struct PortRange {
  uint16_t first = 0;
  uint16_t last = 0;
  SourceLocation where;
};

enum class Transport : uint8_t { Udp, Tcp, Tls };

// "udp:5060", "tcp:5060", "tls:5061".
struct SipListener {
  Transport transport = Transport::Udp;
  uint16_t port = 0;
  SourceLocation where;
};

// A file named in the config. The loader never opens it (loading is pure); `gatehouse check`
// does, and reports problems at `where`.
struct FileRef {
  std::string text;           // as written; empty = not configured
  std::filesystem::path path; // `text` resolved against the config file's folder
  SourceLocation where;
};

// A reference by name to another config object (peer, interface) or a header/method name.
struct NameRef {
  std::string name;
  SourceLocation where;
};

// An ECMAScript regular expression, compiled with regex_syntax.h's kRegexSyntax (the loader has
// checked that it compiles). Matched with std::regex_search: anchor with ^ and $ when needed.
struct Regex {
  std::string pattern;
  SourceLocation where;
};

// Variables a header or Request-URI template may use, written ${ruri.user} etc.
enum class Variable : uint8_t {
  RuriUser,      // ruri.user      user part of the incoming Request-URI
  RuriHost,      // ruri.host
  RuriPort,      // ruri.port      empty when absent
  FromUser,      // from.user      user part of the From URI
  FromHost,      // from.host
  ToUser,        // to.user
  ToHost,        // to.host
  PeerName,      // peer.name      the route's target peer
  PeerFqdn,      // peer.fqdn      (the loader rejects it for peers without an fqdn)
  PeerHost,      // peer.host      fqdn when set, else the address
  PeerPort,      // peer.port
  SbcFqdn,       // sbc.fqdn       (the loader rejects it when [sbc] fqdn is not set)
  SourceAddress, // source.address the IP the request came from
};

struct TemplatePart {
  enum class Kind : uint8_t { Text, Var, Group };
  Kind kind = Kind::Text;
  std::string text;                       // Kind::Text
  Variable variable = Variable::RuriUser; // Kind::Var
  uint8_t group = 0;                      // Kind::Group: $0 (also $&) .. $9 of a replace pattern
};

// "<sip:${ruri.user}@${peer.fqdn}>": text and variables; `$$` is a literal '$'.
struct Template {
  std::string text; // as written
  std::vector<TemplatePart> parts;
  SourceLocation where;
};

std::string_view transportName(Transport transport); // "udp", "tcp", "tls"
std::string_view variableName(Variable variable);    // "ruri.user", ...
std::vector<std::string_view> variableNames();

// Why a value did not parse: the message part and the hint part of a diagnostic.
struct ValueError {
  std::string message;
  std::string hint;
};

template <class T>
using ValueResult = Expected<T, ValueError>;

ValueResult<IpAddress> parseIpAddress(std::string_view text);
// "IP" or "IP:port"; IPv6 with a port is written "[2001:db8::1]:5060". `example_port` is the
// port the hint suggests when a required port is missing.
ValueResult<SocketAddress> parseSocketAddress(std::string_view text, bool port_required,
                                              uint16_t example_port = 5060);
ValueResult<Cidr> parseCidr(std::string_view text);
ValueResult<PortRange> parsePortRange(std::string_view text);
ValueResult<SipListener> parseSipListener(std::string_view text);
// `allow_groups`: also accept $0-$9 and $& (the replacement of a regex replace).
ValueResult<Template> parseTemplate(std::string_view text, bool allow_groups);
// A DNS name: dot-separated labels of letters, digits and '-', at most 253 characters.
ValueResult<std::string> parseHostName(std::string_view text);

std::string formatIpAddress(const IpAddress& ip);
std::string formatSocketAddress(const SocketAddress& address); // "1.2.3.4:5060", "[::1]:5060"
bool isUnspecified(const IpAddress& ip);                       // 0.0.0.0 or ::

} // namespace gh::config
