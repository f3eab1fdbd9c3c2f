#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "profiles/rules.h"

namespace gh::profiles {
namespace {

using config::Profile;

TEST(RulesTable, EveryRowIsComplete) {
  std::set<std::string> tags;
  for (const Rule& r : allRules()) {
    EXPECT_FALSE(r.key.empty());
    EXPECT_FALSE(r.outcome.empty()) << ruleTag(r);
    EXPECT_FALSE(r.requirement.empty()) << ruleTag(r);
    EXPECT_FALSE(r.why.empty()) << ruleTag(r);
    EXPECT_TRUE(tags.insert(ruleTag(r)).second) << "twice: " << ruleTag(r);
    if (r.response != 0) {
      EXPECT_NE(r.outcome.find(std::to_string(r.response)), std::string_view::npos) << ruleTag(r);
    }
  }
}

// The seed post's five rules, with the answers it reports.
TEST(RulesTable, SeedRulesAnswerAsTheSeedSays) {
  auto code = [](RuleId id) { return findRule(Profile::MicrosoftExchangeUm, id)->response; };
  EXPECT_EQ(code(RuleId::CertificateName), 403);
  EXPECT_EQ(code(RuleId::NoWildcard), 403);
  EXPECT_EQ(code(RuleId::ToHost), 488);
  EXPECT_EQ(code(RuleId::SrtpOffered), 488);
  EXPECT_EQ(code(RuleId::NoRtcpMux), 488);
  EXPECT_EQ(code(RuleId::NoIce), 488);
  EXPECT_EQ(answer(*findRule(Profile::MicrosoftExchangeUm, RuleId::ToHost)),
            "Exchange UM answers 488");
  EXPECT_EQ(findRule(Profile::TeamsDirectRouting, RuleId::ToHost), nullptr);
  EXPECT_EQ(findRule(Profile::TeamsDirectRouting, RuleId::NoWildcard), nullptr);
}

// docs/microsoft.md carries the tables `gatehouse check --rules` prints, so the documentation
// and the checks cannot drift apart.
TEST(RulesTable, DocsCarryTheSameTables) {
  std::ifstream in(std::string(GH_SOURCE_DIR) + "/docs/microsoft.md");
  ASSERT_TRUE(in) << "docs/microsoft.md is missing";
  std::stringstream doc;
  doc << in.rdbuf();
  for (auto p : {Profile::MicrosoftExchangeUm, Profile::TeamsDirectRouting, Profile::CiscoCucm,
                 Profile::Generic}) {
    EXPECT_NE(doc.str().find(rulesMarkdown(p)), std::string::npos)
        << "docs/microsoft.md lacks the table of " << config::profileName(p)
        << " (regenerate it with `gatehouse check --rules`):\n"
        << rulesMarkdown(p);
  }
}

} // namespace
} // namespace gh::profiles
