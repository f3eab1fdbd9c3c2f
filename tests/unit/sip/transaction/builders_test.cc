#include <set>

#include "sip/transaction/derived_requests.h"
#include "sip/transaction/random_id.h"
#include "sip/transaction/response_builder.h"
#include "sip/transaction/transaction_key.h"
#include "unit/sip/transaction/support.h"

namespace gh::sip::test {
namespace {

Req richInvite() {
  Req r;
  r.vias = {"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa;rport",
            "SIP/2.0/TCP 198.51.100.7;branch=z9hG4bKb"};
  r.extra = {"Via: SIP/2.0/UDP 203.0.113.9:5070;branch=z9hG4bKc",
             "Record-Route: <sip:rr1.example.net;lr>, <sip:rr2.example.net;lr>",
             "Contact: <sip:alice@192.0.2.1>"};
  r.to = "\"Bob\" <sip:bob@example.com;user=phone>;x=1";
  r.cseq = 314;
  return r;
}

TEST(ResponseBuilderTest, CopiesTheDialogHeadersAndAddsOurTag) {
  Message invite = parse(richInvite().text());
  std::string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\n";
  Message ok = parse(buildResponse(invite, 200,
                                   ResponseOptions()
                                       .withToTag("abc")
                                       .withContact("<sip:sbc.example.com:5060>")
                                       .withRecordRoute()
                                       .withHeader("Allow", "INVITE, ACK, BYE")
                                       .withBody("application/sdp", sdp)));
  EXPECT_EQ(ok.startLine(), "SIP/2.0 200 OK");
  auto vias = ok.vias();
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].branch, "z9hG4bKa");
  EXPECT_EQ(vias[1].branch, "z9hG4bKb");
  EXPECT_EQ(vias[2].branch, "z9hG4bKc");
  EXPECT_EQ(ok.first(HeaderId::From)->value, invite.first(HeaderId::From)->value);
  EXPECT_EQ(ok.to().tag(), "abc");
  EXPECT_EQ(ok.to().uri.raw, "sip:bob@example.com;user=phone");
  EXPECT_EQ(ok.to().displayNameText(), "Bob");
  EXPECT_EQ(ok.to().params.get("x"), "1");
  EXPECT_EQ(ok.callId(), invite.callId());
  EXPECT_EQ(ok.cseq().number, 314u);
  EXPECT_EQ(ok.cseq().method, Method::Invite);
  ASSERT_EQ(ok.recordRoutes().size(), 2u);
  EXPECT_EQ(ok.recordRoutes()[1].uri.host, "rr2.example.net");
  ASSERT_EQ(ok.contacts().size(), 1u);
  EXPECT_EQ(ok.contacts()[0].uri.host, "sbc.example.com");
  EXPECT_EQ(ok.first("Allow")->value, "INVITE, ACK, BYE");
  EXPECT_EQ(ok.contentType(), "application/sdp");
  EXPECT_EQ(ok.body(), sdp);
}

TEST(ResponseBuilderTest, KeepsAnExistingTagAndLeavesTryingUntagged) {
  Req r = richInvite();
  r.to = "<sip:bob@example.com>;tag=theirs";
  Message in_dialog = parse(r.text());
  EXPECT_EQ(parse(buildResponse(in_dialog, 200, ResponseOptions().withToTag("abc"))).to().tag(),
            "theirs");
  Message invite = parse(richInvite().text());
  Message trying = parse(buildResponse(invite, 100));
  EXPECT_TRUE(trying.to().tag().empty());
  EXPECT_EQ(trying.recordRoutes().size(), 0u);
  EXPECT_EQ(trying.first(HeaderId::Contact), nullptr);
  EXPECT_TRUE(trying.body().empty());
  // No tag given: a random one, different each time.
  Message busy = parse(buildResponse(invite, 486));
  std::string first_tag(busy.to().tag());
  EXPECT_FALSE(first_tag.empty());
  EXPECT_NE(parse(buildResponse(invite, 486)).to().tag(), first_tag);
}

TEST(ResponseBuilderTest, ReasonPhrases) {
  Message invite = parse(richInvite().text());
  EXPECT_EQ(parse(buildResponse(invite, 481)).reasonPhrase(), "Call/Transaction Does Not Exist");
  EXPECT_EQ(
      parse(buildResponse(invite, 503, ResponseOptions().withReason("Overloaded"))).reasonPhrase(),
      "Overloaded");
  EXPECT_EQ(reasonPhrase(487), "Request Terminated");
  EXPECT_EQ(reasonPhrase(299), "Unknown");
}

TEST(DerivedRequestsTest, CancelCopiesTheRequestIdentity) {
  Req r = richInvite();
  r.extra.push_back("Route: <sip:edge.example.net;lr>");
  Message invite = parse(r.text());
  Message cancel = parse(buildCancel(invite));
  EXPECT_EQ(cancel.startLine(), "CANCEL sip:bob@example.com SIP/2.0");
  ASSERT_EQ(cancel.vias().size(), 1u);
  EXPECT_EQ(cancel.first(HeaderId::Via)->value, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa;rport");
  EXPECT_EQ(cancel.first(HeaderId::To)->value, r.to);
  EXPECT_EQ(cancel.cseq().number, 314u);
  EXPECT_EQ(cancel.cseq().method, Method::Cancel);
  EXPECT_EQ(cancel.routes().size(), 1u);
  EXPECT_EQ(cancel.recordRoutes().size(), 0u);
  EXPECT_EQ(inviteKeyForCancel(cancel), serverKeyOf(invite));
}

TEST(RandomIdTest, BranchesCarryTheCookieAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string b = makeBranch();
    EXPECT_TRUE(b.starts_with("z9hG4bK"));
    EXPECT_EQ(b.size(), 29u);
    seen.insert(b);
    // Usable in a Via as is.
    std::string via_text = "SIP/2.0/UDP h;branch=" + b;
    auto via = parseVia(via_text);
    ASSERT_TRUE(via);
    EXPECT_TRUE(via->hasRfc3261Branch());
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(makeTag(), makeTag());
  EXPECT_TRUE(isValidCallId(makeCallId("sbc.example.com")));
  EXPECT_TRUE(makeCallId("h").ends_with("@h"));
}

} // namespace
} // namespace gh::sip::test
