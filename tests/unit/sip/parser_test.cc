#include "sip/parser/parser.h"

#include <string>

#include <gtest/gtest.h>

#include "sip/parser/status.h"

namespace gh::sip {
namespace {

const std::string kOptions = "OPTIONS sip:sbc.example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 127.0.2.6:5080;branch=z9hG4bK-1;rport\r\n"
                             "Max-Forwards: 70\r\n"
                             "From: <sip:pbx@127.0.2.6>;tag=1\r\n"
                             "To: <sip:sbc.example.com>\r\n"
                             "Call-ID: abc@127.0.2.6\r\n"
                             "CSeq: 1 OPTIONS\r\n"
                             "Content-Length: 0\r\n"
                             "\r\n";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

Errc errorOf(const std::string& text, const ParseLimits& limits = {}) {
  auto m = parseMessage(text, limits);
  EXPECT_FALSE(m) << text;
  return m ? Errc::BadSdp : m.error().code;
}

TEST(ParserTest, MinimalRequest) {
  auto m = parseMessage(kOptions);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->isRequest());
  EXPECT_EQ(m->method(), Method::Options);
  EXPECT_EQ(m->requestUri().host, "sbc.example.com");
  EXPECT_EQ(m->callId(), "abc@127.0.2.6");
  EXPECT_EQ(m->cseq().number, 1u);
  EXPECT_EQ(m->from().tag(), "1");
  EXPECT_EQ(m->headers().size(), 7u);
  EXPECT_EQ(m->startLine(), "OPTIONS sip:sbc.example.com SIP/2.0");
}

TEST(ParserTest, ResponseMethodComesFromCSeq) {
  std::string resp = replace(kOptions, "OPTIONS sip:sbc.example.com SIP/2.0", "SIP/2.0 200 OK");
  auto m = parseMessage(resp);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->statusCode(), 200);
  EXPECT_EQ(m->reasonPhrase(), "OK");
  EXPECT_EQ(m->method(), Method::Options);
}

TEST(ParserTest, LeadingCrlfIgnoredAndBareLfTolerated) {
  auto m = parseMessage("\r\n\r\n" + kOptions);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->beginOffset(), 4u);
  std::string lf = kOptions;
  for (auto pos = lf.find("\r\n"); pos != std::string::npos; pos = lf.find("\r\n", pos)) {
    lf.erase(pos, 1);
  }
  auto n = parseMessage(lf);
  ASSERT_TRUE(n) << n.error().what;
  EXPECT_EQ(n->headers().size(), 7u);
}

TEST(ParserTest, StartLineErrors) {
  EXPECT_EQ(errorOf(replace(kOptions, "SIP/2.0\r\n", "SIP/3.0\r\n")), Errc::BadVersion);
  EXPECT_EQ(statusFor(Errc::BadVersion).code, 505);
  EXPECT_EQ(errorOf(replace(kOptions, "OPTIONS sip", "OPTIONS  sip")), Errc::BadStartLine);
  EXPECT_EQ(errorOf(replace(kOptions, "SIP/2.0\r\nVia", "SIP/2.0 \r\nVia")), Errc::BadStartLine);
  EXPECT_EQ(errorOf(replace(kOptions, "sip:sbc.example.com SIP", "<sip:sbc.example.com> SIP")),
            Errc::BadUri);
  EXPECT_EQ(errorOf(replace(kOptions, "sip:sbc.example.com SIP", "sip:sbc.example.com?a=b SIP")),
            Errc::BadUri);
  EXPECT_EQ(errorOf("SIP/2.0 1000 Big\r\n\r\n"), Errc::BadStatusCode);
  EXPECT_EQ(errorOf("SIP/2.0 099 Low\r\n\r\n"), Errc::BadStatusCode);
  EXPECT_EQ(errorOf("garbage"), Errc::Truncated);
  EXPECT_EQ(errorOf(""), Errc::Truncated);
}

TEST(ParserTest, HeaderErrors) {
  EXPECT_EQ(errorOf(replace(kOptions, "Max-Forwards: 70", "Max-Forwards 70")), Errc::BadHeaderLine);
  EXPECT_EQ(errorOf(replace(kOptions, "Max-Forwards: 70", "Max-Forwards: seventy")),
            Errc::BadMaxForwards);
  EXPECT_EQ(errorOf(replace(kOptions, "Call-ID: abc@127.0.2.6\r\n", "")), Errc::MissingHeader);
  EXPECT_EQ(errorOf(replace(kOptions, "CSeq: 1 OPTIONS", "CSeq: 1 INVITE")),
            Errc::CSeqMethodMismatch);
  EXPECT_EQ(errorOf(replace(kOptions, "Call-ID: abc", "Call-ID: x\r\ni: y\r\nCall-ID: abc")),
            Errc::DuplicateHeader);
  EXPECT_EQ(errorOf(replace(kOptions, "Max-Forwards: 70", "X: a\rb")), Errc::BadHeaderLine);
  EXPECT_EQ(errorOf(replace(kOptions, "\r\n\r\n", "\r\n")), Errc::Truncated);
  EXPECT_EQ(errorOf(replace(kOptions, "Via: SIP", " folded\r\nVia: SIP")), Errc::BadHeaderLine);
  EXPECT_EQ(errorOf(replace(kOptions, "Max-Forwards: 70\r\n", " folded\r\n")), Errc::BadVia);
  EXPECT_EQ(errorOf(replace(kOptions, "To: <sip:sbc.example.com>", "To: <sip:sbc.example.com")),
            Errc::BadNameAddr);
}

