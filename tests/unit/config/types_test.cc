// The value parsers behind the loader: addresses, blocks, ranges, listeners, templates, names,
// and the did-you-mean that every hint uses.

#include "config/types.h"

#include <array>

#include <gtest/gtest.h>

#include "config/suggest.h"

namespace gh::config {
namespace {

TEST(TypesTest, IpAddresses) {
  auto v4 = parseIpAddress("10.0.0.5");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, IpFamily::V4);
  EXPECT_EQ(formatIpAddress(*v4), "10.0.0.5");
  auto v6 = parseIpAddress("2001:DB8::5");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, IpFamily::V6);
  EXPECT_EQ(formatIpAddress(*v6), "2001:db8::5");
  EXPECT_TRUE(isUnspecified(parseIpAddress("0.0.0.0").value()));
  EXPECT_TRUE(isUnspecified(parseIpAddress("::").value()));
  EXPECT_FALSE(isUnspecified(*v4));

  EXPECT_EQ(parseIpAddress("10.0.0.256").error().message, "'10.0.0.256' is not an IP address");
  EXPECT_EQ(parseIpAddress("pbx.example.com").error().hint,
            "host names are not accepted here: give the IP address");
  EXPECT_EQ(parseIpAddress("10.0.0.0/8").error().hint,
            "a single address is needed here, not a CIDR block");
  EXPECT_EQ(parseIpAddress("fe80::1%eth0").error().hint,
            "IPv6 zone indexes (%eth0) are not supported; use a global address");
  EXPECT_FALSE(parseIpAddress(""));
  EXPECT_FALSE(parseIpAddress(" 10.0.0.5"));
  EXPECT_FALSE(parseIpAddress(std::string(100, '1')));
}

TEST(TypesTest, SocketAddresses) {
  auto a = parseSocketAddress("127.0.0.1:22222", true);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 22222);
  auto b = parseSocketAddress("[::1]:5060", true);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->ip.family, IpFamily::V6);
  EXPECT_EQ(formatSocketAddress(*b), "[::1]:5060");
  auto c = parseSocketAddress("2001:db8::1", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 0);
  EXPECT_EQ(formatSocketAddress(*c), "[2001:db8::1]");
  auto d = parseSocketAddress("10.0.0.6", false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->port, 0);

  EXPECT_EQ(parseSocketAddress("10.0.0.6", true).error().message, "'10.0.0.6' has no port");
  EXPECT_EQ(parseSocketAddress("10.0.0.6", true).error().hint, "write it as 10.0.0.6:5060");
  EXPECT_EQ(parseSocketAddress("::1", true).error().hint, "write it as [::1]:5060");
  EXPECT_EQ(parseSocketAddress("10.0.0.6:0", false).error().message,
            "'10.0.0.6:0' port out of range 1-65535");
  EXPECT_EQ(parseSocketAddress("10.0.0.6:65536", false).error().message,
            "'10.0.0.6:65536' port out of range 1-65535");
  EXPECT_FALSE(parseSocketAddress("10.0.0.6:", false));
  EXPECT_FALSE(parseSocketAddress("[::1", false));
  EXPECT_FALSE(parseSocketAddress("[::1]5060", false));
  EXPECT_EQ(parseSocketAddress("pbx:5060", false).error().message,
            "'pbx:5060': 'pbx' is not an IP address");
}

TEST(TypesTest, Cidrs) {
  auto a = parseCidr("10.0.0.0/16");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->prefix_length, 16);
  auto b = parseCidr("2001:db8::/32");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->prefix_length, 32);
  EXPECT_EQ(parseCidr("::1")->prefix_length, 128);
  EXPECT_EQ(parseCidr("0.0.0.0/0")->prefix_length, 0);

  EXPECT_EQ(parseCidr("10.0.0.5/16").error().message, "'10.0.0.5/16' has host bits set");
  EXPECT_EQ(parseCidr("10.0.0.5/16").error().hint, "did you mean '10.0.0.0/16'?");
  EXPECT_EQ(parseCidr("2001:db8::1/32").error().hint, "did you mean '2001:db8::/32'?");
  EXPECT_EQ(parseCidr("10.0.0.0/33").error().message,
            "'10.0.0.0/33' prefix length out of range 0-32");
  EXPECT_EQ(parseCidr("::/129").error().message, "'::/129' prefix length out of range 0-128");
  EXPECT_EQ(parseCidr("10.0.0/8").error().message, "'10.0.0/8' is not an address block");
  EXPECT_FALSE(parseCidr("10.0.0.0/"));
  EXPECT_FALSE(parseCidr("10.0.0.0/-1"));
}

TEST(TypesTest, PortRanges) {
  auto r = parsePortRange("20000-39999");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 20000);
  EXPECT_EQ(r->last, 39999);
  EXPECT_TRUE(parsePortRange("1024-1025"));
  EXPECT_TRUE(parsePortRange("40000 - 59999"));

  EXPECT_EQ(parsePortRange("39999-20000").error().message, "'39999-20000' is reversed");
  EXPECT_EQ(parsePortRange("39999-20000").error().hint,
            "write the lower port first: \"20000-39999\"");
  EXPECT_EQ(parsePortRange("20000-20000").error().message, "'20000-20000' holds a single port");
  EXPECT_EQ(parsePortRange("80-2000").error().message,
            "'80-2000' media ports out of range 1024-65535");
  EXPECT_EQ(parsePortRange("60000-70000").error().message,
            "'60000-70000' media ports out of range 1024-65535");
  EXPECT_EQ(parsePortRange("20000").error().hint, "write it as \"20000-39999\"");
  EXPECT_FALSE(parsePortRange("a-b"));
}

