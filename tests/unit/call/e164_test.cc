// Numbers toward Teams: E.164 with '+' and ;user=phone on the Request-URI, To and From; names,
// extensions and URIs that are not SIP stay as they are.

#include "call/e164.h"

#include <gtest/gtest.h>

namespace gh::call {
namespace {

TEST(E164, WhatCountsAsAPhoneNumber) {
  EXPECT_EQ(e164User("+14255550100"), "+14255550100");
  EXPECT_EQ(e164User("14255550100"), "+14255550100");
  EXPECT_EQ(e164User("+1-425-555-0100"), "+14255550100");
  EXPECT_EQ(e164User("+44(20)7946.0958"), "+442079460958");
  EXPECT_EQ(e164User("+1"), "+1");
  EXPECT_FALSE(e164User("4711"));           // an extension
  EXPECT_FALSE(e164User("1234567"));        // 7 digits without '+': not international
  EXPECT_FALSE(e164User("4255550100"));     // 10 digits: a North American number without its 1
  EXPECT_FALSE(e164User("02012345678"));    // a national trunk prefix
  EXPECT_FALSE(e164User("00442079460958")); // an international access prefix
  EXPECT_FALSE(e164User("alice"));
  EXPECT_FALSE(e164User("+1425555abc"));
  EXPECT_FALSE(e164User("1+4255550100"));
  EXPECT_FALSE(e164User("+1234567890123456")); // 16 digits: longer than E.164 allows
  EXPECT_FALSE(e164User(""));
}

TEST(E164, RequestUriGetsThePlusAndUserPhoneBeforeOtherParameters) {
  EXPECT_EQ(e164Uri("sip:14255550100@sip.pstnhub.microsoft.com:5061;transport=tls"),
            "sip:+14255550100@sip.pstnhub.microsoft.com:5061;user=phone;transport=tls");
  EXPECT_EQ(e164Uri("sip:+14255550100@sip.pstnhub.microsoft.com"),
            "sip:+14255550100@sip.pstnhub.microsoft.com;user=phone");
  EXPECT_EQ(e164Uri("sips:+14255550100@[2001:db8::1]:5061?Subject=x"),
            "sips:+14255550100@[2001:db8::1]:5061;user=phone?Subject=x");
  // A user= already there is kept as written.
  EXPECT_EQ(e164Uri("sip:+14255550100@h;USER=phone"), "sip:+14255550100@h;USER=phone");
  EXPECT_EQ(e164Uri("sip:alice@h;transport=tls"), "sip:alice@h;transport=tls");
  EXPECT_EQ(e164Uri("sip:4711@h"), "sip:4711@h");
  EXPECT_EQ(e164Uri("sip:h.example.com"), "sip:h.example.com");
  EXPECT_EQ(e164Uri("tel:+14255550100"), "tel:+14255550100");
}

TEST(E164, NameAddrsKeepTheirDisplayNameAndHeaderParameters) {
  EXPECT_EQ(e164NameAddr("\"Alice\" <sip:14255550100@sbc.example.com>"),
            "\"Alice\" <sip:+14255550100@sbc.example.com;user=phone>");
  EXPECT_EQ(e164NameAddr("sip:14255550100@sbc.example.com;x=1"),
            "<sip:+14255550100@sbc.example.com;user=phone>;x=1");
  EXPECT_EQ(e164NameAddr("<sip:alice@sbc.example.com>"), "<sip:alice@sbc.example.com>");
  EXPECT_EQ(e164NameAddr("sip:alice@sbc.example.com;x=1"), "sip:alice@sbc.example.com;x=1");
}

} // namespace
} // namespace gh::call
