// Defaults: what a key that is not written means. docs/config.md documents the same values.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printers.h"

namespace gh::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;

Config load(std::string_view text, const std::filesystem::path& base_dir = "/etc/gatehouse") {
  auto loaded = loadString(text, "t.toml", base_dir);
  if (!loaded) {
    ADD_FAILURE() << formatDiagnostics(loaded.error());
    return Config{};
  }
  return std::move(*loaded);
}

IpAddress ip(std::string_view text) {
  return parseIpAddress(text).value();
}

TEST(DefaultsTest, EmptyFileGivesEveryDefault) {
  const Config c = load("");
  EXPECT_EQ(c.source, "t.toml");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.sbc.fqdn, "");
  EXPECT_EQ(c.sbc.user_agent, "Gatehouse");
  EXPECT_TRUE(c.sbc.topology_hiding);
  EXPECT_EQ(c.log.level, log::Level::Info);
  EXPECT_TRUE(c.log.modules.empty());
  EXPECT_EQ(c.log.file.text, "");
  EXPECT_EQ(c.tls.certificate.text, "");
  EXPECT_EQ(c.tls.private_key.text, "");
  EXPECT_EQ(c.tls.ca_bundle.text, "");
  EXPECT_EQ(c.tls.min_version, TlsVersion::Tls12);
  EXPECT_EQ(c.tls.ciphers, "");
  EXPECT_EQ(c.tls.ciphersuites, "");
  EXPECT_EQ(c.timers.t1, milliseconds(500));
  EXPECT_EQ(c.timers.t2, milliseconds(4000));
  EXPECT_EQ(c.timers.t4, milliseconds(5000));
  EXPECT_EQ(c.timers.idle_connection_timeout, seconds(600));
  EXPECT_EQ(c.protection.requests_per_second, 500U);
  EXPECT_EQ(c.protection.burst, 1000U);
  EXPECT_EQ(c.protection.retry_after, seconds(5));
  EXPECT_EQ(c.protection.max_calls, 10000U);
  EXPECT_EQ(c.protection.max_calls_per_source, 5000U);
  EXPECT_EQ(c.protection.max_transactions, 100000U);
  EXPECT_EQ(c.protection.max_transactions_per_source, 20000U);
  EXPECT_EQ(c.protection.max_connections, 10000U);
  EXPECT_EQ(c.protection.max_connections_per_source, 100U);
  EXPECT_FALSE(c.media.ng_listen);
  EXPECT_EQ(c.media.workers, 0U);
  EXPECT_EQ(c.media.timeout, seconds(60));
  EXPECT_EQ(c.media.silent_timeout, seconds(3600));
  EXPECT_THAT(c.media.srtp_suites, ElementsAre(SrtpSuite::AesCm128HmacSha1_80));
  EXPECT_TRUE(c.interfaces.empty());
  EXPECT_TRUE(c.peers.empty());
  EXPECT_TRUE(c.routes.empty());
}

TEST(DefaultsTest, SectionsReadEveryKey) {
  const Config c = load(R"([sbc]
fqdn = "sbc.example.com"
user_agent = ""
topology_hiding = false
[log]
level = "debug"
file = "logs/gatehouse.log"
modules = { sip = "trace", media = "warning" }
[timers]
t1_ms = 250
t2_ms = 2000
t4_ms = 2500
idle_connection_timeout_s = 0
[protection]
requests_per_second = 0
burst = 10
retry_after_s = 30
max_calls = 0
[media]
ng_listen = "127.0.0.1:22222"
workers = 2
timeout_s = 30
silent_timeout_s = 600
srtp_suites = ["AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_32"]
)");
  EXPECT_EQ(c.sbc.fqdn, "sbc.example.com");
  EXPECT_EQ(c.sbc.fqdn_where, (SourceLocation{"t.toml", 2, 8}));
  EXPECT_EQ(c.sbc.user_agent, "");
  EXPECT_FALSE(c.sbc.topology_hiding);
  EXPECT_EQ(c.log.level, log::Level::Debug);
  EXPECT_EQ(c.log.file.path, std::filesystem::path("/etc/gatehouse/logs/gatehouse.log"));
  ASSERT_EQ(c.log.modules.size(), 2U);
  EXPECT_EQ(c.log.modules[0].module, log::Module::Sip); // file order, not alphabetical
  EXPECT_EQ(c.log.modules[0].level, log::Level::Trace);
  EXPECT_EQ(c.log.modules[1].module, log::Module::Media);
  EXPECT_EQ(c.log.modules[1].level, log::Level::Warn);
  EXPECT_EQ(c.timers.t1, milliseconds(250));
  EXPECT_EQ(c.timers.t2, milliseconds(2000));
  EXPECT_EQ(c.timers.t4, milliseconds(2500));
  EXPECT_EQ(c.timers.idle_connection_timeout, seconds(0));
  EXPECT_EQ(c.protection.requests_per_second, 0U);
  EXPECT_EQ(c.protection.burst, 10U);
  EXPECT_EQ(c.protection.retry_after, seconds(30));
  EXPECT_EQ(c.protection.max_calls, 0U);
  ASSERT_TRUE(c.media.ng_listen);
  EXPECT_EQ(formatSocketAddress(*c.media.ng_listen), "127.0.0.1:22222");
  EXPECT_EQ(c.media.workers, 2U);
  EXPECT_EQ(c.media.timeout, seconds(30));
  EXPECT_EQ(c.media.silent_timeout, seconds(600));
  EXPECT_THAT(c.media.srtp_suites,
              ElementsAre(SrtpSuite::AeadAes128Gcm, SrtpSuite::AesCm128HmacSha1_32));
}

