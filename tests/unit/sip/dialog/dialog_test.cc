#include "sip/dialog/dialog.h"

#include "unit/sip/transaction/support.h"

namespace gh::sip::test {
namespace {

constexpr std::string_view kOurContact = "<sip:sbc.example.com:5060>";

ViaSpec ourVia(std::string_view branch = "z9hG4bKnew") {
  return {Transport::Udp, "192.0.2.10:5060", branch};
}

Req ourInvite() {
  Req r;
  r.vias = {"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKclient"};
  r.from = "\"Alice\" <sip:alice@example.org>;tag=ft1";
  r.to = "\"Bob\" <sip:bob@example.com>";
  r.cseq = 10;
  r.extra = {"Contact: <sip:sbc.example.com:5060>"};
  return r;
}

Resp answer(int code) {
  Resp r;
  r.code = code;
  r.to = "\"Bob\" <sip:bob@example.com>;tag=bobtag";
  r.cseq = 10;
  r.extra = {"Record-Route: <sip:p1.example.net;lr>, <sip:p2.example.net;lr>",
             "Record-Route: <sip:p3.example.net;lr>", "Contact: <sip:bob@203.0.113.5:5070>"};
  return r;
}

Req theirInvite() {
  Req r;
  r.from = "<sip:carol@example.net>;tag=carol1";
  r.to = "<sip:dave@sbc.example.com>";
  r.cseq = 42;
  r.extra = {"Record-Route: <sip:edge1.example.net;lr>", "Record-Route: <sip:edge2.example.net;lr>",
             "Contact: <sip:carol@198.51.100.20:5062;transport=udp>"};
  return r;
}

TEST(DialogTest, UacFromProvisionalIsEarlyWithReversedRouteSet) {
  Message invite = parse(ourInvite().text());
  Message ringing = parse(answer(180).text());
  auto d = Dialog::forUac(invite, ringing, std::string(kOurContact));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state(), DialogState::Early);
  EXPECT_EQ(d->role(), DialogRole::Uac);
  EXPECT_EQ(d->id(), (DialogId{"cid-1@192.0.2.1", "ft1", "bobtag"}));
  EXPECT_EQ(d->routeSet(),
            (std::vector<std::string>{"<sip:p3.example.net;lr>", "<sip:p2.example.net;lr>",
                                      "<sip:p1.example.net;lr>"}));
  EXPECT_EQ(d->remoteTarget(), "sip:bob@203.0.113.5:5070");
  EXPECT_EQ(d->nextHopUri(), "sip:p3.example.net;lr");
  EXPECT_EQ(d->localCSeq(), 10u);
  EXPECT_FALSE(d->remoteCSeq());
}

TEST(DialogTest, UacFromTwoHundredIsConfirmed) {
  Message invite = parse(ourInvite().text());
  auto d = Dialog::forUac(invite, parse(answer(200).text()), std::string(kOurContact));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state(), DialogState::Confirmed);
}

TEST(DialogTest, NotEveryResponseCreatesADialog) {
  Message invite = parse(ourInvite().text());
  Resp no_tag = answer(180);
  no_tag.to = "<sip:bob@example.com>";
  EXPECT_EQ(Dialog::forUac(invite, parse(no_tag.text()), {}).error(),
            DialogError::NotDialogCreating);
  EXPECT_EQ(Dialog::forUac(invite, parse(answer(100).text()), {}).error(),
            DialogError::NotDialogCreating);
  EXPECT_EQ(Dialog::forUac(invite, parse(answer(486).text()), {}).error(),
            DialogError::NotDialogCreating);
  Resp no_contact = answer(200);
  no_contact.extra.clear();
  EXPECT_EQ(Dialog::forUac(invite, parse(no_contact.text()), {}).error(), DialogError::NoContact);
}

TEST(DialogTest, EarlyDialogConfirmsOnTwoHundredWithItsRouteSet) {
  Message invite = parse(ourInvite().text());
  auto d = Dialog::forUac(invite, parse(answer(183).text()), std::string(kOurContact));
  ASSERT_TRUE(d);
  Resp ok = answer(200);
  ok.extra = {"Record-Route: <sip:only.example.net;lr>", "Contact: <sip:bob@203.0.113.6>"};
  d->onResponse(parse(ok.text()));
  EXPECT_EQ(d->state(), DialogState::Confirmed);
  EXPECT_EQ(d->routeSet(), (std::vector<std::string>{"<sip:only.example.net;lr>"}));
  EXPECT_EQ(d->remoteTarget(), "sip:bob@203.0.113.6");
}

