#include <string>

#include <gtest/gtest.h>

#include "sdp/session_description.h"
#include "sdp/writer.h"

namespace gh::sdp {
namespace {

constexpr std::string_view kMinimal = "v=0\r\n"
                                      "o=- 1 2 IN IP4 192.0.2.1\r\n"
                                      "s=-\r\n"
                                      "c=IN IP4 192.0.2.1\r\n"
                                      "t=0 0\r\n"
                                      "m=audio 4000 RTP/AVP 0 8\r\n"
                                      "a=rtpmap:0 PCMU/8000\r\n";

void expectError(std::string_view text, uint32_t offset, const Limits& limits = {}) {
  auto sdp = parse(text, limits);
  ASSERT_FALSE(sdp) << text;
  EXPECT_EQ(sdp.error().code, Errc::BadSdp);
  EXPECT_EQ(sdp.error().offset, offset) << sdp.error().what;
  EXPECT_STRNE(sdp.error().what, "");
}

TEST(SdpParserTest, IndexesSessionAndMedia) {
  auto sdp = parse(kMinimal);
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->lines().size(), 7u);
  EXPECT_EQ(sdp->sessionLineCount(), 5u);
  EXPECT_EQ(sdp->origin().username, "-");
  EXPECT_EQ(sdp->origin().session_id, "1");
  EXPECT_EQ(sdp->origin().version(), 2u);
  EXPECT_EQ(sdp->origin().address, "192.0.2.1");
  EXPECT_EQ(sdp->sessionName(), "-");
  ASSERT_NE(sdp->connection(), nullptr);
  EXPECT_EQ(sdp->connection()->address, "192.0.2.1");
  ASSERT_EQ(sdp->media().size(), 1u);
  const MediaSection& m = sdp->media()[0];
  EXPECT_EQ(m.line.media, "audio");
  EXPECT_EQ(m.line.port, 4000);
  EXPECT_EQ(m.line.proto, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string_view>{"0", "8"}));
  EXPECT_EQ(m.first_line, 5u);
  EXPECT_EQ(m.line_count, 2u);
  ASSERT_EQ(m.attributes.size(), 1u);
  EXPECT_EQ(m.attributes[0].name, "rtpmap");
  EXPECT_EQ(m.attributes[0].value, "0 PCMU/8000");
  EXPECT_EQ(sdp->text().substr(m.attributes[0].value_offset, 11), "0 PCMU/8000");
  EXPECT_EQ(sdp->connectionFor(m), sdp->connection());
  EXPECT_EQ(sdp->direction(m), Direction::SendRecv);
  EXPECT_EQ(serialize(*sdp), kMinimal);
}

TEST(SdpParserTest, KeepsEachLineEndForTheRoundTrip) {
  const std::string mixed = "v=0\no=- 1 1 IN IP4 h\r\ns=x\nt=0 0\r\na=tool:y";
  auto sdp = parse(mixed);
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->lines()[0].end, LineEnd::Lf);
  EXPECT_EQ(sdp->lines()[1].end, LineEnd::Crlf);
  EXPECT_EQ(sdp->lines()[4].end, LineEnd::None);
  EXPECT_EQ(sdp->preferredLineEnd(), LineEnd::Lf);
  EXPECT_EQ(serialize(*sdp), mixed);
}

TEST(SdpParserTest, KeepsTrailingEmptyLines) {
  const std::string text = std::string(kMinimal) + "\r\n\r\n";
  auto sdp = parse(text);
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->trailer(), "\r\n\r\n");
  EXPECT_EQ(serialize(*sdp), text);
}

TEST(SdpParserTest, AttributesKeepGarbledValuesVerbatim) {
  const std::string text = std::string(kMinimal) + "a=crypto:x y\r\n"
                                                   "a=\r\n"
                                                   "a=:odd\r\n"
                                                   "a=rtcp-mux\r\n"
                                                   "a=empty:\r\n"
                                                   "x=unknown letter\r\n";
  auto sdp = parse(text);
  ASSERT_TRUE(sdp) << sdp.error().what;
  const auto& attrs = sdp->media()[0].attributes;
  ASSERT_EQ(attrs.size(), 6u);
  EXPECT_EQ(attrs[1].name, "crypto");
  EXPECT_EQ(attrs[2].name, "");
  EXPECT_FALSE(attrs[2].has_value);
  EXPECT_EQ(attrs[3].name, "");
  EXPECT_EQ(attrs[3].value, "odd");
  EXPECT_FALSE(attrs[4].has_value);
  EXPECT_TRUE(attrs[5].has_value);
  EXPECT_EQ(attrs[5].value, "");
  EXPECT_TRUE(sdp->media()[0].hasAttribute("RTCP-MUX"));
  EXPECT_EQ(serialize(*sdp), text);
}