TEST(DefaultsTest, InterfaceDefaultsAndTlsOverride) {
  const Config c = load(R"([tls]
certificate = "certs/sbc.crt"
private_key = "certs/sbc.key"
ca_bundle = "/etc/ssl/certs/ca-certificates.crt"
ciphers = "ECDHE-RSA-AES128-GCM-SHA256"

[[interface]]
name = "media-only"
address = "10.0.0.5"

[[interface]]
name = "external"
address = "2001:db8::5"
advertise = "2001:db8:1::5"
sip = ["tls:5061", "udp:5060"]
media_ports = "40000-59999"
allow = ["2001:db8::/32", "192.0.2.0/24", "198.51.100.7"]
require_client_certificate = true
tls = { certificate = "/etc/other/ext.crt", private_key = "ext.key", min_version = "1.3" }
)");
  ASSERT_EQ(c.interfaces.size(), 2U);
  const Interface& plain = c.interfaces[0];
  EXPECT_EQ(plain.name, "media-only");
  EXPECT_EQ(plain.address, ip("10.0.0.5"));
  EXPECT_FALSE(plain.advertise);
  EXPECT_TRUE(plain.sip.empty());
  EXPECT_FALSE(plain.media_ports);
  EXPECT_TRUE(plain.allow.empty());
  EXPECT_FALSE(plain.require_client_certificate);
  EXPECT_FALSE(plain.tls_overridden);
  EXPECT_EQ(plain.tls.certificate.path, std::filesystem::path("/etc/gatehouse/certs/sbc.crt"));
  EXPECT_EQ(plain.tls.certificate.text, "certs/sbc.crt");
  EXPECT_EQ(plain.tls.certificate.where, (SourceLocation{"t.toml", 2, 15}));
  EXPECT_EQ(plain.where, (SourceLocation{"t.toml", 7, 1}));

  const Interface& ext = c.interfaces[1];
  EXPECT_EQ(ext.address.family, IpFamily::V6);
  ASSERT_TRUE(ext.advertise);
  EXPECT_EQ(formatIpAddress(*ext.advertise), "2001:db8:1::5");
  ASSERT_EQ(ext.sip.size(), 2U);
  EXPECT_EQ(ext.sip[0].transport, Transport::Tls);
  EXPECT_EQ(ext.sip[0].port, 5061);
  EXPECT_EQ(ext.sip[0].where, (SourceLocation{"t.toml", 15, 8}));
  EXPECT_EQ(ext.sip[1].transport, Transport::Udp);
  ASSERT_TRUE(ext.media_ports);
  EXPECT_EQ(ext.media_ports->first, 40000);
  EXPECT_EQ(ext.media_ports->last, 59999);
  ASSERT_EQ(ext.allow.size(), 3U);
  EXPECT_EQ(ext.allow[0].prefix_length, 32);
  EXPECT_EQ(ext.allow[1].prefix_length, 24);
  EXPECT_EQ(ext.allow[2].prefix_length, 32); // a bare address is a /32
  EXPECT_EQ(ext.allow[2].network, ip("198.51.100.7"));
  EXPECT_TRUE(ext.require_client_certificate);
  EXPECT_TRUE(ext.tls_overridden);
  EXPECT_EQ(ext.tls.certificate.path, std::filesystem::path("/etc/other/ext.crt"));
  EXPECT_EQ(ext.tls.private_key.path, std::filesystem::path("/etc/gatehouse/ext.key"));
  // Keys the override does not set come from [tls].
  EXPECT_EQ(ext.tls.ca_bundle.path, std::filesystem::path("/etc/ssl/certs/ca-certificates.crt"));
  EXPECT_EQ(ext.tls.ciphers, "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(ext.tls.min_version, TlsVersion::Tls13);
  EXPECT_EQ(c.tls.min_version, TlsVersion::Tls12);
}

TEST(DefaultsTest, RelativePathsResolveAgainstTheNamesFolderWithoutBaseDir) {
  auto loaded = loadString("[tls]\ncertificate = \"certs/a.crt\"\nprivate_key = \"../b.key\"\n",
                           "conf/site/gatehouse.toml");
  ASSERT_TRUE(loaded) << formatDiagnostics(loaded.error());
  EXPECT_EQ(loaded->tls.certificate.path, std::filesystem::path("conf/site/certs/a.crt"));
  EXPECT_EQ(loaded->tls.private_key.path, std::filesystem::path("conf/b.key"));
  EXPECT_EQ(loaded->tls.certificate.where.file, "conf/site/gatehouse.toml");
}

constexpr std::string_view kTwoInterfaces = R"([sbc]
fqdn = "sbc.example.com"
[tls]
certificate = "sbc.crt"
private_key = "sbc.key"
[[interface]]
name = "internal"
address = "10.0.0.5"
sip = ["udp:5060", "tcp:5060"]
media_ports = "20000-39999"
allow = ["10.0.0.0/16"]
[[interface]]
name = "external"
address = "10.0.0.5"
sip = ["tls:5061"]
media_ports = "40000-59999"
allow = ["192.0.2.0/24"]
)";

