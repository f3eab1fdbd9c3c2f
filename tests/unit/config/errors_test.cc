// Every kind of error the loader reports, each with its exact file:line:col and hint, and
// several at once. A message here is part of the user interface: change it on purpose only.

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printers.h"

namespace gh::config {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// The errors of a load that must fail, formatted (warnings are left out: a test about warnings
// uses warningsOf, and ManyErrorsAtOnce shows that they come along with the errors).
std::vector<std::string> errorsOf(std::string_view text) {
  auto loaded = loadString(text, "t.toml", "/etc/gatehouse");
  if (loaded) {
    ADD_FAILURE() << "loaded, but should not have:\n" << text;
    return {};
  }
  std::vector<std::string> out;
  for (const Diagnostic& d : loaded.error()) {
    if (d.severity == Severity::Error) {
      out.push_back(formatDiagnostic(d));
    }
  }
  return out;
}

// The warnings of a load that must succeed, formatted.
std::vector<std::string> warningsOf(std::string_view text) {
  auto loaded = loadString(text, "t.toml", "/etc/gatehouse");
  if (!loaded) {
    ADD_FAILURE() << formatDiagnostics(loaded.error());
    return {};
  }
  std::vector<std::string> out;
  for (const Diagnostic& d : loaded->warnings) {
    EXPECT_EQ(d.severity, Severity::Warning);
    out.push_back(formatDiagnostic(d));
  }
  return out;
}

// Two interfaces on one address with TLS material: a base the peer and route tests add to.
// Lines 1-15.
constexpr std::string_view kBase = R"([sbc]
fqdn = "sbc.example.com"
[tls]
certificate = "sbc.crt"
private_key = "sbc.key"
[[interface]]
name = "internal"
address = "10.0.0.5"
sip = ["udp:5060", "tcp:5060"]
media_ports = "20000-39999"
[[interface]]
name = "external"
address = "10.0.0.5"
sip = ["tls:5061", "udp:5061"]
media_ports = "40000-59999"
)";

std::string withBase(std::string_view extra) {
  return std::string(kBase) + std::string(extra);
}

// Lines 16-23 after kBase.
constexpr std::string_view kPeers = R"([[peer]]
name = "pbx"
interface = "internal"
address = "10.0.0.6"
[[peer]]
name = "far"
interface = "external"
fqdn = "far.example.net"
)";

std::string withPeers(std::string_view extra) {
  return std::string(kBase) + std::string(kPeers) + std::string(extra);
}

TEST(ErrorsTest, BaseConfigsAreClean) {
  EXPECT_THAT(warningsOf(withPeers("")), IsEmpty());
}

// ---- TOML, keys and types ----------------------------------------------------------------------

TEST(ErrorsTest, TomlSyntaxErrorHasItsPosition) {
  auto errors = errorsOf("[sbc]\nfqdn = \"sbc.example.com\n");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_THAT(errors[0], StartsWith("t.toml:2:"));
  EXPECT_THAT(errors[0], HasSubstr(": TOML syntax: "));
  auto dup = errorsOf("[sbc]\nfqdn = \"a.b\"\nfqdn = \"c.d\"\n");
  ASSERT_EQ(dup.size(), 1U);
  EXPECT_THAT(dup[0], StartsWith("t.toml:3:8: TOML syntax: "));
}

TEST(ErrorsTest, UnknownKeyWithDidYouMean) {
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "internal"
adress = "10.0.0.5"
)"),
              ElementsAre("t.toml:1:1: missing required key 'address' in [[interface]]; add the "
                          "address to bind, e.g. address = \"10.0.0.5\"",
                          "t.toml:3:1: unknown key 'adress' in [[interface]]; did you mean "
                          "'address'?"));
}

TEST(ErrorsTest, UnknownKeyWithoutACloseMatchListsTheKnownKeys) {
  EXPECT_THAT(errorsOf("[timers]\nretransmit = 3\n"),
              ElementsAre("t.toml:2:1: unknown key 'retransmit' in [timers]; known keys: t1_ms, "
                          "t2_ms, t4_ms, idle_connection_timeout_s, no_answer_s, timer_d_ms"));
}