TEST(DialogTest, EarlyDialogEndsOnErrorResponse) {
  Message invite = parse(ourInvite().text());
  auto d = Dialog::forUac(invite, parse(answer(180).text()), {});
  ASSERT_TRUE(d);
  d->onResponse(parse(answer(486).text()));
  EXPECT_EQ(d->state(), DialogState::Terminated);
}

TEST(DialogTest, UasFromInviteKeepsRecordRouteOrder) {
  Message invite = parse(theirInvite().text());
  auto d = Dialog::forUas(invite, "ourtag", std::string(kOurContact), false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->role(), DialogRole::Uas);
  EXPECT_EQ(d->state(), DialogState::Early);
  EXPECT_EQ(d->id(), (DialogId{"cid-1@192.0.2.1", "ourtag", "carol1"}));
  EXPECT_EQ(d->routeSet(),
            (std::vector<std::string>{"<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>"}));
  EXPECT_EQ(d->remoteTarget(), "sip:carol@198.51.100.20:5062;transport=udp");
  EXPECT_EQ(d->remoteCSeq(), 42u);
  EXPECT_FALSE(d->localCSeq());
  EXPECT_EQ(d->localUri(), "<sip:dave@sbc.example.com>");
  EXPECT_EQ(d->remoteUri(), "<sip:carol@example.net>");
  Req no_contact = theirInvite();
  no_contact.extra.clear();
  EXPECT_EQ(Dialog::forUas(parse(no_contact.text()), "t", {}, true).error(),
            DialogError::NoContact);
}

TEST(DialogTest, InDialogRequestIsBuiltFromTheDialogState) {
  Message invite = parse(ourInvite().text());
  auto d = Dialog::forUac(invite, parse(answer(200).text()), std::string(kOurContact));
  ASSERT_TRUE(d);
  Message bye = parse(d->buildRequest("BYE", ourVia("z9hG4bKbye")));
  EXPECT_EQ(bye.startLine(), "BYE sip:bob@203.0.113.5:5070 SIP/2.0");
  EXPECT_EQ(bye.first(HeaderId::Via)->value, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbye;rport");
  auto routes = bye.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].uri.host, "p3.example.net");
  EXPECT_EQ(routes[2].uri.host, "p1.example.net");
  EXPECT_EQ(bye.from().tag(), "ft1");
  EXPECT_EQ(bye.from().uri.raw, "sip:alice@example.org");
  EXPECT_EQ(bye.from().displayNameText(), "Alice");
  EXPECT_EQ(bye.to().tag(), "bobtag");
  EXPECT_EQ(bye.to().uri.raw, "sip:bob@example.com");
  EXPECT_EQ(bye.callId(), "cid-1@192.0.2.1");
  EXPECT_EQ(bye.cseq().number, 11u);
  EXPECT_EQ(bye.cseq().method, Method::Bye);
  EXPECT_EQ(*bye.maxForwards(), 70u);
  EXPECT_EQ(bye.first(HeaderId::Contact), nullptr);

  std::string sdp = "v=0\r\n";
  Message reinvite =
      parse(d->buildRequest("INVITE", ourVia(), RequestExtras().withBody("application/sdp", sdp)));
  EXPECT_EQ(reinvite.cseq().number, 12u);
  EXPECT_EQ(d->inviteCSeq(), 12u);
  ASSERT_EQ(reinvite.contacts().size(), 1u);
  EXPECT_EQ(reinvite.contacts()[0].uri.raw, "sip:sbc.example.com:5060");
  EXPECT_EQ(reinvite.body(), sdp);

  Message ack = parse(d->buildAck(12, ourVia("z9hG4bKack")));
  EXPECT_EQ(ack.cseq().number, 12u);
  EXPECT_EQ(ack.cseq().method, Method::Ack);
  EXPECT_EQ(ack.topVia().branch, "z9hG4bKack");
  EXPECT_EQ(ack.requestUriText(), "sip:bob@203.0.113.5:5070");
  EXPECT_EQ(d->localCSeq(), 12u); // ACK takes no new number

  for (std::string_view m : {"UPDATE", "INFO", "PRACK", "NOTIFY", "OPTIONS", "REFER"}) {
    Message req = parse(d->buildRequest(
        m, ourVia(), RequestExtras().withHeader("RAck", "1 10 INVITE").withHeader("Event", "x")));
    EXPECT_EQ(req.methodText(), m);
    EXPECT_EQ(req.cseq().method_text, m);
    EXPECT_EQ(req.first("RAck")->value, "1 10 INVITE");
  }
  EXPECT_EQ(d->localCSeq(), 18u);
}

