#include "sdp/ice.h"

#include <string>

#include <gtest/gtest.h>

#include "sdp/session_description.h"
#include "sdp_test_util.h"

namespace gh::sdp {
namespace {

using testing::readCorpus;

TEST(SdpIceTest, Rfc8839Section426Candidates) {
  auto sdp = parse(readCorpus("sdp/rfc8839/sec4.2.6-example.sdp"));
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->findAttribute("ice-options")->value, "ice2");
  auto ufrag = parseAttribute(*sdp->findAttribute(sdp->media()[0], "ice-ufrag"), parseIceUfrag);
  ASSERT_TRUE(ufrag);
  EXPECT_EQ(*ufrag, "8hhY");
  auto pwd = parseAttribute(*sdp->findAttribute("ice-pwd"), parseIcePwd);
  ASSERT_TRUE(pwd);
  EXPECT_EQ(*pwd, "asd88fgpdd777uzjYhagZg");
  std::vector<CandidateView> candidates;
  for (const Attribute& a : sdp->media()[0].attributes) {
    if (a.is(attr::kCandidate)) {
      auto c = parseAttribute(a, parseCandidate);
      ASSERT_TRUE(c) << c.error().what;
      candidates.push_back(*c);
    }
  }
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].foundation, "1");
  EXPECT_EQ(candidates[0].component, 1);
  EXPECT_EQ(candidates[0].transport, "UDP");
  EXPECT_EQ(candidates[0].priority, 2130706431u);
  EXPECT_EQ(candidates[0].address, "203.0.113.141");
  EXPECT_EQ(candidates[0].port, 8998);
  EXPECT_EQ(candidates[0].type, "host");
  EXPECT_TRUE(candidates[0].related_address.empty());
  EXPECT_EQ(candidates[1].type, "srflx");
  EXPECT_EQ(candidates[1].related_address, "203.0.113.141");
  EXPECT_EQ(candidates[1].related_port, 8998);
  EXPECT_EQ(candidates[1].address, "192.0.2.3");
  EXPECT_EQ(candidates[1].port, 45664);
  // The default destination (m= port, c=) is the srflx candidate.
  EXPECT_EQ(sdp->media()[0].line.port, candidates[1].port);
  EXPECT_EQ(sdp->connectionFor(sdp->media()[0])->address, candidates[1].address);
}

TEST(SdpIceTest, AppendixAIpv6Candidates) {
  auto sdp = parse(readCorpus("sdp/rfc8839/appA-offer.sdp"));
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->connection()->addrtype, "IP6");
  EXPECT_EQ(sdp->connection()->address, "2001:db8:8101:3a55:4858:a2a9:22ff:99b9");
  EXPECT_EQ(sdp->origin().address, "fe80::6676:baff:fe9c:ee4a");
  const auto& attrs = sdp->media()[0].attributes;
  auto srflx = parseAttribute(attrs[2], parseCandidate);
  ASSERT_TRUE(srflx);
  EXPECT_EQ(srflx->address, "2001:db8:8101:3a55:4858:a2a9:22ff:99b9");
  EXPECT_EQ(srflx->related_address, "fe80::6676:baff:fe9c:ee4a");
  EXPECT_EQ(srflx->related_port, 8998);
  auto answer = parse(readCorpus("sdp/rfc8839/appA-answer.sdp"));
  ASSERT_TRUE(answer);
  auto host = parseAttribute(answer->media()[0].attributes[1], parseCandidate);
  ASSERT_TRUE(host);
  EXPECT_EQ(host->address, "192.0.2.1");
  EXPECT_EQ(host->port, 3478);
}

