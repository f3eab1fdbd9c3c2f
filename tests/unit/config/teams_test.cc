// The teams-direct-routing profile's keys: targets (Direct Routing's three SIP proxies by
// default, overridable with an address each for test beds), X-MS-SBC, E.164, Microsoft's source
// ranges and TLS suites, and the errors a wrong targets list gets, at its file:line:col.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printers.h"

namespace gh::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Lines 1-11.
constexpr std::string_view kBase = R"([sbc]
fqdn = "sbc.example.com"
[tls]
certificate = "sbc.crt"
private_key = "sbc.key"
[[interface]]
name = "external"
address = "10.0.0.5"
sip = ["tls:5061"]
[[peer]]
name = "teams"
)";

Config load(std::string_view extra) {
  auto loaded = loadString(std::string(kBase) + std::string(extra), "t.toml", "/etc/gatehouse");
  if (!loaded) {
    ADD_FAILURE() << formatDiagnostics(loaded.error());
    return Config{};
  }
  return std::move(*loaded);
}

std::vector<std::string> errorsOf(std::string_view extra) {
  auto loaded = loadString(std::string(kBase) + std::string(extra), "t.toml", "/etc/gatehouse");
  if (loaded) {
    ADD_FAILURE() << "loaded, but should not have:\n" << extra;
    return {};
  }
  std::vector<std::string> out;
  for (const Diagnostic& d : loaded.error()) {
    if (d.severity == Severity::Error)
      out.push_back(formatDiagnostic(d));
  }
  return out;
}

std::string formatCidr(const Cidr& cidr) {
  return formatIpAddress(cidr.network) + "/" + std::to_string(cidr.prefix_length);
}

std::vector<std::string> fqdns(const Peer& peer) {
  std::vector<std::string> out;
  for (const PeerTarget& t : peer.targets)
    out.push_back(t.fqdn + ":" + std::to_string(t.port));
  return out;
}

TEST(TeamsConfig, ProfileAloneGivesTheThreeSipProxiesAndMicrosoftsDefaults) {
  const Config c = load("profile = \"teams-direct-routing\"\n");
  ASSERT_EQ(c.peers.size(), 1U);
  const Peer& p = c.peers[0];
  EXPECT_THAT(fqdns(p),
              ElementsAre("sip.pstnhub.microsoft.com:5061", "sip2.pstnhub.microsoft.com:5061",
                          "sip3.pstnhub.microsoft.com:5061"));
  for (const PeerTarget& t : p.targets)
    EXPECT_FALSE(t.address);
  EXPECT_EQ(p.fqdn, "sip.pstnhub.microsoft.com"); // ${peer.fqdn} and the TLS checks
  EXPECT_FALSE(p.use_srv);
  EXPECT_EQ(p.transport, Transport::Tls);
  EXPECT_EQ(p.identity, Identity::Fqdn);
  EXPECT_EQ(p.options_interval, std::chrono::seconds(60));
  EXPECT_TRUE(p.e164);
  EXPECT_THAT(p.x_ms_sbc, StartsWith("Gatehouse/"));
  ASSERT_EQ(p.sources.size(), 2U);
  EXPECT_EQ(formatCidr(p.sources[0]), "52.112.0.0/14");
  EXPECT_EQ(formatCidr(p.sources[1]), "52.122.0.0/15");
  const Interface& iface = c.interfaces[0];
  EXPECT_EQ(iface.tls.ciphers, "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
                               "ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256");
  EXPECT_EQ(iface.tls.ciphersuites, "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(iface.tls.min_version, TlsVersion::Tls12);
  EXPECT_TRUE(c.warnings.empty()) << formatDiagnostics(c.warnings);
}

TEST(TeamsConfig, TargetsAsStringsAndTablesWithAddressOverrides) {
  const Config c = load(R"(profile = "teams-direct-routing"
targets = [
  { fqdn = "sip.pstnhub.microsoft.com", address = "127.0.14.1" },
  { fqdn = "sip2.pstnhub.microsoft.com", address = "127.0.14.2:5062" },
  { fqdn = "sip3.pstnhub.microsoft.com", port = 5063 },
  "sip-all.pstnhub.microsoft.com",
]
)");
  const Peer& p = c.peers[0];
  EXPECT_THAT(fqdns(p),
              ElementsAre("sip.pstnhub.microsoft.com:5061", "sip2.pstnhub.microsoft.com:5062",
                          "sip3.pstnhub.microsoft.com:5063", "sip-all.pstnhub.microsoft.com:5061"));
  ASSERT_TRUE(p.targets[0].address);
  EXPECT_EQ(formatIpAddress(p.targets[0].address->ip), "127.0.14.1");
  EXPECT_EQ(p.targets[0].where.line, 14U);
  EXPECT_FALSE(p.targets[2].address);
  EXPECT_FALSE(p.address); // the targets carry the addresses
  // A request from a target's address comes from the peer.
  EXPECT_EQ(findPeerBySource(c, parseIpAddress("127.0.14.2").value()), &p);
  EXPECT_EQ(findPeerBySource(c, parseIpAddress("52.113.1.1").value()), &p);
}

TEST(TeamsConfig, OverridesKeyByKey) {
  auto loaded = loadString(R"([sbc]
fqdn = "sbc.example.com"
[tls]
certificate = "sbc.crt"
private_key = "sbc.key"
ciphers = "ECDHE-RSA-AES256-GCM-SHA384"
[[interface]]
name = "external"
address = "10.0.0.5"
sip = ["tls:5061"]
[[peer]]
name = "gov"
profile = "teams-direct-routing"
fqdn = "sip.pstnhub.gov.teams.microsoft.us"
e164 = false
x_ms_sbc = "Gatehouse/lab"
options_interval_s = 30
sources = ["52.127.0.0/16"]
)",
                           "t.toml", "/etc/gatehouse");
  ASSERT_TRUE(loaded) << formatDiagnostics(loaded.error());
  const Peer& p = loaded->peers[0];
  EXPECT_TRUE(p.targets.empty()); // an fqdn: the peer is that one name
  EXPECT_EQ(p.fqdn, "sip.pstnhub.gov.teams.microsoft.us");
  EXPECT_FALSE(p.e164);
  EXPECT_EQ(p.x_ms_sbc, "Gatehouse/lab");
  EXPECT_EQ(p.options_interval, std::chrono::seconds(30));
  ASSERT_EQ(p.sources.size(), 1U);
  EXPECT_EQ(formatCidr(p.sources[0]), "52.127.0.0/16");
  // [tls] ciphers written: the profile's list does not replace it; the TLS 1.3 suites it does.
  EXPECT_EQ(loaded->interfaces[0].tls.ciphers, "ECDHE-RSA-AES256-GCM-SHA384");
  EXPECT_EQ(loaded->interfaces[0].tls.ciphersuites,
            "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");
}