TEST(ParserTest, ContentLengthFraming) {
  std::string with_body = replace(kOptions, "Content-Length: 0", "Content-Length: 4") + "abcdEXTRA";
  auto m = parseMessage(with_body);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body(), "abcd");
  EXPECT_EQ(m->ignoredTrailingBytes(), 5u);
  EXPECT_EQ(errorOf(replace(kOptions, "Content-Length: 0", "Content-Length: 10")),
            Errc::BadContentLength);
  EXPECT_EQ(errorOf(replace(kOptions, "Content-Length: 0", "Content-Length: -1")),
            Errc::BadContentLength);
  EXPECT_EQ(errorOf(replace(kOptions, "Content-Length: 0", "Content-Length: 0\r\nl: 0")),
            Errc::DuplicateHeader);
  std::string no_length = replace(kOptions, "Content-Length: 0\r\n", "") + "body";
  auto d = parseMessage(no_length);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->body(), "body");
  auto s = parseMessage(no_length, {}, Framing::Stream);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::MissingHeader);
}

TEST(ParserTest, LimitsMapToTheirResponses) {
  ParseLimits limits;
  limits.max_message_bytes = 100;
  EXPECT_EQ(statusFor(errorOf(kOptions, limits)).code, 513);
  limits = {};
  limits.max_headers = 3;
  EXPECT_EQ(errorOf(kOptions, limits), Errc::TooManyHeaders);
  limits = {};
  limits.max_header_line = 20;
  EXPECT_EQ(errorOf(kOptions, limits), Errc::HeaderTooLong);
  limits = {};
  limits.max_vias = 1;
  EXPECT_EQ(errorOf(replace(kOptions, "Max-Forwards", "v: SIP/2.0/UDP a\r\nMax-Forwards"), limits),
            Errc::TooManyVias);
  limits = {};
  limits.max_uri = 10;
  EXPECT_EQ(statusFor(errorOf(kOptions, limits)).code, 414);
  limits = {};
  limits.max_body_bytes = 2;
  EXPECT_EQ(statusFor(errorOf(replace(kOptions, "Content-Length: 0", "Content-Length: 4") + "abcd",
                              limits))
                .code,
            413);
}

TEST(ParserTest, ErrorOffsetPointsAtTheProblem) {
  std::string bad = replace(kOptions, "CSeq: 1 OPTIONS", "CSeq: x OPTIONS");
  auto m = parseMessage(bad);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().offset, bad.find("x OPTIONS"));
}

TEST(ParserTest, ContactStarAndLists) {
  std::string reg =
      replace(replace(kOptions, "OPTIONS sip", "REGISTER sip"), "1 OPTIONS", "1 REGISTER");
  auto star =
      parseMessage(replace(reg, "Content-Length", "Contact: *\r\nExpires: 0\r\nContent-Length"));
  ASSERT_TRUE(star);
  EXPECT_TRUE(star->isContactStar());
  EXPECT_EQ(*star->expires(), 0u);
  EXPECT_FALSE(parseMessage(
      replace(reg, "Content-Length", "Contact: *\r\nContact: <sip:a@b>\r\nContent-Length")));
  auto list = parseMessage(
      replace(reg, "Content-Length",
              "m: <sip:a@b>;expires=60, \"X\" <sip:c@d>\r\nContact: sip:e@f\r\nContent-Length"));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->contacts().size(), 3u);
  EXPECT_EQ(list->contacts()[0].params.get("expires"), "60");
}

TEST(ParserTest, OnDemandTokenLists) {
  auto m = parseMessage(
      replace(kOptions, "Content-Length",
              "Supported: timer,replaces\r\nk: 100rel\r\nAllow: INVITE, ACK\r\nContent-Length"));
  ASSERT_TRUE(m);
  auto supported = m->tokens(HeaderId::Supported);
  ASSERT_TRUE(supported);
  EXPECT_EQ(supported->size(), 3u);
  EXPECT_EQ(m->tokens(HeaderId::Allow)->size(), 2u);
  auto bad = parseMessage(replace(kOptions, "Content-Length", "Require: a b\r\nContent-Length"));
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->tokens(HeaderId::Require));
}

} // namespace
} // namespace gh::sip
