// Every example config is a contract other tests and benchmarks run as-is: each must load with
// no error and no warning, and say exactly what its header comment promises.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/regex_syntax.h"
#include "unit/config/printers.h"

namespace gh::config {
namespace {

const std::filesystem::path kExamples = std::filesystem::path(GH_SOURCE_DIR) / "examples";

Config loadExample(const std::string& name) {
  auto loaded = loadFile(kExamples / name);
  if (!loaded) {
    ADD_FAILURE() << name << ":\n" << formatDiagnostics(loaded.error());
    return Config{};
  }
  EXPECT_TRUE(loaded->warnings.empty()) << formatDiagnostics(loaded->warnings);
  return std::move(*loaded);
}

IpAddress ip(std::string_view text) {
  return parseIpAddress(text).value();
}

bool hasListener(const Interface& iface, Transport transport, uint16_t port) {
  for (const SipListener& l : iface.sip) {
    if (l.transport == transport && l.port == port) {
      return true;
    }
  }
  return false;
}

TEST(ExamplesTest, EveryTomlInExamplesLoadsCleanly) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".toml") {
      continue;
    }
    ++count;
    auto loaded = loadFile(entry.path());
    ASSERT_TRUE(loaded) << formatDiagnostics(loaded.error());
    EXPECT_TRUE(loaded->warnings.empty()) << formatDiagnostics(loaded->warnings);
  }
  EXPECT_GE(count, 5);
}

// Cut each example after every line and in the middle of every line: the loader must answer
// with a config or with diagnostics, never crash, hang or throw.
TEST(ExamplesTest, TruncatedExamplesNeverCrashTheLoader) {
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".toml") {
      continue;
    }
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t end = 0; end < text.size(); ++end) {
      if (end != 0 && text[end - 1] != '\n' && text[end] != '\n' && text[end] != '=') {
        continue;
      }
      auto loaded = loadString(std::string_view(text).substr(0, end), "cut.toml");
      if (!loaded) {
        EXPECT_FALSE(loaded.error().empty());
        for (const Diagnostic& d : loaded.error()) {
          EXPECT_EQ(d.where.file, "cut.toml");
          EXPECT_FALSE(d.message.empty());
        }
      }
    }
  }
}

TEST(ExamplesTest, LoopbackB2bua) {
  const Config c = loadExample("loopback-b2bua.toml");
  const Interface* internal = findInterface(c, "internal");
  const Interface* external = findInterface(c, "external");
  ASSERT_NE(internal, nullptr);
  ASSERT_NE(external, nullptr);
  EXPECT_EQ(internal->address, ip("127.0.0.5"));
  EXPECT_TRUE(hasListener(*internal, Transport::Udp, 5060));
  EXPECT_TRUE(hasListener(*internal, Transport::Tcp, 5060));
  EXPECT_EQ(external->address, ip("127.0.1.5"));
  EXPECT_TRUE(hasListener(*external, Transport::Udp, 5060));
  EXPECT_TRUE(hasListener(*external, Transport::Tls, 5061));
  ASSERT_EQ(internal->allow.size(), 1U);
  EXPECT_EQ(internal->allow[0].network, ip("127.0.2.0"));
  EXPECT_EQ(internal->allow[0].prefix_length, 24);
  ASSERT_EQ(external->allow.size(), 1U);
  EXPECT_EQ(external->allow[0].network, ip("127.0.3.0"));
  EXPECT_EQ(external->allow[0].prefix_length, 24);

  const Peer* pbx = findPeer(c, "pbx");
  const Peer* far = findPeer(c, "far");
  ASSERT_NE(pbx, nullptr);
  ASSERT_NE(far, nullptr);
  EXPECT_EQ(formatSocketAddress(*pbx->address), "127.0.2.6:5080");
  EXPECT_EQ(pbx->transport, Transport::Udp);
  EXPECT_EQ(pbx->interface.name, "internal");
  EXPECT_EQ(formatSocketAddress(*far->address), "127.0.3.10:5080");
  EXPECT_EQ(far->transport, Transport::Udp);
  EXPECT_EQ(far->interface.name, "external");

  ASSERT_EQ(c.routes.size(), 2U);
  EXPECT_EQ(c.routes[0].to_peers.at(0).name, "far");
  EXPECT_EQ(c.routes[0].match.from_interfaces.at(0).name, "internal");
  EXPECT_EQ(c.routes[1].to_peers.at(0).name, "pbx");
  EXPECT_EQ(c.routes[1].match.from_interfaces.at(0).name, "external");

  EXPECT_TRUE(c.protection.requests_per_second == 0 || c.protection.requests_per_second >= 500);
  EXPECT_TRUE(c.protection.requests_per_second == 0 || c.protection.burst >= 500);

  const std::filesystem::path dir = std::filesystem::absolute(kExamples);
  EXPECT_EQ(c.tls.certificate.path, (dir / "certs/sbc.crt").lexically_normal());
  EXPECT_EQ(c.tls.private_key.path, (dir / "certs/sbc.key").lexically_normal());
  EXPECT_EQ(c.tls.ca_bundle.path, (dir / "certs/ca.crt").lexically_normal());
}

