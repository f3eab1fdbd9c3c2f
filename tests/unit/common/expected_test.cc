#include "common/expected.h"

#include <string>

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/text.h"

namespace gh {
namespace {

Result<int> half(int v) {
  if (v % 2 != 0) {
    return fail(Errc::BadNumber, 3, "odd");
  }
  return v / 2;
}

TEST(ExpectedTest, CarriesValueOrError) {
  auto ok = half(8);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 4);
  auto bad = half(7);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::BadNumber);
  EXPECT_EQ(bad.error().offset, 3u);
  EXPECT_STREQ(bad.error().what, "odd");
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(ExpectedTest, MovesOwnedValues) {
  Expected<std::string, Error> s(std::string(100, 'x'));
  std::string taken = *std::move(s);
  EXPECT_EQ(taken.size(), 100u);
}

TEST(ExpectedTest, ShiftedErrorKeepsCode) {
  Error e{Errc::BadUri, 4, "x"};
  EXPECT_EQ(e.shifted(10).offset, 14u);
  EXPECT_EQ(errcName(e.code), "bad-uri");
}

TEST(TextTest, ParseUnsignedRejectsJunkAndOverflow) {
  EXPECT_EQ(parseUnsigned<uint32_t>("4294967295"), 4294967295u);
  EXPECT_FALSE(parseUnsigned<uint32_t>("4294967296"));
  EXPECT_FALSE(parseUnsigned<uint32_t>("-1"));
  EXPECT_FALSE(parseUnsigned<uint32_t>("12a"));
  EXPECT_FALSE(parseUnsigned<uint32_t>(""));
  EXPECT_EQ(parseUnsigned<uint16_t>("0068"), 68);
}

TEST(TextTest, CaseInsensitiveHelpers) {
  EXPECT_TRUE(iequals("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(iequals("Via", "Vias"));
  EXPECT_TRUE(istartsWith("SIP/2.0", "sip/"));
  EXPECT_EQ(trimLws(" \r\n\tabc \t"), "abc");
}

} // namespace
} // namespace gh