Config loadWith(std::string_view extra) {
  return load(std::string(kTwoInterfaces) + std::string(extra));
}

TEST(DefaultsTest, PeerDefaultsComeFromTheGenericProfile) {
  const Config c = loadWith(R"([[peer]]
name = "pbx"
interface = "internal"
address = "10.0.0.6"
)");
  ASSERT_EQ(c.peers.size(), 1U);
  const Peer& p = c.peers[0];
  EXPECT_EQ(p.profile, Profile::Generic);
  EXPECT_EQ(p.interface.name, "internal");
  EXPECT_EQ(p.transport, Transport::Udp);
  EXPECT_EQ(p.fqdn, "");
  ASSERT_TRUE(p.address);
  EXPECT_EQ(p.address->port, 0); // not written
  EXPECT_EQ(p.port, 5060);
  EXPECT_FALSE(p.use_srv);
  EXPECT_EQ(p.options_interval, seconds(0));
  EXPECT_EQ(p.identity, Identity::Address);
  EXPECT_EQ(p.header_policy.pass, HeaderPass::All);
  EXPECT_EQ(p.media.mode, MediaMode::Passthrough);
  EXPECT_EQ(p.media.ice, IceMode::Remove);
  EXPECT_EQ(p.media.rtcp_mux, RtcpMuxMode::Keep);
  EXPECT_EQ(p.media.dtls, DtlsMode::Off);
  EXPECT_THAT(p.media.srtp_suites, ElementsAre(SrtpSuite::AesCm128HmacSha1_80));
  EXPECT_TRUE(p.media.codecs.empty());
}