TEST(TypesTest, SipListeners) {
  auto l = parseSipListener("tls:5061");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->transport, Transport::Tls);
  EXPECT_EQ(l->port, 5061);
  EXPECT_EQ(parseSipListener("UDP:5060")->transport, Transport::Udp);

  EXPECT_EQ(parseSipListener("udp:65536").error().message, "'udp:65536' port out of range 1-65535");
  EXPECT_EQ(parseSipListener("udp:0").error().message, "'udp:0' port out of range 1-65535");
  EXPECT_EQ(parseSipListener("sctp:5060").error().message, "'sctp:5060' unknown transport 'sctp'");
  EXPECT_EQ(parseSipListener("tsl:5061").error().hint,
            "did you mean 'tls'? transports: udp, tcp, tls");
  EXPECT_EQ(parseSipListener("tls").error().message, "'tls' has no port");
  EXPECT_EQ(parseSipListener("tls").error().hint, "write it as \"tls:5061\"");
  EXPECT_EQ(parseSipListener("10.0.0.5:5060").error().message,
            "'10.0.0.5:5060' unknown transport '10.0.0.5'");
}

TEST(TypesTest, Templates) {
  auto t = parseTemplate("<sip:${ruri.user}@${peer.fqdn}>", false);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->parts.size(), 5U);
  EXPECT_EQ(t->parts[0].kind, TemplatePart::Kind::Text);
  EXPECT_EQ(t->parts[0].text, "<sip:");
  EXPECT_EQ(t->parts[1].kind, TemplatePart::Kind::Var);
  EXPECT_EQ(t->parts[1].variable, Variable::RuriUser);
  EXPECT_EQ(t->parts[2].text, "@");
  EXPECT_EQ(t->parts[3].variable, Variable::PeerFqdn);
  EXPECT_EQ(t->parts[4].text, ">");
  EXPECT_EQ(t->text, "<sip:${ruri.user}@${peer.fqdn}>");

  auto literal = parseTemplate("cost $5 and $$ and $", false);
  ASSERT_TRUE(literal);
  ASSERT_EQ(literal->parts.size(), 1U);
  EXPECT_EQ(literal->parts[0].text, "cost $5 and $ and $");

  auto groups = parseTemplate("$1-$&-${to.host}", true);
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->parts.size(), 5U);
  EXPECT_EQ(groups->parts[0].kind, TemplatePart::Kind::Group);
  EXPECT_EQ(groups->parts[0].group, 1);
  EXPECT_EQ(groups->parts[2].group, 0);
  EXPECT_EQ(groups->parts[4].variable, Variable::ToHost);

  EXPECT_TRUE(parseTemplate("", false));
  EXPECT_EQ(parseTemplate("${from.usr}", false).error().message, "unknown variable '${from.usr}'");
  EXPECT_EQ(parseTemplate("${from.usr}", false).error().hint.substr(0, 30),
            "did you mean 'from.user'? know");
  EXPECT_EQ(parseTemplate("<sip:${ruri.user@x>", false).error().message,
            "'${' without a closing '}' in '<sip:${ruri.user@x>'");
}

TEST(TypesTest, HostNames) {
  EXPECT_TRUE(parseHostName("sbc.example.com"));
  EXPECT_TRUE(parseHostName("df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com"));
  EXPECT_TRUE(parseHostName("example.com."));
  EXPECT_TRUE(parseHostName("localhost"));
  EXPECT_EQ(parseHostName("*.example.com").error().hint, "wildcards are not allowed here");
  EXPECT_EQ(parseHostName("10.0.0.5").error().message,
            "'10.0.0.5' is an IP address, not a host name");
  EXPECT_EQ(parseHostName("a..b").error().hint, "labels between dots must have 1-63 characters");
  EXPECT_EQ(parseHostName("-a.b").error().hint, "a label may not begin or end with '-'");
  EXPECT_EQ(parseHostName("a_b.c").error().hint, "only letters, digits, '-' and '.' are allowed");
  EXPECT_FALSE(parseHostName(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(parseHostName(""));
}

TEST(TypesTest, EditDistanceAndSuggestions) {
  EXPECT_EQ(editDistance("adress", "address"), 1U);
  EXPECT_EQ(editDistance("extrenal", "external"), 1U); // a transposition is one edit
  EXPECT_EQ(editDistance("TLS", "tls"), 0U);
  EXPECT_EQ(editDistance("", "abc"), 3U);
  constexpr std::array<std::string_view, 3> kNames = {"internal", "external", "dmz"};
  EXPECT_EQ(closestMatch("extrenal", kNames), "external");
  EXPECT_EQ(closestMatch("intern", kNames), "internal");
  EXPECT_FALSE(closestMatch("backbone", kNames));
  EXPECT_FALSE(closestMatch("x", kNames));
  EXPECT_EQ(suggestionHint("dm", kNames, "defined"),
            "did you mean 'dmz'? defined: internal, external, dmz");
  EXPECT_EQ(suggestionHint("lan", {}, "defined"), "defined: none");
}

} // namespace
} // namespace gh::config
