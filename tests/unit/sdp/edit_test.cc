#include "sdp/edit.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

#include "sdp/base64.h"
#include "sdp/ice.h"
#include "sdp/session_description.h"
#include "sdp/writer.h"
#include "sdp_test_util.h"

namespace gh::sdp {
namespace {

using testing::readCorpus;
using testing::sipBody;

SessionDescription parseOk(std::string_view text) {
  auto sdp = parse(text);
  EXPECT_TRUE(sdp) << (sdp ? "" : sdp.error().what);
  if (!sdp) {
    return std::move(*parse("v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\n"));
  }
  return std::move(*sdp);
}

constexpr std::string_view kOffer = "v=0\r\n"
                                    "o=alice 2890844526 2890844526 IN IP4 198.51.100.1\r\n"
                                    "s=-\r\n"
                                    "c=IN IP4 198.51.100.1\r\n"
                                    "t=0 0\r\n"
                                    "a=ice-ufrag:8hhY\r\n"
                                    "a=fingerprint:sha-1 4A:AD\r\n"
                                    "m=audio 49170 RTP/AVP 0 8 101\r\n"
                                    "a=rtpmap:0 PCMU/8000\r\n"
                                    "a=sendonly\r\n"
                                    "a=rtcp-mux\r\n"
                                    "a=setup:actpass\r\n"
                                    "a=candidate:1 1 UDP 2130706431 198.51.100.1 49170 typ host\r\n"
                                    "a=end-of-candidates\r\n"
                                    "m=video 0 RTP/AVP 31\r\n"
                                    "i=rejected video\r\n"
                                    "a=inactive\r\n";

TEST(SdpEditTest, UnchangedEditIsVerbatim) {
  SessionDescription sdp = parseOk(kOffer);
  SdpEdit edit(sdp);
  EXPECT_EQ(edit.toString(), kOffer);
  EXPECT_EQ(edit.mediaCount(), 2u);
  EXPECT_EQ(edit.media(0).port(), 49170);
  EXPECT_EQ(edit.media(1).proto(), "RTP/AVP");
}

TEST(SdpEditTest, RemovesIceToMatchTheSbcStripCorpus) {
  for (const auto& [input, expected] :
       {std::pair{"sdp/rfc8839/sec4.2.6-example.sdp",
                  "sdp/sbc-strip/rfc8839-4.2.6.ice-removed.sdp"},
        std::pair{"sdp/rfc8839/appA-offer.sdp",
                  "sdp/sbc-strip/rfc8839-appA-offer.ice-removed.sdp"}}) {
    SessionDescription sdp = parseOk(readCorpus(input));
    SdpEdit edit(sdp);
    EXPECT_EQ(edit.removeIce(), 6u) << input;
    EXPECT_EQ(edit.toString(), readCorpus(expected)) << input;
  }
}

TEST(SdpEditTest, RemovesRtcpMuxToMatchTheSbcStripCorpus) {
  SessionDescription sdp = parseOk(readCorpus("sdp/rfc5761/sec5.1.1-offer.sdp"));
  SdpEdit edit(sdp);
  EXPECT_EQ(edit.removeRtcpMux(), 1u);
  EXPECT_EQ(edit.toString(), readCorpus("sdp/sbc-strip/rfc5761-5.1.1.rtcp-mux-removed.sdp"));
}

// The seed call: the PBX offer (RTP/AVP, no crypto) leaves the SBC towards Office 365 as an
// RTP/SAVP offer on the SBC's address with a=rtcp, a=crypto and a=sendrecv, exactly as the
// captured INVITE shows.
TEST(SdpEditTest, RewritesThePbxOfferIntoTheSeedSrtpOffer) {
  SessionDescription pbx = parseOk(sipBody(readCorpus("seed/pbx-invite.RECONSTRUCTED.sip")));
  const std::string expected = sipBody(readCorpus("seed/seed-invite.sip"));
  std::array<uint8_t, 30> key_salt{};
  auto n = base64Decode("Rt5s9b1WdrBKIoygx4q3Tx8Zog/+Qt1/UTEmxr9x", key_salt);
  ASSERT_TRUE(n);
  ASSERT_EQ(*n, 30u);

  SdpEdit edit(pbx);
  edit.rewriteConnections("IP4", "25.25.25.5");
  edit.removeIce();
  edit.removeRtcpMux();
  edit.removeDtls();
  MediaEdit& audio = edit.media(0);
  audio.setPort(31182);
  audio.setProto("RTP/SAVP");
  audio.setDirection(Direction::SendRecv);
  audio.setAttribute(attr::kRtcp, "31183");
  audio.removeCrypto();
  audio.addCrypto({.tag = 1, .suite = kAesCm128HmacSha1_80, .key_salt = key_salt});
  const std::string out = edit.toString();
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.size(), 319u); // the captured Content-Length
  EXPECT_EQ(sipBody(readCorpus("seed/seed-invite.normalized.sip")), out);