TEST(DefaultsTest, ProfilesSetTransportPortIdentityAndMedia) {
  const Config c = loadWith(R"([[peer]]
name = "um"
profile = "microsoft-exchange-um"
interface = "external"
fqdn = "um.example.net"
[[peer]]
name = "teams"
profile = "teams-direct-routing"
interface = "external"
fqdn = "sip.pstnhub.microsoft.com"
[[peer]]
name = "cucm"
profile = "cisco-cucm"
interface = "internal"
address = "10.0.0.6"
)");
  ASSERT_EQ(c.peers.size(), 3U);
  const Peer& um = c.peers[0];
  EXPECT_EQ(um.transport, Transport::Tls);
  EXPECT_EQ(um.port, 5061);
  EXPECT_TRUE(um.use_srv); // fqdn, no address, no port
  EXPECT_EQ(um.identity, Identity::Fqdn);
  EXPECT_EQ(um.media.mode, MediaMode::Srtp);
  EXPECT_EQ(um.media.rtcp_mux, RtcpMuxMode::Strip);
  EXPECT_EQ(um.media.ice, IceMode::Remove);
  EXPECT_THAT(um.media.srtp_suites, ElementsAre(SrtpSuite::AesCm128HmacSha1_80));
  const Peer& teams = c.peers[1];
  EXPECT_EQ(teams.options_interval, seconds(60));
  EXPECT_EQ(teams.media.rtcp_mux, RtcpMuxMode::Keep);
  EXPECT_EQ(teams.identity, Identity::Fqdn);
  const Peer& cucm = c.peers[2];
  EXPECT_EQ(cucm.transport, Transport::Tcp);
  EXPECT_EQ(cucm.port, 5060);
  EXPECT_EQ(cucm.media.mode, MediaMode::Rtp);
  EXPECT_EQ(cucm.identity, Identity::Address);
}

