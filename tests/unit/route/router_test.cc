#include "route/router.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "route/source_filter.h"

namespace gh::route {
namespace {

config::Config load(std::string_view text) {
  auto loaded = config::loadString(text, "t.toml", "/tmp");
  if (!loaded) {
    ADD_FAILURE() << config::formatDiagnostics(loaded.error());
    return config::Config{};
  }
  return std::move(*loaded);
}

constexpr std::string_view kTwoSides = R"(
[[interface]]
name = "internal"
address = "127.0.0.5"
sip = ["udp:5060"]
allow = ["127.0.2.0/24"]

[[interface]]
name = "external"
address = "127.0.1.5"
sip = ["udp:5060"]
allow = ["127.0.3.0/24"]

[[peer]]
name = "pbx"
interface = "internal"
address = "127.0.2.6:5080"

[[peer]]
name = "far"
interface = "external"
address = "127.0.3.10:5080"
sources = ["127.0.9.0/24"]

[[route]]
name = "invite-only"
match = { from_interface = "internal", method = ["INVITE"], request_uri = '^sip:9' }
reject = 403

[[route]]
name = "to-far"
match = { from_interface = "internal", request_uri = '^sips?:([^@]*@)?far\.example\.com' }
to_peer = "far"
media.anchor = false

[[route]]
name = "from-far-peer"
match = { from_peer = "far", to = 'alice' }
to_peer = "pbx"
media.anchor = false
)";

net::Endpoint ep(const char* text) {
  return *net::Endpoint::parse(text);
}

TEST(Router, FirstMatchingRouteWins) {
  auto config = load(kTwoSides);
  Router router(config);
  RequestFacts facts{.method = "INVITE",
                     .request_uri = "sip:9123@far.example.com",
                     .from_uri = "sip:a@pbx",
                     .to_uri = "sip:b@far",
                     .interface = 0};
  auto* r = router.select(facts);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->route->name, "invite-only");
  facts.method = "OPTIONS";
  r = router.select(facts);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->route->name, "to-far");
  ASSERT_EQ(r->to_peers.size(), 1u);
  EXPECT_EQ(config.peers[r->to_peers[0]].name, "far");
}

TEST(Router, InterfacePeerAndHeaderRegexMustAllHold) {
  auto config = load(kTwoSides);
  Router router(config);
  RequestFacts facts{.method = "INVITE",
                     .request_uri = "sip:1@far.example.com",
                     .from_uri = "sip:x@y",
                     .to_uri = "sip:alice@pbx",
                     .interface = 1};
  EXPECT_EQ(router.select(facts), nullptr) << "no peer: from_peer cannot match";
  facts.peer = 1;
  auto* r = router.select(facts);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->route->name, "from-far-peer");
  facts.to_uri = "sip:bob@pbx";
  EXPECT_EQ(router.select(facts), nullptr);
}

TEST(Router, RegexIsCaseInsensitiveLikeSipHosts) {
  auto config = load(kTwoSides);
  Router router(config);
  RequestFacts facts{.method = "INVITE",
                     .request_uri = "sip:1@FAR.Example.COM",
                     .from_uri = "",
                     .to_uri = "",
                     .interface = 0};
  auto* r = router.select(facts);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->route->name, "to-far");
}

TEST(SourceFilter, AllowListAndPeersOfTheInterfaceAreAdmitted) {
  auto config = load(kTwoSides);
  SourceFilter filter(config);
  auto v = filter.classify(0, ep("127.0.2.77:5060"));
  EXPECT_TRUE(v.allowed);
  EXPECT_FALSE(v.peer);
  v = filter.classify(0, ep("127.0.2.6:1234"));
  EXPECT_TRUE(v.allowed);
  ASSERT_TRUE(v.peer);
  EXPECT_EQ(*v.peer, 0u);
  // far's extra source range is admitted on far's interface only.
  v = filter.classify(1, ep("127.0.9.3:5060"));
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.peer, std::optional<std::size_t>(1));
  v = filter.classify(0, ep("127.0.9.3:5060"));
  EXPECT_FALSE(v.allowed);
  EXPECT_FALSE(filter.classify(0, ep("127.0.3.10:5080")).allowed);
  EXPECT_FALSE(filter.classify(1, ep("10.1.1.1:5060")).allowed);
  EXPECT_FALSE(filter.classify(7, ep("127.0.2.6:5080")).allowed);
}

TEST(SourceFilter, CidrPrefixes) {
  config::Cidr cidr{config::parseIpAddress("10.1.128.0").value(), 17, {}};
  EXPECT_TRUE(cidrContains(cidr, ep("10.1.200.1:1")));
  EXPECT_FALSE(cidrContains(cidr, ep("10.1.127.255:1")));
  config::Cidr v6{config::parseIpAddress("2001:db8::").value(), 32, {}};
  EXPECT_TRUE(cidrContains(v6, ep("[2001:db8:ffff::1]:1")));
  EXPECT_FALSE(cidrContains(v6, ep("[2001:db9::1]:1")));
  EXPECT_FALSE(cidrContains(v6, ep("10.1.1.1:1")));
  config::Cidr all{config::parseIpAddress("0.0.0.0").value(), 0, {}};
  EXPECT_TRUE(cidrContains(all, ep("192.0.2.1:1")));
}

} // namespace
} // namespace gh::route
