#include "net/endpoint.h"

#include <unordered_set>

#include <gtest/gtest.h>

namespace gh::net {
namespace {

TEST(Endpoint, ParsesV4WithAndWithoutPort) {
  auto a = Endpoint::parse("192.0.2.1:5060");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV4());
  EXPECT_EQ(a->port(), 5060);
  EXPECT_EQ(a->ip(), "192.0.2.1");
  EXPECT_EQ(a->toString(), "192.0.2.1:5060");
  auto b = Endpoint::parse("192.0.2.1", 5061);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port(), 5061);
}

TEST(Endpoint, ParsesV6References) {
  auto a = Endpoint::parse("[2001:db8::1]:5060");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV6());
  EXPECT_EQ(a->port(), 5060);
  EXPECT_EQ(a->ip(), "2001:db8::1");
  EXPECT_EQ(a->ipForUri(), "[2001:db8::1]");
  EXPECT_EQ(a->toString(), "[2001:db8::1]:5060");
  auto bare = Endpoint::parse("2001:db8::1", 7);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port(), 7);
}

TEST(Endpoint, RejectsMalformedText) {
  for (const char* bad : {"", "host:5060", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:50x",
                          "[2001:db8::1", "[2001:db8::1]5060", "1.2.3", "[]:5"}) {
    EXPECT_FALSE(Endpoint::parse(bad)) << bad;
  }
}

TEST(Endpoint, ComparesAndHashesByAddressAndPort) {
  auto a = *Endpoint::parse("127.0.0.1:5060");
  auto b = *Endpoint::parse("127.0.0.1:5060");
  auto c = *Endpoint::parse("127.0.0.1:5061");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_TRUE(a.sameAddress(c));
  std::unordered_set<Endpoint> set{a, b, c};
  EXPECT_EQ(set.size(), 2u);
}

TEST(Endpoint, RoundTripsThroughSockaddr) {
  auto a = *Endpoint::parse("[::1]:9");
  auto b = Endpoint::fromSockaddr(a.sockaddrPtr(), a.sockaddrLength());
  ASSERT_TRUE(b);
  EXPECT_EQ(a, *b);
  EXPECT_FALSE(Endpoint{}.valid());
  EXPECT_EQ(Endpoint::fromV4(0x7f000001, 80).toString(), "127.0.0.1:80");
}

} // namespace
} // namespace gh::net
