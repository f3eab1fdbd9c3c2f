// Table test over the RFC 4475 / RFC 5118 torture messages, RFC 3665 call flows and the seed
// call: every message gets the verdict its manifest states, and every accepted message
// serializes back byte for byte.
#include "support/corpus.h"

#include <gtest/gtest.h>

#include "sip/message/edits.h"
#include "sip/parser/parser.h"
#include "sip/parser/status.h"

namespace gh::sip {
namespace {

struct Verdict {
  std::string file;
  bool accept;
  uint16_t status; // when rejected
};

void expectVerdict(const std::string& path, bool accept, uint16_t status) {
  SCOPED_TRACE(path);
  std::string bytes = test::readFile(path);
  ASSERT_FALSE(bytes.empty());
  auto msg = parseMessage(bytes);
  if (accept) {
    ASSERT_TRUE(msg.has_value()) << errcName(msg.error().code) << " at " << msg.error().offset
                                 << ": " << msg.error().what;
    // Byte-exact round trip of the framed message.
    std::string out = serialize(*msg);
    EXPECT_EQ(out, bytes.substr(msg->beginOffset(), out.size()));
    EXPECT_EQ(out.size() + msg->beginOffset() + msg->ignoredTrailingBytes(), bytes.size());
    // Reparsing the output yields the same structure.
    auto again = parseMessage(out);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->headers().size(), msg->headers().size());
    EXPECT_EQ(again->body(), msg->body());
  } else {
    ASSERT_FALSE(msg.has_value()) << "accepted a message the manifest rejects";
    EXPECT_EQ(statusFor(msg.error().code).code, status)
        << errcName(msg.error().code) << ": " << msg.error().what;
    EXPECT_LE(msg.error().offset, bytes.size());
  }
}

TEST(CorpusTest, Rfc4475EveryMessageGetsItsVerdict) {
  auto rows = test::readTsv(test::sharedPath("corpus/rfc4475/manifest.tsv"));
  ASSERT_EQ(rows.size(), 50u);
  int accepted = 0;
  for (const auto& row : rows) {
    const std::string& file = row[0];
    const std::string& cls = row[2];
    const std::string& expected = row[3];
    bool accept = cls == "valid" || cls == "valid-semantic";
    uint16_t status = expected.find("505") != std::string::npos ? 505 : 400;
    expectVerdict(test::sharedPath("corpus/rfc4475/" + file), accept, status);
    accepted += accept ? 1 : 0;
  }
  EXPECT_EQ(accepted, 27);
}

TEST(CorpusTest, Rfc5118Ipv6Messages) {
  auto rows = test::readTsv(test::sharedPath("corpus/rfc5118/manifest.tsv"));
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& row : rows) {
    expectVerdict(test::sharedPath("corpus/rfc5118/" + row[0]), row[3] != "invalid", 400);
  }
}

TEST(CorpusTest, Rfc3665CallFlowsParse) {
  auto rows = test::readTsv(test::sharedPath("corpus/rfc3665/manifest.tsv"));
  ASSERT_EQ(rows.size(), 60u);
  for (const auto& row : rows) {
    expectVerdict(test::sharedPath("corpus/rfc3665/" + row[0]), true, 0);
  }
}

TEST(CorpusTest, SeedMessages) {
  expectVerdict(test::sharedPath("corpus/seed/seed-invite.normalized.sip"), true, 0);
  expectVerdict(test::sharedPath("corpus/seed/seed-200ok.normalized.sip"), true, 0);
  expectVerdict(test::sharedPath("corpus/seed/pbx-invite.RECONSTRUCTED.sip"), true, 0);
  // The raw dump's To is "<sip:87000@<guid>.um.outlook.com>": the first '>' closes the
  // name-addr, so a strict parser must refuse it.
  expectVerdict(test::sharedPath("corpus/seed/seed-invite.sip"), false, 400);
  expectVerdict(test::sharedPath("corpus/seed/seed-200ok.sip"), false, 400);
}