TEST(SdpIceTest, Section5AttributeLines) {
  const std::string text = readCorpus("sdp/rfc8839/sec5-attribute-lines.txt");
  std::size_t pos = 0;
  int parsed = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    const std::string_view line = std::string_view(text).substr(pos, end - pos);
    pos = end + 2;
    ASSERT_TRUE(line.starts_with("a="));
    const AttributeView a = splitAttribute(line.substr(2));
    EXPECT_TRUE(isIceAttribute(a.name)) << a.name;
    bool ok = false;
    if (a.name == attr::kCandidate) {
      ok = parseCandidate(a.value).has_value();
    } else if (a.name == attr::kRemoteCandidates) {
      auto r = parseRemoteCandidates(a.value);
      ok = r.has_value() && r->size() == 1 && (*r)[0].address == "192.0.2.3";
    } else if (a.name == attr::kIcePwd) {
      ok = parseIcePwd(a.value).has_value();
    } else if (a.name == attr::kIceUfrag) {
      ok = parseIceUfrag(a.value).has_value();
    } else if (a.name == attr::kIcePacing) {
      ok = a.value == "50";
    } else if (a.name == attr::kIceOptions) {
      auto o = parseIceOptions(a.value);
      ok = o.has_value() && o->size() == 2 && (*o)[1] == "rtp+ecn";
    }
    EXPECT_TRUE(ok) << line;
    ++parsed;
  }
  EXPECT_EQ(parsed, 7);
}

TEST(SdpIceTest, CandidateExtensionsAndErrors) {
  auto tcp = parseCandidate("1 1 TCP 2128609279 10.0.1.1 9 typ host tcptype active generation 0");
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->extensions, "tcptype active generation 0");
  EXPECT_EQ(tcp->extension("tcptype"), "active");
  EXPECT_EQ(tcp->extension("generation"), "0");
  EXPECT_FALSE(tcp->extension("network-id"));
  auto rport_only = parseCandidate("a+/B 2 UDP 1 h 1 typ relay rport 5");
  ASSERT_TRUE(rport_only);
  EXPECT_EQ(rport_only->related_port, 5);
  EXPECT_TRUE(rport_only->related_address.empty());
  EXPECT_FALSE(parseCandidate(""));
  EXPECT_FALSE(parseCandidate("1 1 UDP 1 h 1 host"));
  EXPECT_FALSE(parseCandidate("1 0 UDP 1 h 1 typ host"));
  EXPECT_FALSE(parseCandidate("1 257 UDP 1 h 1 typ host"));
  EXPECT_FALSE(parseCandidate("1 1 UDP 99999999999 h 1 typ host"));
  EXPECT_FALSE(parseCandidate("1 1 UDP 1 h 65536 typ host"));
  EXPECT_FALSE(parseCandidate("f*o 1 UDP 1 h 1 typ host"));
  EXPECT_FALSE(parseCandidate(std::string(33, 'f') + " 1 UDP 1 h 1 typ host"));
  EXPECT_FALSE(parseCandidate("1 1 UDP 1 h 1 typ"));
  EXPECT_FALSE(parseCandidate("1 1 UDP 1 h 1 typ host raddr"));
  EXPECT_FALSE(parseCandidate("1 1 UDP 1 h 1 typ host raddr a rport x"));
  auto err = parseCandidate("1 1 UDP 1 h 1 tip host");
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().offset, 14u);
}

TEST(SdpIceTest, CredentialsAndOptions) {
  EXPECT_FALSE(parseIceUfrag("abc"));
  EXPECT_FALSE(parseIceUfrag("ab-cd"));
  EXPECT_TRUE(parseIceUfrag("ab+/"));
  EXPECT_FALSE(parseIcePwd("tooshort"));
  EXPECT_FALSE(parseIcePwd(std::string(257, 'a')));
  EXPECT_FALSE(parseIceOptions(""));
  EXPECT_FALSE(parseIceOptions("a\"b"));
  EXPECT_FALSE(parseRemoteCandidates(""));
  EXPECT_FALSE(parseRemoteCandidates("1 a"));
  auto two = parseRemoteCandidates("1 192.0.2.3 45664 2 192.0.2.3 45665");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].port, 45665);
}

TEST(SdpIceTest, KnowsEveryIceAttributeName) {
  for (std::string_view name :
       {"candidate", "ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "ice-mismatch",
        "ice-pacing", "end-of-candidates", "remote-candidates", "ICE-UFRAG"}) {
    EXPECT_TRUE(isIceAttribute(name)) << name;
  }
  EXPECT_FALSE(isIceAttribute("rtcp-mux"));
  EXPECT_FALSE(isIceAttribute("ice"));
}

} // namespace
} // namespace gh::sdp
