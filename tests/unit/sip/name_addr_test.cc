#include "sip/message/name_addr.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

TEST(NameAddrTest, QuotedDisplayName) {
  auto a = parseNameAddr(R"("10048 - Armstrong, Clint" <sip:10048@10.0.0.6>;tag=94213~3cc4)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->displayNameText(), "10048 - Armstrong, Clint");
  EXPECT_EQ(a->uri.user, "10048");
  EXPECT_EQ(a->tag(), "94213~3cc4");
  EXPECT_TRUE(a->bracketed);
}

TEST(NameAddrTest, TokenDisplayNameAndNoSpaceBeforeBracket) {
  auto a = parseNameAddr("caller<sip:caller@example.com>;tag=323");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->display_name, "caller");
  auto b = parseNameAddr("Bob Smith <sip:bob@example.com>");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->display_name, "Bob Smith");
}

TEST(NameAddrTest, AddrSpecParamsBelongToTheHeader) {
  auto a = parseNameAddr("sip:user@example.com ;  tag = 77");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->bracketed);
  EXPECT_TRUE(a->uri.params.empty());
  EXPECT_EQ(a->tag(), "77");
  auto b = parseNameAddr("<sip:+19725552222@gw1.example.net;unknownparam>");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->uri.params.has("unknownparam"));
  EXPECT_TRUE(b->params.empty());
}

TEST(NameAddrTest, QuotedPairsAndHeaderParamQuotedValue) {
  auto a = parseNameAddr(R"("J Rosenberg \\\"" <sip:jdrosen@example.com>;x="a;b")");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->displayNameText(), "J Rosenberg \\\"");
  EXPECT_EQ(a->params.get("x"), "\"a;b\"");
}

TEST(NameAddrTest, Rejects) {
  for (const char* bad :
       {"\"unterminated <sip:a@b>", "Bell, Alexander <sip:a@b>", "< sip:a@b >", "<sip:a@b",
        "<sip:87000@<guid>.um.outlook.com>", "sip:user@example.com?Route=x", "<sip:a@b>;",
        "<sip:a@b> junk", "<sip:a@b>;tag=", ""}) {
    EXPECT_FALSE(parseNameAddr(bad)) << bad;
  }
}

TEST(NameAddrTest, ListSplittingRespectsQuotesAndBrackets) {
  std::vector<std::string> parts;
  auto n = forEachListElement(R"("a, b" <sip:x@y;p=1>, <sip:z@w>)",
                              [&](std::string_view e, std::size_t) {
                                parts.emplace_back(e);
                                return Result<void>{};
                              });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(parts[0], R"("a, b" <sip:x@y;p=1>)");
  EXPECT_EQ(parts[1], "<sip:z@w>");
  auto empty = forEachListElement("<sip:a@b>,,<sip:c@d>",
                                  [](std::string_view, std::size_t) { return Result<void>{}; });
  EXPECT_FALSE(empty);
}

} // namespace
} // namespace gh::sip
