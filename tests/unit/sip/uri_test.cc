#include "sip/message/uri.h"

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

TEST(UriTest, SipUriParts) {
  auto u = parseUri("sip:87000@df6b236d.um.outlook.com:5061;transport=tls;lr");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, UriScheme::Sip);
  EXPECT_EQ(u->user, "87000");
  EXPECT_EQ(u->host, "df6b236d.um.outlook.com");
  EXPECT_EQ(u->host_kind, HostKind::Name);
  EXPECT_EQ(u->port, 5061);
  EXPECT_EQ(u->params.get("transport"), "tls");
  EXPECT_EQ(u->params.get("LR"), "");
  EXPECT_FALSE(u->params.get("maddr"));
  EXPECT_EQ(u->params.count(), 2u);
}

TEST(UriTest, PasswordHeadersAndEscapes) {
  auto u = parseUri("sips:alice:secr%65t@[2001:db8::1]:5071;maddr=239.255.255.1?subject=hi&x=y");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, UriScheme::Sips);
  EXPECT_EQ(u->password, "secr%65t");
  EXPECT_EQ(u->host, "[2001:db8::1]");
  EXPECT_EQ(u->hostAddress(), "2001:db8::1");
  EXPECT_EQ(u->host_kind, HostKind::Ipv6);
  EXPECT_EQ(u->port, 5071);
  EXPECT_EQ(u->headers, "subject=hi&x=y");
}

TEST(UriTest, UnescapeIsNotRecursive) {
  auto u = parseUri("sip:%2541@example.com");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->userUnescaped(), "%41");
}

TEST(UriTest, TelAndOtherSchemes) {
  auto tel = parseUri("tel:+1-201-555-0123;phone-context=example.com");
  ASSERT_TRUE(tel);
  EXPECT_EQ(tel->scheme, UriScheme::Tel);
  EXPECT_EQ(tel->user, "+1-201-555-0123");
  EXPECT_EQ(tel->params.get("phone-context"), "example.com");
  auto other = parseUri("urn:x-cisco-remotecc:callinfo");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->scheme, UriScheme::Other);
  EXPECT_EQ(other->opaque, "x-cisco-remotecc:callinfo");
}

TEST(UriTest, Ipv4HostKind) {
  auto u = parseUri("sip:10.0.0.6:5060;transport=tcp");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host_kind, HostKind::Ipv4);
  EXPECT_FALSE(u->has_user);
}

TEST(UriTest, RejectsMalformed) {
  for (const char* bad :
       {"", "sip:", "sip:user@", "sip:2001:db8::10", "sip:host:99999", "sip:host:5060x",
        "<sip:a@b>", "sip:a@b c", "sip:a@b;", "sip:a@b;=x", "sip:a@b?", "sip:a@b?x", "sip:%zz@b",
        "sip:a@[::1", "1sip:a@b", "sip:a@host..com", "sip:a@-host", "tel:", "x:"}) {
    EXPECT_FALSE(parseUri(bad)) << bad;
  }
}

TEST(UriTest, LengthLimit) {
  std::string long_uri = "sip:" + std::string(5000, 'a') + "@example.com";
  auto u = parseUri(long_uri);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, Errc::UriTooLong);
  EXPECT_TRUE(parseUri(long_uri, 8192));
}

} // namespace
} // namespace gh::sip
