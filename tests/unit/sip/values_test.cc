#include "sip/message/values.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

TEST(ValuesTest, CSeq) {
  auto c = parseCSeq("0009\r\n  INVITE");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 9u);
  EXPECT_EQ(c->method, Method::Invite);
  EXPECT_TRUE(parseCSeq("4294967295 BYE"));
  EXPECT_FALSE(parseCSeq("4294967296 BYE"));
  EXPECT_FALSE(parseCSeq("-1 BYE"));
  EXPECT_FALSE(parseCSeq("1"));
  EXPECT_FALSE(parseCSeq("1 INVITE x"));
  EXPECT_FALSE(parseCSeq("1INVITE"));
}

TEST(ValuesTest, CallId) {
  EXPECT_TRUE(isValidCallId("c81d7600-5db10c85-9501-3402000a@10.0.2.52"));
  EXPECT_TRUE(isValidCallId("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"));
  EXPECT_FALSE(isValidCallId("a b"));
  EXPECT_FALSE(isValidCallId("a@"));
  EXPECT_FALSE(isValidCallId("a@b@c"));
  EXPECT_FALSE(isValidCallId(""));
}

TEST(ValuesTest, Date) {
  EXPECT_TRUE(isValidSipDate("Mon, 24 Aug 2015 12:22:29 GMT"));
  EXPECT_FALSE(isValidSipDate("Fri, 01 Jan 2010 16:00:00 EST"));
  EXPECT_FALSE(isValidSipDate("Mon, 24 Agu 2015 12:22:29 GMT"));
  EXPECT_FALSE(isValidSipDate("Mon 24 Aug 2015 12:22:29 GMT"));
}

TEST(ValuesTest, TokenLists) {
  std::vector<std::string> tags;
  auto n = forEachToken("timer, resource-priority ,replaces",
                        [&](std::string_view t) { tags.emplace_back(t); });
  ASSERT_TRUE(n);
  EXPECT_EQ(tags, (std::vector<std::string>{"timer", "resource-priority", "replaces"}));
  EXPECT_FALSE(forEachToken("a,,b", [](std::string_view) {}));
  EXPECT_FALSE(forEachToken("a,", [](std::string_view) {}));
  EXPECT_FALSE(forEachToken("a;b", [](std::string_view) {}));
}

TEST(ValuesTest, Decimal) {
  EXPECT_EQ(*parseDecimal(" 70 "), 70u);
  EXPECT_FALSE(parseDecimal("10000000000"));
  EXPECT_FALSE(parseDecimal("seven"));
}

} // namespace
} // namespace gh::sip
