// Each profile rule on the seed config: silent on the seed itself, firing on the one line that
// breaks it, with the peer's answer in the message.
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "profiles/checks.h"
#include "unit/profiles/seed_config.h"

namespace gh::profiles {
namespace {

using test::load;
using test::seedWith;

constexpr std::string_view kSetTo = "headers.set.To    = \"<sip:${ruri.user}@${peer.fqdn}>\"";

Findings check(std::string_view text) {
  config::Config config = load(text);
  Findings out = checkPeers(config);
  Findings routes = checkRoutes(config);
  out.insert(out.end(), routes.begin(), routes.end());
  return out;
}

std::string dump(const Findings& findings) {
  std::string out;
  for (const auto& f : findings)
    out += formatFinding(f) + "\n";
  return out;
}

// The one finding tagged `tag`; fails unless there is exactly one.
Finding only(const Findings& findings, std::string_view tag) {
  std::vector<Finding> hits;
  for (const auto& f : findings) {
    if (f.rule != nullptr && ruleTag(*f.rule) == tag)
      hits.push_back(f);
  }
  EXPECT_EQ(hits.size(), 1u) << tag << " in:\n" << dump(findings);
  return hits.empty() ? Finding{} : hits.front();
}

TEST(ProfileRules, SeedConfigIsClean) {
  Findings f = check(test::kSeed);
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(ProfileRules, ProfileDefaultsAloneSatisfyTheirOwnRules) {
  std::string text = seedWith(R"([route.media.outbound]
mode        = "srtp"
srtp_suites = ["AES_CM_128_HMAC_SHA1_80"]
ice         = "remove"
rtcp_mux    = "strip"

[route.media.inbound]
mode = "rtp"
)",
                              "");
  Findings f = check(text);
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(ProfileRules, ExchangeUmToHostMustBeTheForwardingAddress) {
  Findings f = check(seedWith(kSetTo, ""));
  Finding hit = only(f, "microsoft-exchange-um.to-host");
  EXPECT_EQ(hit.severity, Severity::Error);
  EXPECT_NE(hit.message.find("route voicemail to exchange-um keeps To host sbc-o365.example.com"),
            std::string::npos)
      << hit.message;
  EXPECT_NE(hit.message.find("Exchange UM answers 488"), std::string::npos) << hit.message;
  EXPECT_EQ(hit.where.line, 40u); // the [[route]] header: there is no To action to point at
}

TEST(ProfileRules, ExchangeUmToHostPointsAtTheToAction) {
  Findings f = check(seedWith(kSetTo, "headers.set.To = \"<sip:${ruri.user}@${ruri.host}>\""));
  Finding hit = only(f, "microsoft-exchange-um.to-host");
  EXPECT_EQ(hit.where.line, 45u);
  EXPECT_NE(hit.message.find("keeps To host sbc-o365.example.com"), std::string::npos);
}

TEST(ProfileRules, ExchangeUmWantsSrtp) {
  Finding hit = only(check(seedWith("mode        = \"srtp\"", "mode        = \"rtp\"")),
                     "microsoft-exchange-um.srtp");
  EXPECT_NE(hit.message.find("no SRTP offered"), std::string::npos) << hit.message;
  EXPECT_NE(hit.message.find("Exchange UM answers 488"), std::string::npos);
  EXPECT_EQ(hit.where.line, 47u); // [route.media.outbound]

  hit = only(check(seedWith("srtp_suites = [\"AES_CM_128_HMAC_SHA1_80\"]",
                            "srtp_suites = [\"AEAD_AES_128_GCM\"]")),
             "microsoft-exchange-um.srtp");
  EXPECT_NE(hit.message.find("AEAD_AES_128_GCM"), std::string::npos) << hit.message;
}

TEST(ProfileRules, ExchangeUmRefusesRtcpMuxAndIce) {
  Finding mux = only(check(seedWith("rtcp_mux    = \"strip\"", "rtcp_mux    = \"keep\"")),
                     "microsoft-exchange-um.no-rtcp-mux");
  EXPECT_NE(mux.message.find("media policy offers rtcp-mux to exchange-um"), std::string::npos);
  EXPECT_NE(mux.message.find("answers 488"), std::string::npos);
  for (const char* mode : {"offer", "require"}) {
    Finding offered =
        only(check(seedWith("rtcp_mux    = \"strip\"", fmt::format("rtcp_mux    = \"{}\"", mode))),
             "microsoft-exchange-um.no-rtcp-mux");
    EXPECT_NE(offered.message.find(fmt::format("rtcp_mux = \"{}\"", mode)), std::string::npos)
        << offered.message;
  }
  Finding ice = only(check(seedWith("ice         = \"remove\"", "ice         = \"keep\"")),
                     "microsoft-exchange-um.no-ice");
  EXPECT_NE(ice.message.find("ICE attributes"), std::string::npos);
  EXPECT_NE(ice.message.find("answers 488"), std::string::npos);
}

TEST(ProfileRules, ProfileDefaultsFillKeysTheRouteLeavesOut) {
  Findings f = check(seedWith("ice         = \"remove\"\nrtcp_mux    = \"strip\"\n", ""));
  EXPECT_TRUE(f.empty()) << dump(f); // the profile strips rtcp-mux and removes ICE itself
  // A peer media table that undoes the profile is blamed at that table.
  std::string text = seedWith("ice         = \"remove\"\nrtcp_mux    = \"strip\"\n", "");
  text.replace(text.find("address   = \"127.0.3.124:5061\""), 30,
               "address   = \"127.0.3.124:5061\"\nmedia.rtcp_mux = \"keep\"");
  Finding hit = only(check(text), "microsoft-exchange-um.no-rtcp-mux");
  EXPECT_EQ(hit.where.file, "seed.toml");
  EXPECT_NE(hit.where.line, 47u); // not the route's table, which does not set rtcp_mux
}

TEST(ProfileRules, UnanchoredMediaReachesMicrosoftUnchanged) {
  std::string text = seedWith(kSetTo, std::string(kSetTo) + "\nmedia.anchor = false");
  text = text.substr(0, text.find("[route.media.outbound]"));
  Finding hit = only(check(text), "microsoft-exchange-um.media-anchored");
  EXPECT_NE(hit.message.find("does not anchor media"), std::string::npos);
  EXPECT_NE(hit.message.find("answers 488"), std::string::npos);
}

TEST(ProfileRules, ExchangeUmPortAndIdentity) {
  Finding port = only(check(seedWith("127.0.3.124:5061", "127.0.3.124:5062")),
                      "microsoft-exchange-um.port-5061");
  EXPECT_NE(port.message.find("Exchange UM only accepts TLS on 5061"), std::string::npos);
  Finding id = only(check(seedWith("address   = \"127.0.3.124:5061\"",
                                   "address   = \"127.0.3.124:5061\"\nidentity = \"address\"")),
                    "microsoft-exchange-um.identity-fqdn");
  EXPECT_NE(id.message.find("Exchange UM answers 403"), std::string::npos);
}

TEST(ProfileRules, ExchangeUmOverTcp) {
  std::string text = seedWith("sip         = [\"tls:5061\"]", "sip = [\"tls:5061\", \"tcp:5062\"]");
  text.replace(text.find("transport = \"tls\""), 17, "transport = \"tcp\"");
  Finding hit = only(check(text), "microsoft-exchange-um.transport-tls");
  EXPECT_NE(hit.message.find("uses transport tcp"), std::string::npos) << hit.message;
}

TEST(ProfileRules, CucmGetsPlainRtp) {
  Finding hit = only(check(seedWith("[route.media.inbound]\nmode = \"rtp\"",
                                    "[route.media.inbound]\nmode = \"srtp\"")),
                     "cisco-cucm.plain-rtp");
  EXPECT_EQ(hit.severity, Severity::Warning);
  EXPECT_NE(hit.message.find("CUCM answers 488"), std::string::npos);
}

std::string teams(std::string_view extra_peer_keys) {
  std::string text =
      seedWith("profile   = \"microsoft-exchange-um\"", "profile   = \"teams-direct-routing\"");
  text.replace(text.find("address   = \"127.0.3.124:5061\""), 30,
               "address   = \"127.0.3.124:5061\"\n" + std::string(extra_peer_keys));
  return text;
}

TEST(ProfileRules, TeamsRules) {
  Findings clean = check(teams(""));
  EXPECT_TRUE(clean.empty()) << dump(clean);
  // Teams has no To-host rule: the seed's To rewrite is Exchange UM's.
  std::string no_to = teams("");
  no_to.replace(no_to.find(kSetTo), kSetTo.size(), "");
  Findings kept = check(no_to);
  EXPECT_TRUE(kept.empty()) << dump(kept);
  Finding keepalive =
      only(check(teams("options_interval_s = 0")), "teams-direct-routing.options-60s");
  EXPECT_EQ(keepalive.severity, Severity::Warning);
  Finding id = only(check(teams("identity = \"address\"")), "teams-direct-routing.identity-fqdn");
  EXPECT_NE(id.message.find("Teams answers 403"), std::string::npos);
  std::string tls13 = teams("");
  tls13.replace(tls13.find("min_version = \"1.2\""), 19, "min_version = \"1.3\"");
  only(check(tls13), "teams-direct-routing.tls-1.2");
  std::string rtp = teams("");
  rtp.replace(rtp.find("mode        = \"srtp\""), 20, "mode        = \"rtp\" ");
  Finding srtp = only(check(rtp), "teams-direct-routing.srtp");
  EXPECT_EQ(srtp.where.line, 48u); // the route's outbound table (one line lower)
}

} // namespace
} // namespace gh::profiles