TEST(DefaultsTest, RtcpMuxTakesEveryPolicyTheMediaLayerKnows) {
  for (auto [text, mode] :
       {std::pair{"keep", RtcpMuxMode::Keep}, std::pair{"strip", RtcpMuxMode::Strip},
        std::pair{"offer", RtcpMuxMode::Offer}, std::pair{"require", RtcpMuxMode::Require}}) {
    const Config c = loadWith(std::string(R"([[peer]]
name = "p"
interface = "internal"
address = "10.0.0.7"
media = { rtcp_mux = ")") + text +
                              "\" }\n");
    ASSERT_EQ(c.peers.size(), 1U);
    EXPECT_EQ(c.peers[0].media.rtcp_mux, mode) << text;
    EXPECT_EQ(rtcpMuxModeName(mode), text);
  }
}

TEST(DefaultsTest, PeerKeysOverrideTheProfileKeyByKey) {
  const Config c = loadWith(R"([media]
srtp_suites = ["AEAD_AES_256_GCM"]
[[peer]]
name = "um"
profile = "microsoft-exchange-um"
interface = "internal"
transport = "tcp"
fqdn = "um.example.net"
port = 5080
identity = "address"
options_interval_s = 30
sources = ["192.0.2.0/24"]
header_policy = { pass = "none", allow = ["X-Custom", "k"] }
media = { rtcp_mux = "keep", codecs = ["PCMU", "telephone-event"] }
[[peer]]
name = "plain"
interface = "internal"
address = "10.0.0.7:5070"
)");
  ASSERT_EQ(c.peers.size(), 2U);
  const Peer& um = c.peers[0];
  EXPECT_EQ(um.transport, Transport::Tcp);
  EXPECT_EQ(um.port, 5080);
  EXPECT_FALSE(um.use_srv); // a port was given
  EXPECT_EQ(um.identity, Identity::Address);
  EXPECT_EQ(um.options_interval, seconds(30));
  ASSERT_EQ(um.sources.size(), 1U);
  EXPECT_EQ(um.header_policy.pass, HeaderPass::None);
  ASSERT_EQ(um.header_policy.allow.size(), 2U);
  EXPECT_EQ(um.header_policy.allow[1].name, "Supported"); // compact form made canonical
  EXPECT_EQ(um.media.mode, MediaMode::Srtp);              // still the profile's
  EXPECT_EQ(um.media.rtcp_mux, RtcpMuxMode::Keep);        // overridden
  EXPECT_THAT(um.media.codecs, ElementsAre("PCMU", "telephone-event"));
  // The Microsoft profiles offer SHA1_80 alone whatever [media] says; generic peers follow it.
  EXPECT_THAT(um.media.srtp_suites, ElementsAre(SrtpSuite::AesCm128HmacSha1_80));
  const Peer& plain = c.peers[1];
  EXPECT_THAT(plain.media.srtp_suites, ElementsAre(SrtpSuite::AeadAes256Gcm));
  EXPECT_EQ(plain.port, 5070);
  EXPECT_EQ(formatSocketAddress(*plain.address), "10.0.0.7:5070");
}

TEST(DefaultsTest, ThePeerInterfaceDefaultsToTheOnlyInterface) {
  const Config c = load(R"([[interface]]
name = "lan"
address = "192.0.2.1"
sip = ["udp:5060"]
[[peer]]
name = "pbx"
address = "192.0.2.2"
)");
  ASSERT_EQ(c.peers.size(), 1U);
  EXPECT_EQ(c.peers[0].interface.name, "lan");
}

TEST(DefaultsTest, RouteDefaultsAndActions) {
  const Config c = loadWith(R"([[peer]]
name = "pbx"
interface = "internal"
address = "10.0.0.6"
[[peer]]
name = "far"
interface = "external"
transport = "tls"
fqdn = "far.example.net"
address = "192.0.2.10"
[[route]]
name = "all-to-far"
to_peer = ["far", "pbx"]
[[route]]
name = "blocked"
match = { method = ["invite", "MESSAGE"], from = '^sip:spam@', to = 'x', from_interface = "external" }
reject = 603
reject_reason = "Decline"
[[route]]
name = "rewrite"
match.from_peer = ["pbx"]
to_peer = "far"
rewrite_request_uri = "sip:${ruri.user}@${peer.fqdn};user=phone"
headers.remove = ["P-Asserted-Identity", "Remote-Party-ID"]
headers.replace = [{ header = "From", pattern = '@[^>;]+', with = "@${sbc.fqdn}" }]
headers.set = { To = "<sip:${ruri.user}@${peer.fqdn}>", t = "<sip:x@y>" }
headers.add = { X-Origin = ["gatehouse", "$$1 ${source.address}"] }
media.anchor = true
media.outbound = { mode = "srtp", srtp_suites = ["AES_CM_128_HMAC_SHA1_32"] }
reply.remove_sdp_lines = ["a=label:", "b=CT:"]
reply.headers.remove = ["Server"]
)");
  ASSERT_EQ(c.routes.size(), 3U) << formatDiagnostics(c.warnings);
  const Route& all = c.routes[0];
  EXPECT_EQ(all.name, "all-to-far");
  EXPECT_FALSE(all.match.request_uri);
  EXPECT_TRUE(all.match.methods.empty());
  ASSERT_EQ(all.to_peers.size(), 2U);
  EXPECT_EQ(all.to_peers[1].name, "pbx");
  EXPECT_FALSE(all.reject);
  EXPECT_FALSE(all.rewrite_request_uri);
  EXPECT_TRUE(all.media.anchor);
  EXPECT_FALSE(all.media.outbound.mode);
  EXPECT_EQ(all.where, (SourceLocation{"t.toml", 28, 1}));

  const Route& blocked = c.routes[1];
  ASSERT_TRUE(blocked.reject);
  EXPECT_EQ(blocked.reject->code, 603);
  EXPECT_EQ(blocked.reject->reason, "Decline");
  ASSERT_EQ(blocked.match.methods.size(), 2U);
  EXPECT_EQ(blocked.match.methods[0].name, "INVITE");
  ASSERT_TRUE(blocked.match.from);
  EXPECT_EQ(blocked.match.from->pattern, "^sip:spam@");
  EXPECT_EQ(blocked.match.from_interfaces[0].name, "external");
  EXPECT_TRUE(blocked.to_peers.empty());

  const Route& rw = c.routes[2];
  ASSERT_TRUE(rw.rewrite_request_uri);
  ASSERT_EQ(rw.rewrite_request_uri->parts.size(), 5U);
  EXPECT_EQ(rw.rewrite_request_uri->parts[1].variable, Variable::RuriUser);
  EXPECT_EQ(rw.rewrite_request_uri->parts[3].variable, Variable::PeerFqdn);
  EXPECT_EQ(rw.rewrite_request_uri->parts[4].text, ";user=phone");
  ASSERT_EQ(rw.headers.remove.size(), 2U);
  ASSERT_EQ(rw.headers.replace.size(), 1U);
  EXPECT_EQ(rw.headers.replace[0].header, "From");
  EXPECT_EQ(rw.headers.replace[0].pattern.pattern, "@[^>;]+");
  ASSERT_EQ(rw.headers.set.size(), 2U);
  EXPECT_EQ(rw.headers.set[0].header, "To");
  EXPECT_EQ(rw.headers.set[1].header, "To"); // `t` is To's compact form
  ASSERT_EQ(rw.headers.add.size(), 2U);
  EXPECT_EQ(rw.headers.add[1].value.parts[0].text, "$1 "); // $$ is a literal $
  EXPECT_EQ(rw.headers.add[1].value.parts[1].variable, Variable::SourceAddress);
  EXPECT_EQ(rw.media.outbound.mode, MediaMode::Srtp);
  EXPECT_FALSE(rw.media.outbound.ice);
  EXPECT_FALSE(rw.media.inbound.mode);
  ASSERT_EQ(rw.reply.remove_sdp_lines.size(), 2U);
  EXPECT_EQ(rw.reply.remove_sdp_lines[1].prefix, "b=CT:");
  ASSERT_EQ(rw.reply.headers.remove.size(), 1U);
}

TEST(DefaultsTest, ApplyMediaOverrideReplacesOnlyTheKeysSet) {
  MediaPolicy base = profileMediaPolicy(Profile::MicrosoftExchangeUm, MediaSettings{});
  MediaOverride o;
  o.ice = IceMode::Keep;
  o.codecs = std::vector<std::string>{"PCMA"};
  const MediaPolicy merged = applyMediaOverride(base, o);
  EXPECT_EQ(merged.mode, MediaMode::Srtp);
  EXPECT_EQ(merged.rtcp_mux, RtcpMuxMode::Strip);
  EXPECT_EQ(merged.ice, IceMode::Keep);
  EXPECT_THAT(merged.codecs, ElementsAre("PCMA"));
}

TEST(DefaultsTest, LookupsByNameAndBySource) {
  const Config c = loadWith(R"([[peer]]
name = "pbx"
interface = "internal"
address = "10.0.0.6"
[[peer]]
name = "ms"
interface = "external"
transport = "tls"
fqdn = "ms.example.net"
sources = ["52.112.0.0/14"]
[[route]]
name = "r"
to_peer = "pbx"
)");
  ASSERT_NE(findInterface(c, "external"), nullptr);
  EXPECT_EQ(findInterface(c, "external")->name, "external");
  EXPECT_EQ(findInterface(c, "nope"), nullptr);
  ASSERT_NE(findPeer(c, "ms"), nullptr);
  EXPECT_EQ(findPeer(c, "ms")->fqdn, "ms.example.net");
  EXPECT_EQ(findPeer(c, "MS"), nullptr); // names are case-sensitive
  ASSERT_NE(findRoute(c, "r"), nullptr);
  EXPECT_EQ(findPeerBySource(c, ip("10.0.0.6")), findPeer(c, "pbx"));
  EXPECT_EQ(findPeerBySource(c, ip("52.113.1.2")), findPeer(c, "ms"));
  EXPECT_EQ(findPeerBySource(c, ip("52.116.0.1")), nullptr);
  EXPECT_EQ(findPeerBySource(c, ip("10.0.0.7")), nullptr);
}

TEST(DefaultsTest, NamesOfEnumValues) {
  EXPECT_EQ(profileName(Profile::MicrosoftExchangeUm), "microsoft-exchange-um");
  EXPECT_EQ(profileName(Profile::TeamsDirectRouting), "teams-direct-routing");
  EXPECT_EQ(profileName(Profile::CiscoCucm), "cisco-cucm");
  EXPECT_EQ(profileName(Profile::Generic), "generic");
  EXPECT_EQ(transportName(Transport::Tls), "tls");
  EXPECT_EQ(mediaModeName(MediaMode::Passthrough), "passthrough");
  EXPECT_EQ(srtpSuiteName(SrtpSuite::AeadAes256Gcm), "AEAD_AES_256_GCM");
  EXPECT_EQ(tlsVersionName(TlsVersion::Tls13), "1.3");
  EXPECT_EQ(identityName(Identity::Fqdn), "fqdn");
  EXPECT_EQ(variableName(Variable::SourceAddress), "source.address");
}

TEST(DefaultsTest, FormatDiagnostic) {
  EXPECT_EQ(formatDiagnostic({Severity::Error, {"a.toml", 3, 7}, "bad", "fix it"}),
            "a.toml:3:7: bad; fix it");
  EXPECT_EQ(formatDiagnostic({Severity::Warning, {"a.toml", 3, 7}, "odd", ""}),
            "a.toml:3:7: warning: odd");
  EXPECT_EQ(formatDiagnostic({Severity::Error, {"a.toml", 0, 0}, "no such file", ""}),
            "a.toml: no such file");
  EXPECT_EQ(formatDiagnostics({{Severity::Error, {"a", 1, 1}, "x", ""},
                               {Severity::Warning, {"a", 2, 1}, "y", "z"}}),
            "a:1:1: x\na:2:1: warning: y; z\n");
}

} // namespace
} // namespace gh::config