TEST(ExamplesTest, BenchSip) {
  const Config c = loadExample("bench-sip.toml");
  ASSERT_EQ(c.interfaces.size(), 1U);
  const Interface& iface = c.interfaces[0];
  EXPECT_EQ(iface.address, ip("127.0.0.10"));
  ASSERT_EQ(iface.sip.size(), 1U);
  EXPECT_TRUE(hasListener(iface, Transport::Udp, 5060));
  EXPECT_FALSE(iface.media_ports);
  ASSERT_EQ(c.peers.size(), 1U);
  EXPECT_EQ(formatSocketAddress(*c.peers[0].address), "127.0.0.20:5080");
  EXPECT_EQ(c.peers[0].transport, Transport::Udp);
  ASSERT_EQ(c.routes.size(), 1U);
  const Route& route = c.routes[0];
  EXPECT_FALSE(route.media.anchor);
  ASSERT_EQ(route.headers.set.size(), 1U);
  EXPECT_EQ(route.headers.set[0].header, "To");
  EXPECT_EQ(route.headers.set[0].value.text, "<sip:${ruri.user}@um.example.net>");
  EXPECT_TRUE(c.protection.requests_per_second == 0 || c.protection.requests_per_second >= 100000);
}

TEST(ExamplesTest, MediaLoopback) {
  const Config c = loadExample("media-loopback.toml");
  ASSERT_TRUE(c.media.ng_listen);
  EXPECT_EQ(formatSocketAddress(*c.media.ng_listen), "127.0.0.1:22222");
  const Interface* internal = findInterface(c, "internal");
  const Interface* external = findInterface(c, "external");
  ASSERT_NE(internal, nullptr);
  ASSERT_NE(external, nullptr);
  EXPECT_EQ(internal->address, ip("127.0.0.5"));
  ASSERT_TRUE(internal->media_ports);
  EXPECT_EQ(internal->media_ports->first, 20000);
  EXPECT_EQ(internal->media_ports->last, 39999);
  EXPECT_EQ(external->address, ip("127.0.1.5"));
  ASSERT_TRUE(external->media_ports);
  EXPECT_EQ(external->media_ports->first, 40000);
  EXPECT_EQ(external->media_ports->last, 59999);
}

void expectSeedRoute(const Config& c) {
  ASSERT_EQ(c.routes.size(), 1U);
  const Route& route = c.routes[0];
  ASSERT_EQ(route.to_peers.size(), 1U);
  EXPECT_EQ(route.to_peers[0].name, "exchange-um");
  ASSERT_EQ(route.match.from_peers.size(), 1U);
  EXPECT_EQ(route.match.from_peers[0].name, "cucm");
  ASSERT_TRUE(route.match.request_uri);
  // The pattern must take the seed's Request-URI and nothing else.
  std::regex re(route.match.request_uri->pattern, kRegexSyntax);
  EXPECT_TRUE(std::regex_search("sip:87000@sbc-o365.example.com", re));
  EXPECT_TRUE(std::regex_search("sip:87000@sbc-o365.example.com;transport=tcp", re));
  EXPECT_FALSE(std::regex_search("sip:87000@sbc-o365.example.com.evil.net", re));
  EXPECT_FALSE(std::regex_search("sip:87000@other.example.com", re));
  ASSERT_EQ(route.headers.set.size(), 1U);
  EXPECT_EQ(route.headers.set[0].header, "To");
  EXPECT_EQ(route.headers.set[0].value.text, "<sip:${ruri.user}@${peer.fqdn}>");
  const Peer* um = findPeer(c, "exchange-um");
  const Peer* cucm = findPeer(c, "cucm");
  ASSERT_NE(um, nullptr);
  ASSERT_NE(cucm, nullptr);
  const MediaPolicy out = applyMediaOverride(um->media, route.media.outbound);
  EXPECT_EQ(out.mode, MediaMode::Srtp);
  EXPECT_EQ(out.ice, IceMode::Remove);
  EXPECT_EQ(out.rtcp_mux, RtcpMuxMode::Strip);
  EXPECT_EQ(out.dtls, DtlsMode::Off);
  EXPECT_EQ(out.srtp_suites, std::vector<SrtpSuite>{SrtpSuite::AesCm128HmacSha1_80});
  const MediaPolicy in = applyMediaOverride(cucm->media, route.media.inbound);
  EXPECT_EQ(in.mode, MediaMode::Rtp);
  EXPECT_EQ(in.ice, IceMode::Remove);
  EXPECT_TRUE(route.media.anchor);
  EXPECT_FALSE(route.rewrite_request_uri); // the default gives the seed's Request-URI
}