TEST(ErrorsTest, UnknownKeysAtEveryLevel) {
  EXPECT_THAT(errorsOf(withPeers(R"([[interfaces]]
[[route]]
name = "r"
to_peer = "pbx"
match = { request = "x" }
media = { anchr = true, outbound = { mod = "rtp" } }
reply = { header = {} }
headers = { delete = ["X-A"] }
)")),
              ElementsAre("t.toml:24:3: unknown key 'interfaces' in the top level; did you mean "
                          "'interface'?",
                          "t.toml:28:11: unknown key 'request' in [route.match]; known keys: "
                          "request_uri, from, to, from_peer, from_interface, method",
                          "t.toml:29:11: unknown key 'anchr' in [route.media]; did you mean "
                          "'anchor'?",
                          "t.toml:29:38: unknown key 'mod' in [route.media.outbound]; did you mean "
                          "'mode'?",
                          "t.toml:30:11: unknown key 'header' in [route.reply]; did you mean "
                          "'headers'?",
                          "t.toml:31:13: unknown key 'delete' in [route.headers]; known keys: "
                          "remove, replace, set, add"));
}

TEST(ErrorsTest, WrongTypesSayWhatWasExpected) {
  EXPECT_THAT(errorsOf(R"([timers]
t1_ms = "500"
[sbc]
fqdn = 42
topology_hiding = "yes"
[interface]
name = "x"
)"),
              ElementsAre("t.toml:2:9: 't1_ms' must be an integer, not a string; write the number "
                          "without quotes",
                          "t.toml:4:8: 'fqdn' must be a string, not an integer; put the value in "
                          "quotes",
                          "t.toml:5:19: 'topology_hiding' must be a boolean, not a string; write "
                          "true or false without quotes",
                          "t.toml:6:1: 'interface' must be an array of tables, not a table; write "
                          "[[interface]] (two brackets) for each entry"));
}

TEST(ErrorsTest, ArrayElementsAreTypeChecked) {
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "lan"
address = "10.0.0.5"
sip = ["udp:5060", 5061]
allow = "10.0.0.0/8"
)"),
              ElementsAre("t.toml:4:20: 'sip' must be an array of strings, not an integer",
                          "t.toml:5:9: 'allow' must be an array of strings, not a string"));
}

TEST(ErrorsTest, MissingRequiredKeys) {
  EXPECT_THAT(errorsOf("[[interface]]\naddress = \"10.0.0.5\"\n[[peer]]\ninterface = \"lan\"\n"
                       "[[route]]\nto_peer = \"p\"\n"),
              Contains("t.toml:1:1: missing required key 'name' in [[interface]]; add name = "
                       "\"internal\""));
  EXPECT_THAT(errorsOf("[[peer]]\nname = \"pbx\"\n"),
              ElementsAre("t.toml:1:1: missing required key 'interface' in [[peer]]; with several "
                          "interfaces, say which one reaches the peer; defined: ",
                          "t.toml:1:1: peer 'pbx' has neither 'address' nor 'fqdn'; add address = "
                          "\"IP[:port]\", or fqdn = \"host.example.com\" to use DNS"));
}

TEST(ErrorsTest, ValuesOutOfRange) {
  EXPECT_THAT(errorsOf(R"([timers]
t1_ms = 0
t2_ms = 4000
[media]
workers = -1
[protection]
requests_per_second = 100
burst = 0
)"),
              ElementsAre("t.toml:2:9: 't1_ms' = 0 is out of range 1-60000",
                          "t.toml:5:11: 'workers' = -1 is out of range 0-1024",
                          "t.toml:8:1: burst = 0 lets no request through; set burst to at least "
                          "1, or requests_per_second = 0 to turn the rate limit off"));
  EXPECT_THAT(errorsOf("[timers]\nt1_ms = 1000\nt2_ms = 500\n"),
              ElementsAre("t.toml:3:9: t2_ms (500) is below t1_ms (1000); RFC 3261 caps "
                          "retransmissions at T2, so T2 must be at least T1"));
}

TEST(ErrorsTest, EnumValuesWithDidYouMean) {
  EXPECT_THAT(errorsOf(R"([log]
level = "verbose"
modules = { sipp = "debug", media = "loud" }
[tls]
min_version = 1.2
[media]
srtp_suites = ["AES_CM_128_HMAC_SHA1_8"]
)"),
              ElementsAre("t.toml:2:9: 'verbose' is not a log level; one of: trace, debug, info, "
                          "warn, error, off",
                          "t.toml:3:13: unknown log module 'sipp'; did you mean 'sip'? modules: "
                          "main, config, sip, transport, transaction, call, media, ng",
                          "t.toml:3:37: 'loud' is not a log level; one of: trace, debug, info, "
                          "warn, error, off",
                          "t.toml:5:15: 'min_version' must be a string, not a float; put the "
                          "value in quotes",
                          "t.toml:7:16: 'AES_CM_128_HMAC_SHA1_8' is not a valid SRTP suite; did "
                          "you mean 'AES_CM_128_HMAC_SHA1_80'? one of: AES_CM_128_HMAC_SHA1_80, "
                          "AES_CM_128_HMAC_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM"));
  EXPECT_THAT(errorsOf(withBase("[[peer]]\nname = \"p\"\ninterface = \"internal\"\naddress = "
                                "\"10.0.0.6\"\nprofile = \"microsoft\"\ntransport = \"tpc\"\n")),
              ElementsAre("t.toml:20:11: 'microsoft' is not a valid profile; one of: generic, "
                          "microsoft-exchange-um, teams-direct-routing, cisco-cucm",
                          "t.toml:21:13: 'tpc' is not a valid transport; did you mean 'tcp'? one "
                          "of: udp, tcp, tls"));
}