  auto reparsed = parse(out);
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(reparsed->media()[0].line.proto, "RTP/SAVP");
  EXPECT_EQ(reparsed->media()[0].formats, (std::vector<std::string_view>{"0", "101"}));
}

// The other direction: Office 365's SRTP answer goes back to the PBX as plain RTP.
TEST(SdpEditTest, RewritesTheSeedSrtpAnswerIntoPlainRtp) {
  SessionDescription answer = parseOk(sipBody(readCorpus("seed/seed-200ok.sip")));
  SdpEdit edit(answer);
  edit.setOriginAddress("IP4", "10.0.0.6");
  edit.rewriteConnections("IP4", "10.0.0.6");
  MediaEdit& audio = edit.media(0);
  audio.setPort(24600);
  audio.setProto("RTP/AVP");
  EXPECT_EQ(audio.removeCrypto(), 1u);
  EXPECT_EQ(edit.toString(), "v=0\r\n"
                             "o=- 85 0 IN IP4 10.0.0.6\r\n"
                             "s=session\r\n"
                             "c=IN IP4 10.0.0.6\r\n"
                             "b=CT:10000000\r\n"
                             "t=0 0\r\n"
                             "m=audio 24600 RTP/AVP 0 101\r\n"
                             "c=IN IP4 10.0.0.6\r\n"
                             "a=label:main-audio\r\n"
                             "a=sendrecv\r\n"
                             "a=rtpmap:0 PCMU/8000\r\n"
                             "a=rtpmap:101 telephone-event/8000\r\n"
                             "a=fmtp:101 0-16,36\r\n"
                             "a=ptime:20\r\n");
}

TEST(SdpEditTest, OriginAddressAndVersion) {
  SessionDescription sdp = parseOk(kOffer);
  SdpEdit edit(sdp);
  edit.setOriginVersion(2890844527);
  edit.setOriginAddress("IP6", "2001:db8::5");
  std::string expected(kOffer);
  const std::string_view old_origin = "o=alice 2890844526 2890844526 IN IP4 198.51.100.1";
  expected.replace(expected.find(old_origin), old_origin.size(),
                   "o=alice 2890844526 2890844527 IN IP6 2001:db8::5");
  EXPECT_EQ(edit.toString(), expected);
}

TEST(SdpEditTest, StripHelpersAndDirection) {
  SessionDescription sdp = parseOk(kOffer);
  SdpEdit edit(sdp);
  EXPECT_EQ(edit.removeIce(), 3u);
  EXPECT_EQ(edit.removeRtcpMux(), 1u);
  EXPECT_EQ(edit.removeDtls(), 2u);
  edit.media(0).setDirection(Direction::RecvOnly);
  edit.media(1).reject();
  EXPECT_EQ(edit.toString(), "v=0\r\n"
                             "o=alice 2890844526 2890844526 IN IP4 198.51.100.1\r\n"
                             "s=-\r\n"
                             "c=IN IP4 198.51.100.1\r\n"
                             "t=0 0\r\n"
                             "m=audio 49170 RTP/AVP 0 8 101\r\n"
                             "a=rtpmap:0 PCMU/8000\r\n"
                             "a=recvonly\r\n"
                             "m=video 0 RTP/AVP 31\r\n"
                             "i=rejected video\r\n"
                             "a=inactive\r\n");
}

TEST(SdpEditTest, SetDirectionLeavesExactlyOne) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                                   "m=audio 1 RTP/AVP 0\r\na=sendonly\r\na=x\r\na=inactive\r\n"
                                   "m=audio 2 RTP/AVP 0\r\na=y\r\n");
  SdpEdit edit(sdp);
  EXPECT_EQ(edit.media(0).direction(), Direction::SendOnly);
  EXPECT_FALSE(edit.media(1).direction());
  edit.media(0).setDirection(Direction::SendRecv);
  edit.media(1).setDirection(Direction::Inactive);
  edit.session().setDirection(Direction::SendOnly);
  EXPECT_EQ(edit.toString(), "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=sendonly\r\n"
                             "m=audio 1 RTP/AVP 0\r\na=sendrecv\r\na=x\r\n"
                             "m=audio 2 RTP/AVP 0\r\na=y\r\na=inactive\r\n");
}