TEST(SdpParserTest, MediaDirectionOverridesSession) {
  auto sdp = parse("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=recvonly\r\n"
                   "m=audio 1 RTP/AVP 0\r\na=sendonly\r\nm=video 2 RTP/AVP 31\r\n");
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->sessionDirection(), Direction::RecvOnly);
  EXPECT_EQ(sdp->direction(sdp->media()[0]), Direction::SendOnly);
  EXPECT_EQ(sdp->direction(sdp->media()[1]), Direction::RecvOnly);
}

TEST(SdpParserTest, MediaLevelLookupFallsBackToSession) {
  auto sdp = parse("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=ice-ufrag:sess\r\n"
                   "m=audio 1 RTP/AVP 0\r\na=ice-ufrag:med1\r\nm=audio 2 RTP/AVP 0\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->findAttribute(sdp->media()[0], "ice-ufrag")->value, "med1");
  EXPECT_EQ(sdp->findAttribute(sdp->media()[1], "ice-ufrag")->value, "sess");
  EXPECT_EQ(sdp->findAttribute(sdp->media()[1], "ice-pwd"), nullptr);
}

TEST(SdpParserTest, AcceptsMediaWithoutFormatsAndDoubleSpaces) {
  auto sdp = parse("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                   "m=video 0 RTP/AVP\r\nm=audio  5004/2  RTP/AVP  0  8 \r\n");
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_TRUE(sdp->media()[0].formats.empty());
  EXPECT_TRUE(sdp->media()[0].isRejected());
  EXPECT_EQ(sdp->media()[1].line.port, 5004);
  EXPECT_EQ(sdp->media()[1].line.port_count, 2);
  EXPECT_EQ(sdp->media()[1].formats, (std::vector<std::string_view>{"0", "8"}));
}

TEST(SdpParserTest, ParseAttributeShiftsErrorsIntoTheBody) {
  const std::string text = std::string(kMinimal) + "a=rtpmap:xx PCMU/8000\r\n";
  auto sdp = parse(text);
  ASSERT_TRUE(sdp);
  const Attribute& bad = sdp->media()[0].attributes[1];
  auto r = parseAttribute(bad, parseRtpmap);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().offset, text.find("xx PCMU"));
  auto good = parseAttribute(sdp->media()[0].attributes[0], parseRtpmap);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->encoding, "PCMU");
  EXPECT_EQ(sdp->media()[0].rtpmap(0)->clock_rate, 8000u);
  EXPECT_FALSE(sdp->media()[0].rtpmap(8));
}

TEST(SdpParserTest, SurvivesMoveAndClone) {
  auto sdp = parse(kMinimal);
  ASSERT_TRUE(sdp);
  SessionDescription moved = std::move(*sdp);
  SessionDescription copy = moved.clone();
  SessionDescription moved_again = std::move(moved);
  EXPECT_EQ(moved_again.media()[0].attributes[0].value, "0 PCMU/8000");
  EXPECT_EQ(copy.origin().address, "192.0.2.1");
  EXPECT_NE(copy.text().data(), moved_again.text().data());
  EXPECT_EQ(serialize(copy), kMinimal);
}

TEST(SdpParserTest, RejectsMissingVersionLine) {
  expectError("o=- 1 1 IN IP4 h\r\nv=0\r\n", 0);
  expectError("v=1\r\no=- 1 1 IN IP4 h\r\n", 0);
  expectError("v=0 \r\no=- 1 1 IN IP4 h\r\n", 0);
  expectError("\r\nv=0\r\n", 0);
  expectError("", 0);
  expectError("hello", 0);
}