TEST(ExamplesTest, Seed) {
  const Config c = loadExample("seed.toml");
  EXPECT_EQ(c.sbc.fqdn, "sbc.example.com");
  const Interface* internal = findInterface(c, "internal");
  const Interface* external = findInterface(c, "external");
  ASSERT_NE(internal, nullptr);
  ASSERT_NE(external, nullptr);
  EXPECT_EQ(internal->address, ip("10.0.0.5"));
  EXPECT_EQ(external->address, ip("10.0.0.5"));
  ASSERT_TRUE(external->advertise);
  EXPECT_EQ(*external->advertise, ip("25.25.25.5"));
  EXPECT_TRUE(hasListener(*external, Transport::Tls, 5061));
  const Peer* cucm = findPeer(c, "cucm");
  ASSERT_NE(cucm, nullptr);
  EXPECT_EQ(cucm->profile, Profile::CiscoCucm);
  EXPECT_EQ(cucm->address->ip, ip("10.0.0.6"));
  EXPECT_EQ(cucm->transport, Transport::Tcp);
  EXPECT_EQ(cucm->port, 5060);
  const Peer* um = findPeer(c, "exchange-um");
  ASSERT_NE(um, nullptr);
  EXPECT_EQ(um->profile, Profile::MicrosoftExchangeUm);
  EXPECT_EQ(um->fqdn, "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com");
  EXPECT_FALSE(um->address);
  EXPECT_EQ(um->port, 5061);
  EXPECT_EQ(um->transport, Transport::Tls);
  EXPECT_FALSE(um->use_srv);
  EXPECT_EQ(um->interface.name, "external");
  for (const FileRef* f : {&c.tls.certificate, &c.tls.private_key, &c.tls.ca_bundle}) {
    EXPECT_EQ(f->path.parent_path(), std::filesystem::path("/etc/gatehouse")) << f->text;
  }
  EXPECT_EQ(c.media.timeout, std::chrono::seconds(60));
  EXPECT_EQ(c.media.silent_timeout, std::chrono::seconds(3600));
  expectSeedRoute(c);
}

TEST(ExamplesTest, SeedLoopback) {
  const Config c = loadExample("seed-loopback.toml");
  EXPECT_EQ(c.sbc.fqdn, "sbc.example.com");
  const Interface* internal = findInterface(c, "internal");
  const Interface* external = findInterface(c, "external");
  ASSERT_NE(internal, nullptr);
  ASSERT_NE(external, nullptr);
  EXPECT_EQ(internal->address, ip("127.0.0.5"));
  EXPECT_TRUE(hasListener(*internal, Transport::Udp, 5060));
  EXPECT_TRUE(hasListener(*internal, Transport::Tcp, 5060));
  ASSERT_FALSE(internal->allow.empty());
  EXPECT_EQ(internal->allow[0].network, ip("127.0.2.0"));
  EXPECT_EQ(internal->allow[0].prefix_length, 24);
  EXPECT_TRUE(internal->media_ports);
  EXPECT_EQ(external->address, ip("127.0.1.5"));
  EXPECT_TRUE(hasListener(*external, Transport::Tls, 5061));
  EXPECT_TRUE(external->media_ports);
  const Peer* cucm = findPeer(c, "cucm");
  ASSERT_NE(cucm, nullptr);
  EXPECT_EQ(cucm->address->ip, ip("127.0.2.6"));
  EXPECT_EQ(cucm->port, 5060);
  EXPECT_EQ(cucm->transport, Transport::Tcp);
  const Peer* um = findPeer(c, "exchange-um");
  ASSERT_NE(um, nullptr);
  EXPECT_EQ(um->profile, Profile::MicrosoftExchangeUm);
  EXPECT_EQ(um->fqdn, "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com");
  EXPECT_EQ(formatSocketAddress(*um->address), "127.0.3.124:5061");
  EXPECT_EQ(um->port, 5061);
  EXPECT_EQ(um->transport, Transport::Tls);
  EXPECT_EQ(um->identity, Identity::Fqdn);
  const std::filesystem::path dir = std::filesystem::absolute(kExamples);
  EXPECT_EQ(c.tls.certificate.path, (dir / "certs/sbc.crt").lexically_normal());
  EXPECT_EQ(c.tls.private_key.path, (dir / "certs/sbc.key").lexically_normal());
  EXPECT_EQ(c.tls.ca_bundle.path, (dir / "certs/ca.crt").lexically_normal());
  expectSeedRoute(c);
  std::regex re(c.routes[0].match.request_uri->pattern, kRegexSyntax);
  EXPECT_FALSE(std::regex_search("sip:87001@sbc-o365.example.com", re)); // user matched too
}

} // namespace
} // namespace gh::config