TEST(SdpEditTest, ConnectionInsertedWhereRfc8866PutsIt) {
  SessionDescription sdp =
      parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\ni=info\r\nb=AS:64\r\nt=0 0\r\n"
              "m=audio 1 RTP/AVP 0\r\ni=media info\r\nb=AS:32\r\na=x\r\n"
              "m=audio 2 RTP/AVP 0\r\n");
  SdpEdit edit(sdp);
  edit.session().setConnection("IP4", "192.0.2.9");
  edit.media(0).setConnection("IP6", "2001:db8::9");
  edit.media(1).setConnection("IP4", "192.0.2.10");
  EXPECT_EQ(edit.toString(), "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\ni=info\r\nc=IN IP4 192.0.2.9\r\n"
                             "b=AS:64\r\nt=0 0\r\n"
                             "m=audio 1 RTP/AVP 0\r\ni=media info\r\nc=IN IP6 2001:db8::9\r\n"
                             "b=AS:32\r\na=x\r\n"
                             "m=audio 2 RTP/AVP 0\r\nc=IN IP4 192.0.2.10\r\n");
}

TEST(SdpEditTest, RewriteConnectionsWithMediaLevelAddresses) {
  // RFC 5118 section 4.5: no session c=, one IPv4 and one IPv6 media c=.
  SessionDescription sdp = parseOk(sipBody(readCorpus("rfc5118/mult-ip-in-sdp.sip")));
  SdpEdit edit(sdp);
  edit.rewriteConnections("IP4", "203.0.113.7");
  EXPECT_EQ(edit.toString(), "v=0\r\n"
                             "o=bob 280744730 28977631 IN IP4 host.example.com\r\n"
                             "s=\r\n"
                             "t=0 0\r\n"
                             "m=audio 22334 RTP/AVP 0\r\n"
                             "c=IN IP4 203.0.113.7\r\n"
                             "m=video 6024 RTP/AVP 107\r\n"
                             "c=IN IP4 203.0.113.7\r\n"
                             "a=rtpmap:107 H263-1998/90000\r\n");
}

TEST(SdpEditTest, RewriteConnectionsAddsSessionAddressWhenAMediaHasNone) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                                   "m=audio 1 RTP/AVP 0\r\nc=IN IP4 a\r\nc=IN IP4 b\r\n"
                                   "m=audio 2 RTP/AVP 0\r\n");
  SdpEdit edit(sdp);
  edit.rewriteConnections("IP4", "192.0.2.1");
  EXPECT_EQ(edit.toString(), "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                             "m=audio 1 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n"
                             "m=audio 2 RTP/AVP 0\r\n");
}

TEST(SdpEditTest, AttributeOperations) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                                   "m=audio 1/2 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n"
                                   "a=rtpmap:8 PCMA/8000\r\na=rtcp:2\r\na=RTCP:9\r\na=ptime:20\r\n"
                                   "a=x-custom:1\r\n");
  SdpEdit edit(sdp);
  MediaEdit& m = edit.media(0);
  EXPECT_EQ(m.portCount(), 2);
  EXPECT_TRUE(m.hasAttribute("rtcp"));
  EXPECT_EQ(m.attributeCount("rtcp"), 2u);
  EXPECT_EQ(m.attributeValue("rtpmap"), "0 PCMU/8000");
  EXPECT_EQ(m.attributes().size(), 6u);
  EXPECT_EQ(m.replaceAttributeValues("ptime", "30"), 1u);
  m.setAttribute("rtcp", "40001");
  EXPECT_EQ(m.removeAttributesIf([](const AttributeView& a) {
    return a.name == "rtpmap" && a.value.starts_with("8 ");
  }),
            1u);
  EXPECT_EQ(m.removeAttributes("x-CUSTOM"), 1u);
  EXPECT_EQ(m.removeAttributes("absent"), 0u);
  m.addAttribute("maxptime", "60");
  m.addAttribute("rtcp-mux");
  m.setPort(40000);
  EXPECT_EQ(edit.toString(), "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                             "m=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n"
                             "a=rtcp:40001\r\na=ptime:30\r\na=maxptime:60\r\na=rtcp-mux\r\n");
  m.setPort(40000, 2);
  EXPECT_NE(edit.toString().find("\r\nm=audio 40000/2 RTP/AVP 0 8\r\n"), std::string::npos);
}

