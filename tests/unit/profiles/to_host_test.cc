#include "profiles/to_host.h"

#include <gtest/gtest.h>

#include "route/router.h"
#include "unit/profiles/seed_config.h"

namespace gh::profiles {
namespace {

using test::load;
using test::seedWith;

ToHostResult toHostOf(const config::Config& config) {
  route::Router router(config);
  EXPECT_EQ(router.routes().size(), 1u);
  const config::Peer* peer = config::findPeer(config, "exchange-um");
  EXPECT_NE(peer, nullptr);
  return evaluateToHost(config, router.routes().front(), *peer);
}

TEST(ToHost, SampleRequestComesFromTheRequestUriPattern) {
  auto config = load(test::kSeed);
  SampleRequest s = sampleRequest(config.routes.front());
  EXPECT_EQ(s.user, "87000");
  EXPECT_EQ(s.host, "sbc-o365.example.com");

  config = load(seedWith("'^sips?:87000@sbc-o365\\.example\\.com([:;?>]|$)'",
                         "'^sips?:[^@]*@pbx\\.example\\.com'"));
  s = sampleRequest(config.routes.front());
  EXPECT_EQ(s.user, "87000"); // '[^@]*' spells no user: the placeholder
  EXPECT_EQ(s.host, "pbx.example.com");

  config =
      load(seedWith("match.request_uri = '^sips?:87000@sbc-o365\\.example\\.com([:;?>]|$)'", ""));
  s = sampleRequest(config.routes.front());
  EXPECT_EQ(s.host, "sample.invalid");
}

TEST(ToHost, SeedRouteSetsTheForwardingAddress) {
  auto r = toHostOf(load(test::kSeed));
  EXPECT_EQ(r.to, "<sip:87000@df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com>");
  EXPECT_EQ(r.host, "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com");
}

TEST(ToHost, WithoutTheRewriteTheToHostIsKept) {
  auto r = toHostOf(load(seedWith("headers.set.To    = \"<sip:${ruri.user}@${peer.fqdn}>\"", "")));
  EXPECT_EQ(r.host, "sbc-o365.example.com");
  EXPECT_EQ(r.host, r.sample.host);
}

TEST(ToHost, ReplaceActionIsEvaluatedToo) {
  auto r = toHostOf(load(seedWith(
      "headers.set.To    = \"<sip:${ruri.user}@${peer.fqdn}>\"",
      "headers.replace = [{ header = \"To\", pattern = '@[^>;]+', with = '@${peer.fqdn}' }]")));
  EXPECT_EQ(r.host, "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com");
}

TEST(ToHost, SetToAnotherHostIsSeen) {
  auto r = toHostOf(load(seedWith("headers.set.To    = \"<sip:${ruri.user}@${peer.fqdn}>\"",
                                  "headers.set.To = \"<sip:${ruri.user}@${sbc.fqdn}>\"")));
  EXPECT_EQ(r.host, "sbc.example.com");
}

TEST(ToHost, RemovingToLeavesNoHost) {
  auto r = toHostOf(load(seedWith("headers.set.To    = \"<sip:${ruri.user}@${peer.fqdn}>\"",
                                  "headers.remove = [\"To\"]")));
  EXPECT_TRUE(r.host.empty());
}

} // namespace
} // namespace gh::profiles