TEST(DialogTest, UasPicksItsFirstCSeqThenCounts) {
  auto d = Dialog::forUas(parse(theirInvite().text()), "ourtag", std::string(kOurContact), true);
  ASSERT_TRUE(d);
  Message bye = parse(d->buildRequest("BYE", ourVia()));
  EXPECT_GT(bye.cseq().number, 0u);
  EXPECT_LT(bye.cseq().number, 1u << 31);
  EXPECT_EQ(bye.startLine(), "BYE sip:carol@198.51.100.20:5062;transport=udp SIP/2.0");
  EXPECT_EQ(bye.from().tag(), "ourtag");
  EXPECT_EQ(bye.to().tag(), "carol1");
  EXPECT_EQ(bye.routes()[0].uri.host, "edge1.example.net");
  Message info = parse(d->buildRequest("INFO", ourVia()));
  EXPECT_EQ(info.cseq().number, bye.cseq().number + 1);
}

TEST(DialogTest, StrictRouterGetsTheRequestUri) {
  Req inv = theirInvite();
  inv.extra = {"Record-Route: <sip:strict.example.net>, <sip:loose.example.net;lr>",
               "Contact: <sip:carol@198.51.100.20>"};
  auto d = Dialog::forUas(parse(inv.text()), "ourtag", {}, true);
  ASSERT_TRUE(d);
  Message bye = parse(d->buildRequest("BYE", ourVia()));
  EXPECT_EQ(bye.requestUriText(), "sip:strict.example.net");
  auto routes = bye.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].uri.host, "loose.example.net");
  EXPECT_EQ(routes[1].uri.raw, "sip:carol@198.51.100.20");
}

TEST(DialogTest, RemoteCSeqRules) {
  auto d = Dialog::forUas(parse(theirInvite().text()), "ourtag", {}, true);
  ASSERT_TRUE(d);
  Req in = theirInvite();
  in.to += ";tag=ourtag";
  in.extra.clear();
  in.method = "INFO";
  in.cseq = 43;
  EXPECT_EQ(d->onRequest(parse(in.text())), 0);
  EXPECT_EQ(d->remoteCSeq(), 43u);
  in.cseq = 41; // lower: out of order
  EXPECT_EQ(d->onRequest(parse(in.text())), 500);
  EXPECT_EQ(d->remoteCSeq(), 43u);
  in.cseq = 100; // gaps are fine
  EXPECT_EQ(d->onRequest(parse(in.text())), 0);
  in.method = "ACK";
  in.cseq = 42; // ACK reuses its INVITE's number
  EXPECT_EQ(d->onRequest(parse(in.text())), 0);
  EXPECT_EQ(d->remoteCSeq(), 100u);
}

TEST(DialogTest, TargetRefresh) {
  Message invite = parse(ourInvite().text());
  auto d = Dialog::forUac(invite, parse(answer(200).text()), std::string(kOurContact));
  ASSERT_TRUE(d);
  // Our re-INVITE's 2xx moves the target.
  std::string reinvite_text = d->buildRequest("INVITE", ourVia());
  Message reinvite = parse(reinvite_text);
  Resp ok = answer(200);
  ok.cseq = reinvite.cseq().number;
  ok.extra = {"Contact: <sip:bob@203.0.113.99:5080>"};
  d->onResponse(parse(ok.text()));
  EXPECT_EQ(d->remoteTarget(), "sip:bob@203.0.113.99:5080");
  EXPECT_EQ(d->state(), DialogState::Confirmed);
  EXPECT_EQ(d->routeSet().size(), 3u); // the route set never changes after confirmation

  // Their re-INVITE does too; an INFO with a Contact does not.
  Req theirs;
  theirs.from = "\"Bob\" <sip:bob@example.com>;tag=bobtag";
  theirs.to = "\"Alice\" <sip:alice@example.org>;tag=ft1";
  theirs.cseq = 500;
  theirs.method = "INFO";
  theirs.extra = {"Contact: <sip:bob@203.0.113.1>"};
  EXPECT_EQ(d->onRequest(parse(theirs.text())), 0);
  EXPECT_EQ(d->remoteTarget(), "sip:bob@203.0.113.99:5080");
  theirs.method = "INVITE";
  theirs.cseq = 501;
  EXPECT_EQ(d->onRequest(parse(theirs.text())), 0);
  EXPECT_EQ(d->remoteTarget(), "sip:bob@203.0.113.1");

  Resp gone = answer(481);
  d->onResponse(parse(gone.text()));
  EXPECT_EQ(d->state(), DialogState::Terminated);
}

} // namespace
} // namespace gh::sip::test