TEST(SdpParserTest, RejectsLineWithoutEquals) {
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\ns -\r\n", 24);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\ns\r\n", 24);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\na =x\r\n", 24);
}

TEST(SdpParserTest, RejectsNonLetterLineType) {
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\n1=x\r\n", 23);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\n =x\r\n", 23);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\n\xc3=x\r\n", 23);
}

TEST(SdpParserTest, RejectsNulAndStrayCarriageReturn) {
  const std::string with_nul("v=0\r\no=- 1 1 IN IP4 h\r\ns=a\0b\r\n", 30);
  expectError(with_nul, 26);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\ns=a\rb\r\n", 26);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\ns=a\r", 26);
}

TEST(SdpParserTest, RejectsEmptyLineInTheMiddle) {
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\n\r\ns=x\r\n", 23);
}

TEST(SdpParserTest, RejectsOversizeBody) {
  Limits limits;
  limits.max_bytes = 40;
  expectError(kMinimal, 40, limits);
  const std::string huge = std::string(kMinimal) + "a=x:" + std::string(70000, 'y') + "\r\n";
  expectError(huge, 65535);
}

TEST(SdpParserTest, RejectsTooManyLines) {
  std::string text(kMinimal);
  for (int i = 0; i < 1100; ++i) {
    text += "a=x\r\n";
  }
  auto sdp = parse(text);
  ASSERT_FALSE(sdp);
  EXPECT_EQ(sdp.error().offset, kMinimal.size() + (1024 - 7) * 5);
  Limits limits;
  limits.max_lines = 3;
  expectError(kMinimal, 5 + 26 + 5, limits);
}

TEST(SdpParserTest, RejectsTooManyMediaAndAttributes) {
  Limits limits;
  limits.max_media = 1;
  const std::string two = std::string(kMinimal) + "m=video 0 RTP/AVP 31\r\n";
  expectError(two, static_cast<uint32_t>(kMinimal.size()), limits);
  limits = Limits{};
  limits.max_attributes = 1;
  const std::string attrs = std::string(kMinimal) + "a=ptime:20\r\n";
  expectError(attrs, static_cast<uint32_t>(kMinimal.size()), limits);
}

TEST(SdpParserTest, RejectsTooManyFormats) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 1 RTP/AVP";
  std::string formats;
  for (int i = 0; i < 128; ++i) {
    formats += " " + std::to_string(i);
  }
  auto ok = parse(head + formats + "\r\n");
  ASSERT_TRUE(ok) << ok.error().what;
  EXPECT_EQ(ok->media()[0].formats.size(), 128u);
  expectError(head + formats + " 96\r\n", static_cast<uint32_t>(head.size() + formats.size() + 1));
}

TEST(SdpParserTest, RejectsBrokenStructuralLines) {
  // o= missing, repeated, short
  expectError("v=0\r\ns=-\r\nt=0 0\r\n", 17);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\no=- 1 1 IN IP4 h\r\n", 23);
  expectError("v=0\r\no=- 1 IN IP4 h\r\n", 7);
  // session c= repeated or broken; media c= broken
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nc=IN IP4 a\r\nc=IN IP4 b\r\n", 35);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nc=IN IP4\r\n", 31);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 1 RTP/AVP 0\r\nc=IN IP4 a b\r\n", 55);
  // m= port out of range, bad count, no proto
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 65536 RTP/AVP 0\r\n", 31);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 1/0 RTP/AVP 0\r\n", 33);
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 1\r\n", 32);
  // a second v= line
  expectError("v=0\r\no=- 1 1 IN IP4 h\r\nv=0\r\n", 23);
}

TEST(SdpParserTest, ToleratesOddOrderAndUnknownLines) {
  const std::string text = "v=0\r\ns=late origin\r\nt=0 0\r\no=- 1 1 IN IP4 h\r\nq=what\r\n"
                           "m=audio 1 RTP/AVP 0\r\nt=0 0\r\no=ignored here\r\n";
  auto sdp = parse(text);
  ASSERT_TRUE(sdp) << sdp.error().what;
  EXPECT_EQ(sdp->origin().address, "h");
  EXPECT_EQ(serialize(*sdp), text);
}

} // namespace
} // namespace gh::sdp
