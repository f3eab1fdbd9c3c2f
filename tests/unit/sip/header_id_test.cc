#include "sip/message/header_id.h"

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

TEST(HeaderIdTest, FullAndCompactFormsAnyCase) {
  EXPECT_EQ(lookupHeader("Via"), HeaderId::Via);
  EXPECT_EQ(lookupHeader("v"), HeaderId::Via);
  EXPECT_EQ(lookupHeader("V"), HeaderId::Via);
  EXPECT_EQ(lookupHeader("MaX-fOrWaRdS"), HeaderId::MaxForwards);
  EXPECT_EQ(lookupHeader("CONTENT-LENGTH"), HeaderId::ContentLength);
  EXPECT_EQ(lookupHeader("l"), HeaderId::ContentLength);
  EXPECT_EQ(lookupHeader("i"), HeaderId::CallId);
  EXPECT_EQ(lookupHeader("k"), HeaderId::Supported);
  EXPECT_EQ(lookupHeader("x"), HeaderId::SessionExpires);
  EXPECT_EQ(lookupHeader("P-Asserted-Identity"), HeaderId::PAssertedIdentity);
  EXPECT_EQ(lookupHeader("C%6Fntact"), HeaderId::Other);
  EXPECT_EQ(lookupHeader("q"), HeaderId::Other);
  EXPECT_EQ(lookupHeader(""), HeaderId::Other);
  EXPECT_EQ(lookupHeader(std::string(200, 'a')), HeaderId::Other);
}

TEST(HeaderIdTest, EveryCanonicalNameLooksUpToItself) {
  for (int i = 1; i < static_cast<int>(HeaderId::Count); ++i) {
    auto id = static_cast<HeaderId>(i);
    ASSERT_FALSE(canonicalName(id).empty()) << i;
    EXPECT_EQ(lookupHeader(canonicalName(id)), id) << canonicalName(id);
  }
}

} // namespace
} // namespace gh::sip
