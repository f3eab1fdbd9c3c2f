// The pieces the demo's simulated peers judge Gatehouse with: if they misread SDP or keys, the
// demo would pass or fail for the wrong reason.
#include <gtest/gtest.h>

#include "app/demo/demo_config.h"
#include "app/demo/ladder.h"
#include "app/demo/media_leg.h"
#include "app/demo/sdp_probe.h"

namespace gh::app::demo {
namespace {

constexpr std::string_view kSeedAnswer =
    "v=0\r\n"
    "o=- 0 0 IN IP4 10.0.0.1\r\n"
    "s=session\r\n"
    "c=IN IP4 10.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 30000 RTP/SAVP 0 101\r\n"
    "c=IN IP4 52.112.1.2\r\n"
    "a=rtcp:30001\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_80 "
    "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^31|1:1\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^31\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

TEST(DemoSdpProbe, ReadsMediaLevelConnectionProtocolAndEveryCryptoLine) {
  auto sdp = probeSdp(kSeedAnswer);
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->connection_ip, "52.112.1.2");
  EXPECT_EQ(sdp->audio_port, 30000);
  EXPECT_EQ(sdp->audio_protocol, "RTP/SAVP");
  EXPECT_EQ(sdp->audio_formats, "0 101");
  EXPECT_EQ(sdp->crypto.size(), 2u);
  EXPECT_FALSE(sdp->rtcp_mux);
  EXPECT_TRUE(sdp->ice_lines.empty());
}

TEST(DemoSdpProbe, SeesRtcpMuxAndEveryKindOfIceLine) {
  auto sdp = probeSdp("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\n"
                      "a=ice-ufrag:x\r\na=candidate:1 1 UDP 1 1.2.3.4 4000 typ host\r\n"
                      "a=remote-candidates:1 1.2.3.4 4000\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->rtcp_mux);
  EXPECT_EQ(sdp->ice_lines.size(), 3u);
}

TEST(DemoSdpProbe, RefusesSdpWithoutAudioOrAddress) {
  EXPECT_FALSE(probeSdp("v=0\r\nc=IN IP4 1.2.3.4\r\nm=video 4000 RTP/AVP 96\r\n"));
  EXPECT_FALSE(probeSdp("v=0\r\nm=audio 4000 RTP/AVP 0\r\n"));
  EXPECT_FALSE(probeSdp(""));
}

TEST(DemoCrypto, RoundTripsAKeyAndIgnoresLifetimeAndMki) {
  SdesKey key = randomSdesKey();
  ASSERT_EQ(key.key_salt.size(), 30u);
  std::string line = cryptoAttribute(key); // "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:..."
  auto parsed = parseCryptoAttribute(line.substr(7) + "|2^31|1:1");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(parsed->key_salt, key.key_salt);
}

TEST(DemoCrypto, RefusesMalformedKeyParameters) {
  EXPECT_FALSE(parseCryptoAttribute("1 AES_CM_128_HMAC_SHA1_80"));
  EXPECT_FALSE(parseCryptoAttribute("1 AES_CM_128_HMAC_SHA1_80 uri:x"));
  EXPECT_FALSE(parseCryptoAttribute("1 AES_CM_128_HMAC_SHA1_80 inline:abc"));
}

TEST(DemoMediaLeg, SrtpCarriesThePatternBothWaysAndAWrongKeyFailsAuthentication) {
  std::string why;
  auto a = MediaLeg::open("127.0.0.1", kPbxSsrc, why);
  auto b = MediaLeg::open("127.0.0.1", kMicrosoftSsrc, why);
  ASSERT_TRUE(a && b) << why;
  SdesKey ka = randomSdesKey(), kb = randomSdesKey();
  ASSERT_TRUE(a->useSrtp(ka, kb, why)) << why;
  ASSERT_TRUE(b->useSrtp(kb, ka, why)) << why;
  uint16_t port_b = b->port();
  // b answers from its own thread while a runs; both send 5 packets.
  MediaFigures fb;
  std::thread tb([&] {
    fb = b->exchange("127.0.0.1", a->port(), kPbxSsrc, 5, std::chrono::milliseconds(500));
  });
  MediaFigures fa =
      a->exchange("127.0.0.1", port_b, kMicrosoftSsrc, 5, std::chrono::milliseconds(500));
  tb.join();
  EXPECT_EQ(fa.sent, 5u);
  EXPECT_EQ(fa.payload_intact, 5u);
  EXPECT_EQ(fb.payload_intact, 5u);
  EXPECT_EQ(fa.auth_failures + fb.auth_failures, 0u);

  auto c = MediaLeg::open("127.0.0.1", kMicrosoftSsrc, why);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->useSrtp(randomSdesKey(), ka, why)); // not the key a expects
  MediaFigures fc;
  std::thread tc([&] {
    fc = c->exchange("127.0.0.1", a->port(), kPbxSsrc, 3, std::chrono::milliseconds(300));
  });
  MediaFigures fa2 =
      a->exchange("127.0.0.1", c->port(), kMicrosoftSsrc, 3, std::chrono::milliseconds(300));
  tc.join();
  EXPECT_EQ(fa2.auth_failures, 3u);
  EXPECT_EQ(fa2.payload_intact, 0u);
}

TEST(DemoConfig, EveryBreakChangesTheConfigAndHasItsAnswer) {
  DemoTopology topology;
  std::string good = demoConfigText(topology, "/tmp/x.sock");
  for (const BreakInfo& b : demoBreaks()) {
    EXPECT_NE(demoConfigText(topology, "/tmp/x.sock", b.what), good) << b.name;
    EXPECT_EQ(b.answer, b.rule == 1 ? 403 : 488) << b.name;
    EXPECT_EQ(findDemoBreak(b.name), &b);
  }
  EXPECT_EQ(findDemoBreak("nonsense"), nullptr);
}

TEST(DemoLadder, DrawsArrowsTowardTheReceiver) {
  Ladder ladder;
  ladder.add(Party::Pbx, Party::Gatehouse, "INVITE", "note");
  ladder.add(Party::Microsoft, Party::Gatehouse, "488 Not Acceptable Here");
  std::string text = ladder.render("CUCM", "Exchange UM");
  EXPECT_NE(text.find("|-- INVITE "), std::string::npos) << text;
  EXPECT_NE(text.find("->|"), std::string::npos) << text;
  EXPECT_NE(text.find("|<- 488 Not Acceptable"), std::string::npos) << text;
  EXPECT_NE(text.find("note"), std::string::npos);
}

} // namespace
} // namespace gh::app::demo
