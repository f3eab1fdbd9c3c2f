#include "profiles/certificate_rules.h"

#include <gtest/gtest.h>

#include "unit/profiles/seed_config.h"

namespace gh::profiles {
namespace {

constexpr int64_t kDay = 86400;

struct Fixture {
  config::Config config = test::load(test::kSeed);
  CertificateFacts facts{.common_name = "sbc.example.com",
                         .dns_names = {"sbc.example.com"},
                         .seconds_left = 400 * kDay,
                         .seconds_to_start = -10 * kDay,
                         .not_after = "2027-01-01"};

  Findings run(bool listeners = true) {
    CertificateUse use{.tls = &config.tls, .serves_listeners = listeners};
    use.peers.push_back(config::findPeer(config, "exchange-um"));
    return checkCertificate(facts, use, config.sbc);
  }
};

std::string dump(const Findings& findings) {
  std::string out;
  for (const auto& f : findings)
    out += formatFinding(f) + "\n";
  return out;
}

TEST(CertificateRules, SeedCertificateIsClean) {
  Fixture fx;
  Findings f = fx.run();
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(CertificateRules, WildcardIsRefusedByExchangeUmWith403) {
  Fixture fx;
  fx.facts.common_name = "*.example.com";
  fx.facts.dns_names = {"*.example.com"};
  Findings f = fx.run();
  ASSERT_EQ(f.size(), 1u) << dump(f);
  EXPECT_EQ(ruleTag(*f[0].rule), "microsoft-exchange-um.no-wildcard");
  EXPECT_NE(f[0].message.find("is a wildcard (*.example.com)"), std::string::npos);
  EXPECT_NE(f[0].message.find("Exchange UM answers 403"), std::string::npos);
  EXPECT_EQ(f[0].where.line, 5u); // certificate = ...
}

TEST(CertificateRules, WrongNameAndWrongCase) {
  Fixture fx;
  fx.facts.common_name = "other.example.com";
  fx.facts.dns_names = {"other.example.com"};
  Findings f = fx.run();
  ASSERT_EQ(f.size(), 1u) << dump(f);
  EXPECT_EQ(ruleTag(*f[0].rule), "microsoft-exchange-um.certificate-name");
  EXPECT_NE(f[0].message.find("names other.example.com, not [sbc] fqdn sbc.example.com"),
            std::string::npos)
      << f[0].message;
  fx.facts.common_name = "SBC.example.com";
  fx.facts.dns_names = {"SBC.example.com"};
  f = fx.run();
  ASSERT_EQ(f.size(), 1u) << dump(f);
  EXPECT_NE(f[0].message.find("case-sensitively"), std::string::npos);
  EXPECT_NE(f[0].message.find("answers 403"), std::string::npos);
}

TEST(CertificateRules, WildcardIsFineForTeamsButOnlyOneLabelDeep) {
  Fixture fx;
  config::Peer teams = *config::findPeer(fx.config, "exchange-um");
  teams.profile = config::Profile::TeamsDirectRouting;
  fx.facts.common_name = "*.example.com";
  fx.facts.dns_names = {"*.example.com"};
  CertificateUse use{.tls = &fx.config.tls, .serves_listeners = true, .peers = {&teams}};
  EXPECT_TRUE(checkCertificate(fx.facts, use, fx.config.sbc).empty());
  fx.config.sbc.fqdn = "a.b.example.com";
  Findings f = checkCertificate(fx.facts, use, fx.config.sbc);
  ASSERT_EQ(f.size(), 1u) << dump(f);
  EXPECT_EQ(ruleTag(*f[0].rule), "teams-direct-routing.certificate-name");
  EXPECT_NE(f[0].message.find("covers one label"), std::string::npos);
}

TEST(CertificateRules, Dates) {
  Fixture fx;
  fx.facts.seconds_left = -5 * kDay;
  fx.facts.not_after = "2020-01-31";
  Findings f = fx.run();
  ASSERT_EQ(f.size(), 1u) << dump(f);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_NE(f[0].message.find("expired on 2020-01-31"), std::string::npos);

  fx.facts.seconds_left = 12 * kDay + 5;
  f = fx.run();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("in 12 day(s)"), std::string::npos);

  fx.facts.seconds_left = 30 * kDay;
  EXPECT_TRUE(fx.run().empty());

  fx.facts.seconds_to_start = 2 * kDay;
  f = fx.run();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("not valid yet"), std::string::npos);
}

TEST(CertificateRules, PurposesKeyAndChain) {
  Fixture fx;
  fx.facts.client_auth = false;
  Findings f = fx.run();
  ASSERT_EQ(f.size(), 1u) << dump(f);
  EXPECT_EQ(ruleTag(*f[0].rule), "microsoft-exchange-um.client-certificate");
  EXPECT_NE(f[0].message.find("Client Authentication"), std::string::npos);

  fx.facts.client_auth = true;
  fx.facts.server_auth = false;
  EXPECT_EQ(fx.run().size(), 1u);
  EXPECT_TRUE(fx.run(/*listeners=*/false).empty()); // no listener presents it as a server

  fx.facts.server_auth = true;
  fx.facts.key_matches = false;
  f = fx.run();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where.line, 6u); // private_key = ...
  EXPECT_NE(f[0].message.find("does not belong"), std::string::npos);

  fx.facts.key_matches = true;
  fx.facts.chain_error = "unable to get local issuer certificate";
  f = fx.run();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("does not verify against certs/ca.crt"), std::string::npos);
}

TEST(CertificateRules, NamesAreSansThenCommonName) {
  CertificateFacts facts{.common_name = "cn.example.com", .dns_names = {"a.example.com"}};
  EXPECT_EQ(certificateNames(facts), (std::vector<std::string>{"a.example.com", "cn.example.com"}));
  facts.common_name = "a.example.com";
  EXPECT_EQ(certificateNames(facts).size(), 1u);
}

} // namespace
} // namespace gh::profiles