TEST(TeamsConfig, OtherProfilesGetNoneOfIt) {
  const Config c = load("fqdn = \"far.example.net\"\ntransport = \"tls\"\n");
  const Peer& p = c.peers[0];
  EXPECT_TRUE(p.targets.empty());
  EXPECT_FALSE(p.e164);
  EXPECT_EQ(p.x_ms_sbc, "");
  EXPECT_TRUE(p.sources.empty());
  EXPECT_EQ(c.interfaces[0].tls.ciphers, "");
  EXPECT_EQ(c.interfaces[0].tls.ciphersuites, "");
}

TEST(TeamsConfig, TargetErrorsHaveTheirPosition) {
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\ntargets = []\n"),
              ElementsAre(StartsWith("t.toml:13:11: targets is an empty list")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\ntargets = [\"sip.example.com\"]\n"
                       "fqdn = \"x.example.com\"\n"),
              ElementsAre(StartsWith("t.toml:13:1: peer 'teams' has 'targets' and also 'fqdn'")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\n"
                       "targets = [\"a.example.com\", \"A.example.com\"]\n"),
              ElementsAre(StartsWith("t.toml:13:29: target 'A.example.com' is listed twice")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\n"
                       "targets = [{ address = \"127.0.14.1\" }]\n"),
              ElementsAre(StartsWith("t.toml:13:12: missing required key 'fqdn'")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\n"
                       "targets = [{ fqdn = \"a.example.com\", adress = \"127.0.14.1\" }]\n"),
              ElementsAre(HasSubstr("unknown key 'adress' in a targets entry; did you mean "
                                    "'address'?")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\n"
                       "targets = [{ fqdn = \"a.example.com\", address = \"127.0.14.1:5061\", "
                       "port = 5062 }]\n"),
              ElementsAre(HasSubstr("the port is given twice")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\ntargets = [\"bad host!\"]\n"),
              ElementsAre(StartsWith("t.toml:13:12: target: ")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\ntargets = [5061]\n"),
              ElementsAre(HasSubstr("must be an FQDN string or a { fqdn, address, port } table")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\ntargets = \"sip.example.com\"\n"),
              ElementsAre(HasSubstr("must be an array of FQDNs")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\nx_ms_sbc = \"a\\u0001b\"\n"),
              ElementsAre(StartsWith("t.toml:13:12: x_ms_sbc contains control characters")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\n"
                       "targets = [{ fqdn = \"a.example.com\", address = \"[::1]:5061\" }]\n"),
              ElementsAre(StartsWith("t.toml:13:12: peer 'teams' target 'a.example.com' has an "
                                     "address of another IP family than interface 'external'")));
  EXPECT_THAT(errorsOf("profile = \"teams-direct-routing\"\ne164 = \"yes\"\n"),
              ElementsAre(HasSubstr("'e164' must be a boolean")));
}

TEST(TeamsConfig, AGenericPeerStillNeedsAnAddressOrFqdn) {
  EXPECT_THAT(errorsOf("interface = \"external\"\ntransport = \"tls\"\n"),
              ElementsAre(HasSubstr("peer 'teams' has neither 'address' nor 'fqdn'")));
}

} // namespace
} // namespace gh::config
