#include "profiles/name_match.h"

#include <gtest/gtest.h>

namespace gh::profiles {
namespace {

using config::Profile;

NameVerdict match(std::vector<std::string> names, std::string_view fqdn, Profile profile) {
  return matchCertificateName(names, fqdn, profile);
}

TEST(NameMatch, ExactNameIsAcceptedByEveryProfile) {
  for (auto p : {Profile::Generic, Profile::MicrosoftExchangeUm, Profile::TeamsDirectRouting,
                 Profile::CiscoCucm}) {
    auto v = match({"sbc.example.com"}, "sbc.example.com", p);
    EXPECT_TRUE(v.accepted);
    EXPECT_EQ(v.match, NameMatch::Exact);
  }
}

TEST(NameMatch, ExchangeUmComparesCaseSensitively) {
  auto v = match({"SBC.example.com"}, "sbc.example.com", Profile::MicrosoftExchangeUm);
  EXPECT_FALSE(v.accepted);
  EXPECT_EQ(v.match, NameMatch::CaseDiffers);
  EXPECT_EQ(v.name, "SBC.example.com");
  EXPECT_TRUE(match({"SBC.example.com"}, "sbc.example.com", Profile::TeamsDirectRouting).accepted);
  EXPECT_TRUE(match({"SBC.example.com"}, "sbc.example.com", Profile::Generic).accepted);
}

TEST(NameMatch, ExchangeUmRefusesWildcards) {
  auto v = match({"*.example.com"}, "sbc.example.com", Profile::MicrosoftExchangeUm);
  EXPECT_FALSE(v.accepted);
  EXPECT_EQ(v.match, NameMatch::Wildcard);
}

TEST(NameMatch, TeamsWildcardCoversExactlyOneLabel) {
  EXPECT_TRUE(match({"*.example.com"}, "sbc.example.com", Profile::TeamsDirectRouting).accepted);
  EXPECT_TRUE(match({"*.EXAMPLE.com"}, "sbc.example.com", Profile::TeamsDirectRouting).accepted);
  auto deep = match({"*.example.com"}, "a.b.example.com", Profile::TeamsDirectRouting);
  EXPECT_FALSE(deep.accepted);
  EXPECT_EQ(deep.match, NameMatch::WildcardDepth);
  // The wildcard does not stand for the bare domain either.
  EXPECT_EQ(match({"*.example.com"}, "example.com", Profile::TeamsDirectRouting).match,
            NameMatch::NoMatch);
  EXPECT_EQ(match({"*.example.com"}, "sbc.example.org", Profile::TeamsDirectRouting).match,
            NameMatch::NoMatch);
  // A partial-label wildcard is not a wildcard Microsoft knows.
  EXPECT_FALSE(match({"s*.example.com"}, "sbc.example.com", Profile::TeamsDirectRouting).accepted);
}

TEST(NameMatch, AnExactNameBesideAWildcardWins) {
  auto v =
      match({"*.example.com", "sbc.example.com"}, "sbc.example.com", Profile::MicrosoftExchangeUm);
  EXPECT_TRUE(v.accepted);
  EXPECT_EQ(v.name, "sbc.example.com");
}

TEST(NameMatch, NoNamesIsNoMatch) {
  auto v = match({}, "sbc.example.com", Profile::Generic);
  EXPECT_FALSE(v.accepted);
  EXPECT_EQ(v.match, NameMatch::NoMatch);
  EXPECT_EQ(match({"other.example.com"}, "sbc.example.com", Profile::Generic).match,
            NameMatch::NoMatch);
}

} // namespace
} // namespace gh::profiles
