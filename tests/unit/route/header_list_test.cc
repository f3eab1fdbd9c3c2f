#include "route/header_list.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace gh::route {
namespace {

TEST(HeaderList, CompactFormsAndCaseAreTheSameHeader) {
  EXPECT_TRUE(sameHeader("To", "t"));
  EXPECT_TRUE(sameHeader("x-cisco-foo", "X-Cisco-Foo"));
  EXPECT_FALSE(sameHeader("To", "From"));
  EXPECT_FALSE(sameHeader("X-A", "X-B"));
}

TEST(HeaderList, SetKeepsOnePlaceAndRemoveDropsAll) {
  HeaderList h{{"Via", "a"}, {"t", "<sip:1@x>"}, {"X", "1"}, {"To", "<sip:2@x>"}, {"X", "2"}};
  setHeader(h, "To", "<sip:3@y>");
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[1].value, "<sip:3@y>");
  removeHeader(h, "x");
  ASSERT_EQ(h.size(), 2u);
  setHeader(h, "P-New", "v");
  EXPECT_EQ(h.back().name, "P-New");
}

TEST(HeaderList, SeedToRewriteAndReplaceWithGroups) {
  auto loaded = config::loadString(R"(
[sbc]
fqdn = "sbc.example.com"
[[interface]]
name = "i"
address = "127.0.0.5"
sip = ["udp:5060"]
[[peer]]
name = "um"
interface = "i"
fqdn = "um.example.net"
address = "127.0.0.9:5061"
[[route]]
name = "vm"
to_peer = "um"
media.anchor = false
headers.remove = ["X-Internal"]
headers.replace = [{ header = "P-Asserted-Identity", pattern = '@10\.0\.0\.([0-9]+)', with = '@pbx$1.example.com' }]
headers.set.To = "<sip:${ruri.user}@${peer.fqdn}>"
headers.add.X-Origin = "${source.address} via ${sbc.fqdn}"
)",
                                   "t.toml", "/tmp");
  ASSERT_TRUE(loaded) << config::formatDiagnostics(loaded.error());
  Router router(*loaded);
  ASSERT_EQ(router.routes().size(), 1u);
  HeaderList h{{"To", "<sip:87000@sbc-o365.example.com>"},
               {"X-Internal", "1"},
               {"P-Asserted-Identity", "<sip:1000@10.0.0.6>, <sip:1001@10.0.0.77>"}};
  TemplateFacts facts{.ruri_user = "87000",
                      .peer_fqdn = "um.example.net",
                      .sbc_fqdn = "sbc.example.com",
                      .source_address = "127.0.2.6"};
  applyHeaderActions(router.routes()[0], false, facts, h);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].value, "<sip:87000@um.example.net>");
  EXPECT_EQ(h[1].value, "<sip:1000@pbx6.example.com>, <sip:1001@pbx77.example.com>");
  EXPECT_EQ(h[2].name, "X-Origin");
  EXPECT_EQ(h[2].value, "127.0.2.6 via sbc.example.com");
}

} // namespace
} // namespace gh::route
