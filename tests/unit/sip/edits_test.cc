#include "sip/message/edits.h"

#include <string>

#include <gtest/gtest.h>

#include "sip/parser/parser.h"
#include "support/corpus.h"

namespace gh::sip {
namespace {

Message seedInvite() {
  auto m =
      parseMessage(test::readFile(test::sharedPath("corpus/seed/pbx-invite.RECONSTRUCTED.sip")));
  EXPECT_TRUE(m);
  return *std::move(m);
}

TEST(EditsTest, NoEditsIsByteExact) {
  std::string bytes = test::readFile(test::sharedPath("corpus/seed/pbx-invite.RECONSTRUCTED.sip"));
  auto m = parseMessage(bytes);
  ASSERT_TRUE(m);
  EXPECT_EQ(serialize(*m), bytes);
}

TEST(EditsTest, SeedRewriteToViaAndRequestUri) {
  Message m = seedInvite();
  MessageEdits edits;
  edits.replaceValue(m.indexOf(*m.first(HeaderId::To)),
                     "<sip:87000@df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com>");
  edits.prepend("Via", "SIP/2.0/TLS sbc.example.com:5061;branch=z9hG4bKnew");
  edits.replaceRequestUri(
      "sip:87000@df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com:5061;transport=tls");
  edits.replaceValue(m.indexOf(*m.first(HeaderId::MaxForwards)), "69");
  std::string out = serialize(m, edits);

  auto again = parseMessage(out);
  ASSERT_TRUE(again) << again.error().what;
  EXPECT_EQ(again->requestUri().port, 5061);
  EXPECT_EQ(again->to().uri.host, "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com");
  EXPECT_EQ(again->topVia().host, "sbc.example.com");
  EXPECT_EQ(again->vias().size(), 2u);
  EXPECT_EQ(again->maxForwards(), 69u);
  EXPECT_EQ(again->body(), m.body());
  EXPECT_EQ(again->headers().size(), m.headers().size() + 1);
  EXPECT_EQ(out.rfind("Via: SIP/2.0/TLS", out.find("\r\n") + 2), out.find("\r\n") + 2);
}

TEST(EditsTest, ReplaceBodyRecomputesContentLength) {
  Message m = seedInvite();
  MessageEdits edits;
  std::string sdp = "v=0\r\no=- 1 1 IN IP4 25.25.25.5\r\ns=-\r\nt=0 0\r\n";
  edits.replaceBody(sdp, "application/sdp");
  auto again = parseMessage(serialize(m, edits));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body(), sdp);
  EXPECT_EQ(again->first(HeaderId::ContentLength)->value, std::to_string(sdp.size()));
  EXPECT_EQ(again->count(HeaderId::ContentLength), 1u);
}

TEST(EditsTest, EmptyBodyRemovesContentType) {
  Message m = seedInvite();
  MessageEdits edits;
  edits.replaceBody("", "");
  auto again = parseMessage(serialize(m, edits));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->body().empty());
  EXPECT_EQ(again->first(HeaderId::ContentType), nullptr);
  EXPECT_EQ(again->first(HeaderId::ContentLength)->value, "0");
}

TEST(EditsTest, RemoveAppendAndInsertBefore) {
  Message m = seedInvite();
  MessageEdits edits;
  edits.remove(m.indexOf(*m.first("Cisco-Guid")));
  edits.append("X-MS-SBC", "Gatehouse/0.1");
  edits.insertBefore(m.indexOf(*m.first(HeaderId::CallId)), "Record-Route",
                     "<sip:sbc.example.com;transport=tls;lr>");
  auto again = parseMessage(serialize(m, edits));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->first("Cisco-Guid"), nullptr);
  EXPECT_EQ(again->first("x-ms-sbc")->value, "Gatehouse/0.1");
  ASSERT_EQ(again->recordRoutes().size(), 1u);
  EXPECT_EQ(again->recordRoutes()[0].uri.host, "sbc.example.com");
  EXPECT_LT(again->indexOf(*again->first(HeaderId::RecordRoute)),
            again->indexOf(*again->first(HeaderId::CallId)));
}

TEST(EditsTest, StreamSerializationAddsMissingContentLength) {
  auto m = parseMessage(test::readFile(test::sharedPath("corpus/rfc4475/inv2543.sip")));
  ASSERT_TRUE(m);
  std::string out = serialize(*m, {}, SerializeOptions{.ensure_content_length = true});
  auto again = parseMessage(out, {}, Framing::Stream);
  ASSERT_TRUE(again) << again.error().what;
  EXPECT_EQ(again->body(), m->body());
}

} // namespace
} // namespace gh::sip