// ---- addresses, listeners and port ranges ----------------------------------------------------

TEST(ErrorsTest, AddressesAndBlocks) {
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "lan"
address = "10.0.0.300"
advertise = "2001:db8::5"
allow = ["10.0.0.5/16", "10.1.0.0/40", "lan"]
[media]
ng_listen = "127.0.0.1"
)"),
              ElementsAre("t.toml:3:11: '10.0.0.300' is not an IP address; write an IPv4 address "
                          "like 10.0.0.5 or an IPv6 address like 2001:db8::5",
                          "t.toml:4:13: advertise '2001:db8::5' is not of the same IP family as "
                          "address; NAT maps IPv4 to IPv4 and IPv6 to IPv6",
                          "t.toml:5:10: '10.0.0.5/16' has host bits set; did you mean "
                          "'10.0.0.0/16'?",
                          "t.toml:5:25: '10.1.0.0/40' prefix length out of range 0-32",
                          "t.toml:5:40: 'lan' is not an address block; write 10.0.0.0/16, "
                          "2001:db8::/32 or a single address",
                          "t.toml:7:13: ng_listen: '127.0.0.1' has no port; write it as "
                          "127.0.0.1:22222"));
}

TEST(ErrorsTest, ListenerSyntax) {
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "lan"
address = "10.0.0.5"
sip = ["udp:506000", "udpp:5060", "tls"]
)"),
              ElementsAre("t.toml:4:8: 'udp:506000' port out of range 1-65535",
                          "t.toml:4:22: 'udpp:5060' unknown transport 'udpp'; did you mean "
                          "'udp'? transports: udp, tcp, tls",
                          "t.toml:4:35: 'tls' has no port; write it as \"tls:5061\""));
}

