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

} // namespace
} // namespace gh::call