TEST(CorpusTest, SpecificRfc4475Readings) {
  auto parse = [](const std::string& name) {
    return parseMessage(test::readFile(test::sharedPath("corpus/rfc4475/" + name)));
  };
  {
    auto m = parse("esc01.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->from().uri.userUnescaped(), "I have spaces");
    EXPECT_EQ(m->to().uri.userUnescaped(), "user");
    EXPECT_EQ(m->contacts().at(0).uri.params.get("n%61me"), "v%61lue%25%34%31");
  }
  {
    auto m = parse("semiuri.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->requestUri().user, "user;par=u%40example.net");
    EXPECT_EQ(m->requestUri().host, "example.com");
  }
  {
    auto m = parse("esc02.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->method(), Method::Other);
    EXPECT_EQ(m->contacts().size(), 2u); // C%6Fntact is an unknown header
    EXPECT_EQ(m->from().displayNameText(), "%Z%45");
  }
  {
    auto m = parse("dblreq.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->method(), Method::Register);
    EXPECT_GT(m->ignoredTrailingBytes(), 100u);
    EXPECT_TRUE(m->body().empty());
  }
  {
    auto m = parse("mpart01.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->body().size(), 553u);
  }
  {
    auto m = parse("longreq.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->vias().size(), 34u);
  }
  {
    auto m = parse("wsinv.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->to().tag(), "1918181833n");
    EXPECT_EQ(m->from().tag(), "98asjd8");
    EXPECT_EQ(m->cseq().number, 9u);
    EXPECT_EQ(m->maxForwards(), 68u);
    EXPECT_EQ(m->vias().size(), 3u);
    EXPECT_EQ(m->topVia().transport, "UDP");
    EXPECT_EQ(m->vias()[1].transport, "TCP");
    EXPECT_EQ(m->vias()[2].branch, "z9hG4bK30239");
    EXPECT_EQ(m->body().size(), 150u);
  }
  {
    auto m = parse("noreason.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->statusCode(), 100);
    EXPECT_EQ(m->reasonPhrase(), "");
  }
  {
    auto m = parse("unkscm.sip");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->requestUri().scheme, UriScheme::Other);
  }
  {
    auto m = parse("inv2543.sip");
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->hasContentLengthHeader());
    EXPECT_FALSE(m->topVia().hasRfc3261Branch());
    EXPECT_FALSE(m->maxForwards().has_value());
  }
  {
    auto m = parse("badvers.sip");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, Errc::BadVersion);
  }
}

TEST(CorpusTest, Rfc5118Readings) {
  auto m = parseMessage(test::readFile(test::sharedPath("corpus/rfc5118/port-ambiguous.sip")));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->requestUri().host, "[2001:db8::10:5070]");
  EXPECT_FALSE(m->requestUri().has_port);
  auto u = parseMessage(test::readFile(test::sharedPath("corpus/rfc5118/port-unambiguous.sip")));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->requestUri().port, 5070);
  auto mult =
      parseMessage(test::readFile(test::sharedPath("corpus/rfc5118/mult-ip-in-header.sip")));
  ASSERT_TRUE(mult);
  auto vias = mult->vias();
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].host_kind, HostKind::Ipv6);
  EXPECT_EQ(vias[0].port, 6050);
  EXPECT_EQ(vias[2].received, "192.0.2.200");
}

TEST(CorpusTest, TruncationAtEveryOffsetNeverCrashes) {
  std::string bytes = test::readFile(test::sharedPath("corpus/seed/seed-invite.normalized.sip"));
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    auto m = parseMessage(std::string_view(bytes).substr(0, n));
    if (m) {
      EXPECT_EQ(serialize(*m), bytes.substr(m->beginOffset(), serialize(*m).size()));
    }
  }
}

} // namespace
} // namespace gh::sip