TEST(ErrorsTest, ListenersThatCollide) {
  EXPECT_THAT(errorsOf(withBase(R"([[interface]]
name = "dmz"
address = "10.0.0.5"
sip = ["udp:5060", "tls:5060", "tcp:5062", "tcp:5062"]
[[interface]]
name = "any"
address = "0.0.0.0"
advertise = "192.0.2.1"
sip = ["tcp:5061"]
)")),
              ElementsAre("t.toml:19:8: listener 'udp:5060' on 10.0.0.5 conflicts with "
                          "'udp:5060' on interface 'internal'; each address:port:transport can be "
                          "bound once; first at t.toml:9:8",
                          "t.toml:19:20: listener 'tls:5060' on 10.0.0.5 conflicts with "
                          "'tcp:5060' on interface 'internal'; tcp and tls share the TCP port "
                          "space; use another port (tls:5061)",
                          "t.toml:19:44: listener 'tcp:5062' on 10.0.0.5 conflicts with "
                          "'tcp:5062' in the same interface; each address:port:transport can be "
                          "bound once; first at t.toml:19:32",
                          "t.toml:24:8: listener 'tcp:5061' on 0.0.0.0 conflicts with 'tls:5061' "
                          "on interface 'external'; tcp and tls share the TCP port space; use "
                          "another port (tls:5061)"));
}

TEST(ErrorsTest, SameTransportOnOtherAddressesOrUdpBesideTcpIsFine) {
  EXPECT_THAT(warningsOf(R"([[interface]]
name = "a"
address = "10.0.0.5"
sip = ["udp:5060", "tcp:5060"]
allow = ["10.0.0.0/8"]
[[interface]]
name = "b"
address = "10.0.0.6"
sip = ["udp:5060", "tcp:5060"]
allow = ["10.0.0.0/8"]
)"),
              IsEmpty());
}

TEST(ErrorsTest, MediaRanges) {
  EXPECT_THAT(errorsOf(withBase(R"([[interface]]
name = "dmz"
address = "10.0.0.5"
media_ports = "39000-40999"
[[interface]]
name = "other"
address = "10.0.0.7"
sip = ["udp:30000"]
media_ports = "30000-30999"
[[interface]]
name = "bad"
address = "10.0.0.8"
media_ports = "9000-8000"
[media]
ng_listen = "10.0.0.7:30500"
)")),
              ElementsAre("t.toml:19:15: media_ports '39000-40999' of interface 'dmz' overlaps "
                          "'20000-39999' of interface 'internal' on the same address 10.0.0.5; "
                          "interfaces that share an address need disjoint port ranges",
                          "t.toml:23:8: SIP listener 'udp:30000' lies inside media_ports "
                          "'30000-30999' of interface 'other'; move the media range away from the "
                          "SIP port",
                          "t.toml:28:15: '9000-8000' is reversed; write the lower port first: "
                          "\"8000-9000\"",
                          "t.toml:30:13: ng_listen port 30500 lies inside media_ports "
                          "'30000-30999' of interface 'other'; pick an NG port outside every "
                          "media range, e.g. 22222"));
}

TEST(ErrorsTest, WildcardBindNeedsAdvertise) {
  EXPECT_THAT(errorsOf("[[interface]]\nname = \"any\"\naddress = \"::\"\nsip = "
                       "[\"udp:5060\"]\nallow = [\"::/0\"]\n"),
              ElementsAre("t.toml:3:11: interface 'any' binds to the wildcard address and has no "
                          "'advertise'; SDP, Via and Contact need a concrete address: bind a "
                          "specific one or set advertise"));
}

// ---- TLS -------------------------------------------------------------------------------------

TEST(ErrorsTest, TlsListenerNeedsCertificateAndKey) {
  EXPECT_THAT(errorsOf(R"([tls]
certificate = "sbc.crt"
[[interface]]
name = "ext"
address = "192.0.2.1"
sip = ["tls:5061"]
allow = ["192.0.2.0/24"]
[[interface]]
name = "ext2"
address = "192.0.2.2"
sip = ["tls:5061"]
allow = ["192.0.2.0/24"]
tls = { private_key = "ext2.key" }
)"),
              ElementsAre("t.toml:2:15: certificate without private_key in [tls]; add private_key "
                          "= \"<file>.key\"",
                          "t.toml:6:8: TLS listener 'tls:5061' on interface 'ext' has no "
                          "certificate and private key; set certificate and private_key in [tls] "
                          "or in this interface's tls table"));
  EXPECT_THAT(errorsOf("[[interface]]\nname = \"ext\"\naddress = \"192.0.2.1\"\nsip = "
                       "[\"tls:5061\"]\nallow = [\"192.0.2.0/24\"]\ntls = { private_key = "
                       "\"k.key\" }\n"),
              ElementsAre("t.toml:4:8: TLS listener 'tls:5061' on interface 'ext' has no "
                          "certificate and private key; set certificate and private_key in [tls] "
                          "or in this interface's tls table",
                          "t.toml:6:23: private_key without certificate in [interface.tls]; add "
                          "certificate = \"<file>.crt\""));
}

TEST(ErrorsTest, TlsValues) {
  EXPECT_THAT(errorsOf("[tls]\nmin_version = \"1.1\"\nciphers = \"HIGH;!aNULL\"\n"),
              ElementsAre("t.toml:2:15: '1.1' is not a valid min_version; did you mean '1.2'? "
                          "one of: 1.2, 1.3",
                          "t.toml:3:11: 'ciphers' is not an OpenSSL cipher list; e.g. "
                          "\"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256\""));
}

// ---- names and references ----------------------------------------------------------------------

TEST(ErrorsTest, DuplicateNames) {
  EXPECT_THAT(errorsOf(withPeers(R"([[interface]]
name = "internal"
address = "10.0.0.9"
[[peer]]
name = "pbx"
interface = "internal"
address = "10.0.0.16"
[[route]]
name = "r"
to_peer = "pbx"
[[route]]
name = "r"
to_peer = "far"
)")),
              ElementsAre("t.toml:24:1: duplicate interface name 'internal'; the first is at "
                          "t.toml:6:1; names must be unique",
                          "t.toml:27:1: duplicate peer name 'pbx'; the first is at t.toml:16:1; "
                          "names must be unique",
                          "t.toml:34:1: duplicate route name 'r'; the first is at t.toml:31:1; "
                          "names must be unique"));
}

TEST(ErrorsTest, BadNames) {
  EXPECT_THAT(errorsOf("[[interface]]\nname = \"my lan\"\naddress = \"10.0.0.5\"\n"),
              ElementsAre("t.toml:2:8: name 'my lan' may only contain letters, digits, '-', '_' "
                          "and '.'; names appear in logs and metrics; e.g. \"internal\""));
}

TEST(ErrorsTest, PeerNamesAnInterfaceThatIsNotDefined) {
  EXPECT_THAT(errorsOf(withBase(R"([[peer]]
name = "exchange-um"
interface = "extrenal"
fqdn = "um.example.net"
)")),
              ElementsAre("t.toml:18:13: peer 'exchange-um' names interface 'extrenal' which is "
                          "not defined; did you mean 'external'? defined: internal, external"));
}

TEST(ErrorsTest, RouteNamesPeersAndInterfacesThatAreNotDefined) {
  EXPECT_THAT(errorsOf(withPeers(R"([[route]]
name = "r"
match = { from_peer = ["pbx", "cucm"], from_interface = "lan" }
to_peer = ["far", "fra"]
)")),
              ElementsAre("t.toml:26:31: route 'r' names peer 'cucm' which is not defined; "
                          "defined: pbx, far",
                          "t.toml:26:57: route 'r' names interface 'lan' which is not defined; "
                          "defined: internal, external",
                          "t.toml:27:19: route 'r' names peer 'fra' which is not defined; did you "
                          "mean 'far'? defined: pbx, far"));
}

// ---- peers -------------------------------------------------------------------------------------

TEST(ErrorsTest, PeerChecks) {
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "lan"
address = "10.0.0.5"
sip = ["udp:5060"]
[[peer]]
name = "a"
interface = "lan"
transport = "tcp"
address = "10.0.0.6:5070"
port = 5080
[[peer]]
name = "b"
interface = "lan"
address = "pbx.example.com"
[[peer]]
name = "c"
interface = "lan"
address = "2001:db8::6"
[[peer]]
name = "um"
profile = "microsoft-exchange-um"
interface = "lan"
transport = "udp"
fqdn = "um.example.net"
)"),
              ElementsAre("t.toml:5:1: peer 'a' uses tcp but interface 'lan' has no tcp "
                          "listener; add \"tcp:5060\" to the interface's sip list, or change the "
                          "peer's transport",
                          "t.toml:10:1: the port is given twice: in 'address' and in 'port'; keep "
                          "one of them",
                          "t.toml:14:11: 'pbx.example.com' is not an IP address; put host names "
                          "in 'fqdn'; 'address' takes an IP[:port]",
                          "t.toml:18:11: peer 'c' has an address of another IP family than "
                          "interface 'lan'; an IPv4 interface reaches IPv4 peers only (and IPv6 "
                          "likewise)",
                          "t.toml:19:1: peer 'um' uses identity = \"fqdn\" (profile "
                          "microsoft-exchange-um) but [sbc] fqdn is not set; add [sbc] fqdn = "
                          "\"sbc.example.com\", or set identity = \"address\" on the peer"));
}

TEST(ErrorsTest, MicrosoftPeersNeedAClientCertificate) {
  EXPECT_THAT(errorsOf(R"([sbc]
fqdn = "sbc.example.com"
[[interface]]
name = "ext"
address = "192.0.2.1"
sip = ["tls:5061"]
tls = { certificate = "a.crt", private_key = "a.key" }
[[interface]]
name = "ext2"
address = "192.0.2.2"
sip = ["tls:5061"]
[[peer]]
name = "ok"
profile = "teams-direct-routing"
interface = "ext"
fqdn = "sip.pstnhub.microsoft.com"
[[peer]]
name = "um"
profile = "microsoft-exchange-um"
interface = "ext2"
fqdn = "um.example.net"
)"),
              ElementsAre("t.toml:11:8: TLS listener 'tls:5061' on interface 'ext2' has no "
                          "certificate and private key; set certificate and private_key in [tls] "
                          "or in this interface's tls table",
                          "t.toml:17:1: peer 'um' (microsoft-exchange-um) requires mutual TLS but "
                          "no certificate is configured; set certificate and private_key in "
                          "[tls]: Gatehouse presents it as its client certificate"));
}

// ---- routes ------------------------------------------------------------------------------------

TEST(ErrorsTest, RouteActions) {
  EXPECT_THAT(errorsOf(withPeers(R"([[route]]
name = "none"
[[route]]
name = "both"
to_peer = "pbx"
reject = 404
[[route]]
name = "reason"
reject_reason = "Gone"
to_peer = "pbx"
[[route]]
name = "extra"
reject = 200
headers.remove = ["X-A"]
[[route]]
name = "empty"
to_peer = []
)")),
              ElementsAre("t.toml:24:1: route 'none' has no action; add to_peer = \"<peer>\" or "
                          "reject = <code>",
                          "t.toml:29:1: route 'both' has both to_peer and reject; a route either "
                          "forwards or rejects: keep one",
                          "t.toml:32:1: reject_reason without reject; add reject = <code>, e.g. "
                          "reject = 403",
                          "t.toml:36:10: 'reject' = 200 is out of range 400-699; a route rejects "
                          "with a final 4xx-6xx code",
                          "t.toml:37:1: 'headers' has no effect on a route that rejects; remove "
                          "it, or forward with to_peer",
                          "t.toml:40:1: to_peer is an empty list; name at least one peer"));
}

TEST(ErrorsTest, RegexThatDoesNotCompile) {
  auto errors = errorsOf(withPeers(R"([[route]]
name = "r"
match.request_uri = '^sip:(87000@'
to_peer = "pbx"
)"));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_THAT(errors[0], StartsWith("t.toml:26:21: regex does not compile: "));
  EXPECT_THAT(errors[0], HasSubstr("; the syntax is ECMAScript; in TOML write regexes in 'single "
                                   "quotes' so that backslashes stay as written"));
  EXPECT_THAT(errorsOf(withPeers("[[route]]\nname = \"r\"\nto_peer = \"pbx\"\nheaders.replace = "
                                 "[{ header = \"From\", pattern = '[a-', with = \"x\" }]\n")),
              ElementsAre(StartsWith("t.toml:27:49: regex does not compile: ")));
}

TEST(ErrorsTest, TemplatesUseOnlyKnownAndAvailableVariables) {
  EXPECT_THAT(errorsOf(withPeers(R"([[route]]
name = "r"
to_peer = ["far", "pbx"]
rewrite_request_uri = "sip:${ruri.user}@${peer.fqdn}"
headers.set.To = "<sip:${ruri.usr}@x>"
headers.add.X-A = ["${sbc.fqdn", "ok"]
headers.replace = [{ header = "From", pattern = '(a)(b)', with = "$3" }]
)")),
              ElementsAre("t.toml:27:23: ${peer.fqdn} is used but peer 'pbx' has no fqdn; set "
                          "fqdn on the peer, or use ${peer.host} (fqdn, else address)",
                          "t.toml:28:18: unknown variable '${ruri.usr}'; did you mean "
                          "'ruri.user'? known variables: ruri.user, ruri.host, ruri.port, "
                          "from.user, from.host, to.user, to.host, peer.name, peer.fqdn, "
                          "peer.host, peer.port, sbc.fqdn, source.address",
                          "t.toml:29:20: '${' without a closing '}' in '${sbc.fqdn'; write "
                          "variables as ${ruri.user}; a literal '$' is written $$",
                          "t.toml:30:66: $3 refers to a group the pattern does not have; the "
                          "pattern has 2 group(s); $0 or $& is the whole match"));
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "lan"
address = "10.0.0.5"
sip = ["udp:5060"]
media_ports = "20000-29999"
[protection]
max_calls = 0
[[peer]]
name = "pbx"
address = "10.0.0.6"
[[route]]
name = "r"
to_peer = "pbx"
headers.set.From = "<sip:${from.user}@${sbc.fqdn}>"
)"),
              ElementsAre("t.toml:14:20: ${sbc.fqdn} is used but [sbc] fqdn is not set; add "
                          "[sbc] fqdn = \"sbc.example.com\""));
}

TEST(ErrorsTest, HeaderNames) {
  EXPECT_THAT(errorsOf(withPeers(R"([[route]]
name = "r"
to_peer = "pbx"
headers.remove = ["Via", "X Bad", "m"]
headers.set = { Call-ID = "x", "To:" = "y" }
)")),
              ElementsAre("t.toml:27:19: header 'Via' is managed by Gatehouse and cannot be "
                          "edited by a rule; Gatehouse writes it for each leg",
                          "t.toml:27:26: 'X Bad' is not a header name; header names are tokens "
                          "like \"P-Asserted-Identity\", without ':'",
                          "t.toml:27:35: header 'Contact' is managed by Gatehouse and cannot be "
                          "edited by a rule; set the peer's identity = \"fqdn\" or \"address\" "
                          "instead",
                          "t.toml:28:17: header 'Call-ID' is managed by Gatehouse and cannot be "
                          "edited by a rule; Gatehouse writes it for each leg",
                          "t.toml:28:32: 'To:' is not a header name; header names are tokens like "
                          "\"P-Asserted-Identity\", without ':'"));
}

TEST(ErrorsTest, RouteMatchAndReplyValues) {
  EXPECT_THAT(errorsOf(withPeers(R"([[route]]
name = "r"
match = { method = ["invte", "BYE"] }
to_peer = "pbx"
media.outbound = { mode = "srtpp", dtls = "on", codecs = ["PCMU", "a b"] }
reply.remove_sdp_lines = ["c=IN IP4 25", "label"]
)")),
              ElementsAre("t.toml:26:21: 'invte' is not a SIP method; did you mean 'INVITE'? one "
                          "of: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PRACK, UPDATE, INFO, "
                          "REFER, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH",
                          "t.toml:28:27: 'srtpp' is not a valid mode; did you mean 'srtp'? one "
                          "of: passthrough, rtp, srtp",
                          "t.toml:28:43: 'on' is not a valid dtls; one of: off",
                          "t.toml:28:67: 'a b' is not a codec name; use the rtpmap encoding name, "
                          "e.g. \"PCMU\", \"opus\" or \"telephone-event\"",
                          "t.toml:29:42: 'label' is not the start of an SDP line; SDP lines begin "
                          "with a letter and '=', e.g. \"a=label:\""));
}

TEST(ErrorsTest, AnchoringNeedsMediaPortsOnBothSides) {
  EXPECT_THAT(errorsOf(R"([[interface]]
name = "a"
address = "10.0.0.5"
sip = ["udp:5060"]
media_ports = "20000-39999"
[[interface]]
name = "b"
address = "10.0.1.5"
sip = ["udp:5060"]
[[peer]]
name = "pa"
interface = "a"
address = "10.0.0.6"
[[peer]]
name = "pb"
interface = "b"
address = "10.0.1.6"
[[route]]
name = "to-b"
match.from_peer = "pa"
to_peer = "pb"
[[route]]
name = "to-a"
match.from_interface = "b"
to_peer = "pa"
media = { anchor = true }
[[route]]
name = "unanchored"
to_peer = "pb"
media = { anchor = false }
)"),
              ElementsAre("t.toml:18:1: route 'to-b' anchors media but interface 'b' has no "
                          "media_ports; add media_ports = \"20000-39999\" to the interface, or set "
                          "[route.media] anchor = false to leave SDP untouched",
                          "t.toml:26:9: route 'to-a' anchors media but interface 'b' has no "
                          "media_ports; add media_ports = \"20000-39999\" to the interface, or set "
                          "[route.media] anchor = false to leave SDP untouched"));
}

// ---- warnings ----------------------------------------------------------------------------------

TEST(ErrorsTest, WarningsDoNotStopTheLoad) {
  EXPECT_THAT(warningsOf(R"([sbc]
fqdn = "sbc"
[protection]
max_calls = 0
max_connections = 10
max_connections_per_source = 20
[media]
srtp_suites = ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_80"]
[[interface]]
name = "internal"
address = "10.0.0.5"
sip = ["udp:5060", "tls:5061"]
media_ports = "20001-39999"
allow = ["10.0.0.0/8"]
require_client_certificate = true
tls = { certificate = "a.crt", private_key = "a.key" }
[[interface]]
name = "lonely"
address = "10.0.0.8"
sip = ["udp:5060"]
media_ports = "40000-49999"
require_client_certificate = true
[[peer]]
name = "pbx"
interface = "internal"
address = "10.0.0.6"
header_policy = { allow = ["X-A"] }
[[peer]]
name = "pbx2"
interface = "internal"
transport = "tls"
address = "10.0.0.6:5071"
[[route]]
name = "catch-all"
to_peer = "pbx"
media = { anchor = false, inbound = { mode = "rtp" } }
[[route]]
name = "shadowed"
match.from_peer = "pbx"
match.from_interface = "lonely"
to_peer = "pbx"
media.outbound = { srtp_suites = ["AES_CM_128_HMAC_SHA1_32"] }
)"),
              ElementsAre("t.toml:2:8: warning: fqdn 'sbc' has a single label; peers and "
                          "certificates expect a fully qualified name like sbc.example.com",
                          "t.toml:6:1: warning: max_connections_per_source (20) is above the "
                          "total (10); the total applies first",
                          "t.toml:8:43: warning: SRTP suite 'AES_CM_128_HMAC_SHA1_80' is listed "
                          "twice",
                          "t.toml:9:1: warning: interface 'internal' verifies client certificates "
                          "against the system CA store; set ca_bundle to accept only clients "
                          "signed by your own CA",
                          "t.toml:13:15: warning: media_ports '20001-39999' starts at an odd port; "
                          "RTP takes even ports and RTCP the next odd one; start at 20000 or 20002",
                          "t.toml:17:1: warning: require_client_certificate has no effect: "
                          "interface 'lonely' has no TLS listener; add \"tls:5061\" to its sip "
                          "list, or remove require_client_certificate",
                          "t.toml:17:1: warning: interface 'lonely' accepts SIP from no one: its "
                          "allow list is empty and no peer uses it; add the senders' networks to "
                          "allow, e.g. allow = [\"10.0.0.0/16\"]",
                          "t.toml:27:19: warning: 'allow' has no effect with pass = \"all\"; use "
                          "'strip' to hold headers back, or set pass = \"none\"",
                          "t.toml:28:1: warning: peer 'pbx2' uses TLS without an fqdn; its "
                          "certificate can only be checked against the IP address; set fqdn",
                          "t.toml:32:11: warning: peers 'pbx' and 'pbx2' share the address "
                          "10.0.0.6; requests from it count as coming from 'pbx' (the first); "
                          "route on from_interface or Request-URI instead",
                          "t.toml:36:9: warning: media policies have no effect with anchor = "
                          "false; without anchoring, SDP passes through untouched",
                          "t.toml:37:1: warning: route 'shadowed' is never reached: route "
                          "'catch-all' above it matches every request; routes are tried in file "
                          "order and the first match wins; move the catch-all route last",
                          "t.toml:39:1: warning: route 'shadowed' sends requests from peer 'pbx' "
                          "back to it; check from_peer and to_peer",
                          "t.toml:39:1: warning: route 'shadowed' can never match peer 'pbx': it "
                          "is on interface 'internal', not in from_interface; both conditions "
                          "must hold",
                          "t.toml:42:18: warning: srtp_suites has no effect: media toward peer "
                          "'pbx' is passthrough; set mode = \"srtp\" to offer SRTP"));
}

TEST(ErrorsTest, ManyErrorsAtOnceSortedByPositionWithTheWarnings) {
  auto loaded = loadString(R"([sbc]
fqdn = "sbc..example.com"
[[interface]]
name = "lan"
adress = "10.0.0.5"
sip = ["udp:5060", "tcp:99999"]
media_ports = "20001-39999"
[[peer]]
name = "pbx"
interface = "wan"
address = "10.0.0.6"
[[route]]
name = "r"
to_peer = "pbz"
match.request_uri = '(('
)",
                           "seed.toml");
  ASSERT_FALSE(loaded);
  std::vector<std::string> all;
  for (const Diagnostic& d : loaded.error()) {
    all.push_back(formatDiagnostic(d));
  }
  EXPECT_THAT(all,
              ElementsAre(StartsWith("seed.toml:2:8: fqdn: 'sbc..example.com' is not a host name"),
                          StartsWith("seed.toml:3:1: missing required key 'address'"),
                          StartsWith("seed.toml:3:1: warning: interface 'lan' accepts SIP from no "
                                     "one"),
                          StartsWith("seed.toml:5:1: unknown key 'adress' in [[interface]]; did "
                                     "you mean 'address'?"),
                          StartsWith("seed.toml:6:20: 'tcp:99999' port out of range 1-65535"),
                          StartsWith("seed.toml:7:15: warning: media_ports '20001-39999' starts "
                                     "at an odd port"),
                          StartsWith("seed.toml:7:15: warning: media_ports '20001-39999' holds "
                                     "9999 RTP/RTCP pairs"),
                          StartsWith("seed.toml:10:13: peer 'pbx' names interface 'wan' which is "
                                     "not defined; did you mean 'lan'? defined: lan"),
                          StartsWith("seed.toml:14:11: route 'r' names peer 'pbz' which is not "
                                     "defined; did you mean 'pbx'?"),
                          StartsWith("seed.toml:15:21: regex does not compile: ")));
}

TEST(ErrorsTest, LoadFileReportsAFileItCannotRead) {
  auto missing = loadFile("/nonexistent/gatehouse.toml");
  ASSERT_FALSE(missing);
  EXPECT_THAT(formatDiagnostics(missing.error()),
              "/nonexistent/gatehouse.toml: no such file; give the path of a TOML config, e.g. "
              "examples/seed.toml\n");
  auto dir = loadFile(std::filesystem::path(GH_SOURCE_DIR) / "examples");
  ASSERT_FALSE(dir);
  EXPECT_THAT(formatDiagnostic(dir.error().at(0)), HasSubstr("examples: is a directory"));
}

} // namespace
} // namespace gh::config