TEST(SdpEditTest, RemoveLinesKeepsTheStructuralOnes) {
  SessionDescription sdp = parseOk(readCorpus("sdp/rfc8839/sec4.2.6-example.sdp"));
  SdpEdit edit(sdp);
  EXPECT_EQ(edit.media(0).removeLines('b'), 2u);
  EXPECT_EQ(edit.media(0).removeLines('m'), 0u);
  EXPECT_EQ(edit.session().removeLines('o'), 0u);
  EXPECT_EQ(edit.session().removeLines('v'), 0u);
  edit.removeIce();
  EXPECT_EQ(edit.toString(), "v=0\r\no=jdoe 2890844526 2890842807 IN IP4 203.0.113.141\r\ns=\r\n"
                             "c=IN IP4 192.0.2.3\r\nt=0 0\r\nm=audio 45664 RTP/AVP 0\r\n"
                             "a=rtpmap:0 PCMU/8000\r\n");
}

TEST(SdpEditTest, SwapsCryptoLines) {
  SessionDescription sdp = parseOk(readCorpus("sdp/rfc4568/sec7.1.5-offer.sdp"));
  SdpEdit edit(sdp);
  std::array<uint8_t, 30> key{};
  key.fill(0xab);
  EXPECT_EQ(edit.media(0).removeCrypto(), 2u);
  edit.media(0).addCrypto({.tag = 1, .key_salt = key});
  const std::string out = edit.toString();
  const std::string expected_tail =
      "m=audio 49170 RTP/SAVP 0\r\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:q6urq6urq6urq6urq6urq6urq6urq6urq6urq6ur\r\n";
  ASSERT_GE(out.size(), expected_tail.size());
  EXPECT_EQ(out.substr(out.size() - expected_tail.size()), expected_tail);
  auto reparsed = parse(out);
  ASSERT_TRUE(reparsed);
  auto crypto = parseAttribute(reparsed->media()[0].attributes[0], parseCrypto);
  ASSERT_TRUE(crypto);
  EXPECT_EQ(crypto->keys[0].keySalt()[29], 0xab);
}

TEST(SdpEditTest, NewLinesFollowTheBodyLineEnd) {
  SessionDescription sdp = parseOk("v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\na=x");
  SdpEdit edit(sdp);
  edit.media(0).addAttribute("sendonly");
  edit.session().setConnection("IP4", "192.0.2.1");
  EXPECT_EQ(edit.toString(), "v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
                             "m=audio 1 RTP/AVP 0\na=x\na=sendonly\n");
  EXPECT_TRUE(parse(edit.toString()));
}

TEST(SdpEditTest, KeepsTheTrailer) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n\r\n");
  SdpEdit edit(sdp);
  edit.session().addAttribute("recvonly");
  EXPECT_EQ(edit.toString(), "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=recvonly\r\n\r\n");
}

TEST(SdpEditTest, IceStripAtEveryLevelOfAWebRtcStyleOffer) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"
                                   "a=ice-options:trickle\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                                   "c=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n"
                                   "a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaa\r\na=ICE-MISMATCH\r\n"
                                   "a=remote-candidates:1 192.0.2.3 45664\r\n"
                                   "a=ice-pacing:50\r\na=end-of-candidates\r\n"
                                   "a=fingerprint:sha-1 4A:AD\r\na=setup:actpass\r\na=tls-id:1\r\n"
                                   "a=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n");
  SdpEdit edit(sdp);
  EXPECT_EQ(edit.removeIce(), 8u);
  EXPECT_EQ(edit.removeDtls(), 3u);
  EXPECT_EQ(edit.removeRtcpMux(), 1u);
  edit.media(0).setProto("RTP/SAVP");
  edit.media(0).setPort(30000);
  edit.media(0).setAttribute(attr::kRtcp, "30001");
  EXPECT_EQ(edit.toString(), "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"
                             "m=audio 30000 RTP/SAVP 111\r\nc=IN IP4 0.0.0.0\r\n"
                             "a=rtpmap:111 opus/48000/2\r\na=rtcp:30001\r\n");
}

TEST(SdpEditTest, NeverEmitsAnInjectedLine) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n");
  SdpEdit edit(sdp);
#ifdef NDEBUG
  edit.session().addAttribute("x", "a\r\nm=audio 1 RTP/AVP 0");
  EXPECT_EQ(edit.toString(),
            "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=x:a  m=audio 1 RTP/AVP 0\r\n");
#else
  EXPECT_DEATH(edit.session().addAttribute("x", "a\r\nm=audio 1 RTP/AVP 0"), "");
#endif
}

} // namespace
} // namespace gh::sdp
