#include "sip/dialog/request_builder.h"

#include "sip/transaction/random_id.h"
#include "unit/sip/transaction/support.h"

namespace gh::sip::test {
namespace {

TEST(RequestBuilderTest, OutOfDialogInvite) {
  std::string tag = makeTag();
  std::string call_id = makeCallId("sbc.example.com");
  std::string branch = makeBranch();
  std::string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\n";
  OutOfDialogRequest r;
  r.request_uri = "sip:+4930123@teams.example.com;user=phone";
  r.from = "\"Alice\" <sip:+4940555@sbc.example.com>";
  r.from_tag = tag;
  r.to = "<sip:+4930123@teams.example.com>";
  r.call_id = call_id;
  r.cseq = 1;
  r.contact = "<sip:sbc.example.com:5061;transport=tls>";
  r.routes = {"<sip:edge.example.net;lr>"};
  r.extras.withHeader("Supported", "timer").withBody("application/sdp", sdp);
  Message m = parse(buildRequest(r, {Transport::Tls, "sbc.example.com:5061", branch}));
  EXPECT_EQ(m.startLine(), "INVITE sip:+4930123@teams.example.com;user=phone SIP/2.0");
  ViaView via = m.topVia();
  EXPECT_EQ(via.transport, "TLS");
  EXPECT_EQ(via.host, "sbc.example.com");
  EXPECT_EQ(via.port, 5061);
  EXPECT_EQ(via.branch, branch);
  EXPECT_TRUE(via.has_rport);
  EXPECT_EQ(m.from().tag(), tag);
  EXPECT_EQ(m.from().displayNameText(), "Alice");
  EXPECT_TRUE(m.to().tag().empty());
  EXPECT_EQ(m.callId(), call_id);
  EXPECT_EQ(m.cseq().number, 1u);
  EXPECT_EQ(m.cseq().method, Method::Invite);
  EXPECT_EQ(*m.maxForwards(), 70u);
  EXPECT_EQ(m.routes().size(), 1u);
  EXPECT_EQ(m.contacts()[0].uri.params.get("transport"), "tls");
  EXPECT_EQ(m.first(HeaderId::Supported)->value, "timer");
  EXPECT_EQ(m.contentType(), "application/sdp");
  EXPECT_EQ(m.body(), sdp);
}

TEST(RequestBuilderTest, OptionsWithoutContactOrBody) {
  OutOfDialogRequest r;
  r.method = "OPTIONS";
  r.request_uri = "sip:peer.example.net";
  r.from = "<sip:ping@sbc.example.com>";
  r.from_tag = "abc";
  r.to = "<sip:peer.example.net>";
  r.call_id = "ping-1";
  r.cseq = 9;
  r.max_forwards = 0;
  std::string text = buildRequest(r, {Transport::Udp, "192.0.2.10", "z9hG4bKping"});
  Message m = parse(text);
  EXPECT_EQ(m.cseq().method, Method::Options);
  EXPECT_EQ(m.cseq().number, 9u);
  EXPECT_EQ(*m.maxForwards(), 0u);
  EXPECT_EQ(m.first(HeaderId::Contact), nullptr);
  EXPECT_EQ(m.first(HeaderId::ContentType), nullptr);
  EXPECT_TRUE(m.hasContentLengthHeader());
  EXPECT_TRUE(m.body().empty());
  EXPECT_FALSE(m.topVia().has_port);
  EXPECT_EQ(parseMessage(text, {}, Framing::Stream).has_value(), true); // fit for TCP too
}

} // namespace
} // namespace gh::sip::test
