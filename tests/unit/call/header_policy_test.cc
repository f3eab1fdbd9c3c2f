#include "call/header_policy.h"

#include <gtest/gtest.h>

#include "sip/parser/parser.h"

namespace gh::call {
namespace {

constexpr std::string_view kInvite = "INVITE sip:87000@sbc-o365.example.com SIP/2.0\r\n"
                                     "Via: SIP/2.0/TCP 10.0.0.6:5060;branch=z9hG4bK1\r\n"
                                     "From: <sip:1000@10.0.0.6>;tag=a\r\n"
                                     "To: <sip:87000@sbc-o365.example.com>\r\n"
                                     "Call-ID: c1@10.0.0.6\r\n"
                                     "CSeq: 101 INVITE\r\n"
                                     "Max-Forwards: 70\r\n"
                                     "Contact: <sip:1000@10.0.0.6:5060;transport=tcp>\r\n"
                                     "Supported: timer,100rel\r\n"
                                     "User-Agent: Cisco-CUCM11.5\r\n"
                                     "Session-Expires: 1800\r\n"
                                     "Cisco-Guid: 1234\r\n"
                                     "Remote-Party-ID: <sip:1000@10.0.0.6>;party=calling\r\n"
                                     "Allow: INVITE, ACK, BYE\r\n"
                                     "Content-Length: 0\r\n\r\n";

std::vector<std::string> names(const route::HeaderList& list) {
  std::vector<std::string> out;
  for (const auto& h : list)
    out.push_back(h.name);
  return out;
}

TEST(HeaderPolicy, PassAllCopiesEndToEndHeadersOnly) {
  auto msg = sip::parseMessage(kInvite);
  ASSERT_TRUE(msg);
  route::HeaderList out;
  copyEndToEndHeaders(*msg, config::HeaderPolicy{}, out);
  EXPECT_EQ(names(out), (std::vector<std::string>{"Session-Expires", "Cisco-Guid",
                                                  "Remote-Party-ID", "Allow"}));
}

TEST(HeaderPolicy, StripAndAllowLists) {
  auto msg = sip::parseMessage(kInvite);
  ASSERT_TRUE(msg);
  config::HeaderPolicy strip;
  strip.strip.push_back({"cisco-guid", {}});
  route::HeaderList out;
  copyEndToEndHeaders(*msg, strip, out);
  EXPECT_EQ(names(out), (std::vector<std::string>{"Session-Expires", "Remote-Party-ID", "Allow"}));
  config::HeaderPolicy none;
  none.pass = config::HeaderPass::None;
  none.allow.push_back({"Allow", {}});
  none.allow.push_back({"Via", {}}); // managed headers never pass, even when allowed
  out.clear();
  copyEndToEndHeaders(*msg, none, out);
  EXPECT_EQ(names(out), (std::vector<std::string>{"Allow"}));
}

TEST(HideIdentityHosts, ThePbxAddressGivesWayToOursParametersStay) {
  route::HeaderList headers{
      {"P-Asserted-Identity", "\"10048 - Armstrong, Clint\" <sip:10048@10.0.2.52:5060>"},
      {"Remote-Party-ID",
       "\"Clint\" <sip:10048@10.0.2.52;user=phone>;party=calling;screen=yes;privacy=off"},
      {"P-Asserted-Identity", "<tel:+15551234>, <sip:+15551234@cucm.corp.local>"},
      {"P-Preferred-Identity", "<sip:bad@"},
      {"Cisco-Guid", "sip:1@10.0.0.6"}};
  hideIdentityHosts(headers, "sbc.example.com");
  EXPECT_EQ(headers[0].value, "\"10048 - Armstrong, Clint\" <sip:10048@sbc.example.com>");
  EXPECT_EQ(
      headers[1].value,
      "\"Clint\" <sip:10048@sbc.example.com;user=phone>;party=calling;screen=yes;privacy=off");
  EXPECT_EQ(headers[2].value, "<tel:+15551234>, <sip:+15551234@sbc.example.com>");
  EXPECT_EQ(headers[3].value, "<sip:bad@");      // unparseable: left alone
  EXPECT_EQ(headers[4].value, "sip:1@10.0.0.6"); // not an identity header
}

} // namespace
} // namespace gh::call
