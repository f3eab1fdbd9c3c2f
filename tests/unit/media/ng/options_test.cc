// The seed's rtpengine_manage() flags, both as Kamailio's module sends them (dictionary keys, the
// corpus's 02/03 requests) and as raw flag strings/flag lists, decode to the same media requests.
#include <gtest/gtest.h>

#include "media/ng/bencode.h"
#include "media/ng/bencode_writer.h"
#include "media/ng/ng_frame.h"
#include "media/ng/ng_request.h"
#include "support/corpus.h"

namespace gh::media::ng {
namespace {

constexpr std::string_view kSeedOfferFlags =
    "SRTP DTLS=off replace-session-connection ICE=remove direction=internal direction=external";
constexpr std::string_view kSeedAnswerFlags =
    "RTP DTLS=off ICE=remove replace-session-connection direction=external direction=internal";

std::string payloadOf(const std::string& file) {
  static std::vector<std::string> keep; // views into the payload must outlive the test body
  keep.push_back(gh::test::readFile(gh::test::sharedPath("corpus/ng/examples/" + file)));
  auto frame = splitFrame(keep.back());
  return frame ? std::string(frame->payload) : std::string();
}

void expectSeedOfferPolicy(const SdpPolicy& p) {
  EXPECT_EQ(p.protocol, Protocol::RtpSavp);
  EXPECT_EQ(p.ice, IcePolicy::Remove);
  EXPECT_EQ(p.rtcp_mux, RtcpMuxPolicy::Keep);
  EXPECT_TRUE(p.dtls_off);
  EXPECT_TRUE(p.srtp_suites.empty());
  EXPECT_FALSE(p.replace_origin); // rtpengine leaves o= alone: the seed INVITE shows it
  EXPECT_TRUE(p.replace_session_connection);
}

void expectSeedAnswerPolicy(const SdpPolicy& p) {
  EXPECT_EQ(p.protocol, Protocol::RtpAvp);
  EXPECT_EQ(p.ice, IcePolicy::Remove);
  EXPECT_TRUE(p.dtls_off);
  EXPECT_FALSE(p.replace_origin);
}

TEST(OptionsTest, SeedOfferAsKamailioSendsIt) {
  const std::string payload = payloadOf("02-offer-seed.request.ng");
  auto doc = decodeBencode(payload);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(*decodeCommand(doc->root()), NgCommand::Offer);
  auto offer = decodeOffer(doc->root());
  ASSERT_TRUE(offer.has_value()) << offer.error().reason;
  EXPECT_EQ(offer->call_id, "c81d7600-5db10c85-9501-3402000a@10.0.2.52");
  EXPECT_EQ(offer->from_tag, "94213~3cc43a48-48ec-41b9-848c-fcefa428f2e7-21861219");
  EXPECT_TRUE(offer->sdp.starts_with("v=0\r\no=CiscoSystemsCCM-SIP 94213 1 IN IP4 10.0.2.52\r\n"));
  EXPECT_EQ(offer->from_interface, "internal");
  EXPECT_EQ(offer->to_interface, "external");
  ASSERT_TRUE(offer->received_from.has_value());
  EXPECT_EQ(offer->received_from->ip(), "10.0.0.6");
  expectSeedOfferPolicy(offer->policy);
}

TEST(OptionsTest, SeedAnswerAsKamailioSendsIt) {
  const std::string payload = payloadOf("03-answer-seed.request.ng");
  auto doc = decodeBencode(payload);
  ASSERT_TRUE(doc.has_value());
  auto answer = decodeAnswer(doc->root());
  ASSERT_TRUE(answer.has_value()) << answer.error().reason;
  EXPECT_EQ(answer->to_tag, "ee195713eb");
  EXPECT_TRUE(answer->sdp.find("a=crypto:1 AES_CM_128_HMAC_SHA1_80") != std::string::npos);
  expectSeedAnswerPolicy(answer->policy);
}

std::string request(std::string_view command, std::string_view flags_key, bool as_list,
                    std::string_view flags) {
  BencodeWriter w;
  w.beginDict().key("command").string(command);
  w.key("call-id").string("c1").key("from-tag").string("f1").key("to-tag").string("t1");
  w.key("sdp").string("v=0\r\n").key(flags_key);
  if (as_list) {
    w.beginList();
    std::size_t start = 0;
    while (start < flags.size()) {
      std::size_t space = flags.find(' ', start);
      if (space == std::string_view::npos)
        space = flags.size();
      w.string(flags.substr(start, space - start));
      start = space + 1;
    }
    w.end();
  } else {
    w.string(flags);
  }
  return w.end().take();
}

TEST(OptionsTest, SeedOfferAsRawFlagStringAndAsFlagList) {
  for (bool as_list : {false, true}) {
    SCOPED_TRACE(as_list ? "flags list" : "rtpp-flags string");
    const std::string msg =
        request("offer", as_list ? "flags" : "rtpp-flags", as_list, kSeedOfferFlags);
    auto doc = decodeBencode(msg);
    ASSERT_TRUE(doc.has_value());
    auto offer = decodeOffer(doc->root());
    ASSERT_TRUE(offer.has_value());
    EXPECT_EQ(offer->from_interface, "internal");
    EXPECT_EQ(offer->to_interface, "external");
    expectSeedOfferPolicy(offer->policy);
  }
}

TEST(OptionsTest, SeedAnswerAsRawFlagStringAndAsFlagList) {
  for (bool as_list : {false, true}) {
    const std::string msg =
        request("answer", as_list ? "flags" : "rtpp_flags", as_list, kSeedAnswerFlags);
    auto doc = decodeBencode(msg);
    ASSERT_TRUE(doc.has_value());
    auto answer = decodeAnswer(doc->root());
    ASSERT_TRUE(answer.has_value());
    expectSeedAnswerPolicy(answer->policy);
  }
}

NgOptions fromFlags(std::string_view flags) {
  NgOptions o;
  applyFlagString(flags, o);
  return o;
}

TEST(OptionsTest, TransportWordsCombineLikeKamailio) {
  EXPECT_EQ(toPolicy(fromFlags("SRTP")).protocol, Protocol::RtpSavp);
  EXPECT_EQ(toPolicy(fromFlags("SRTP AVPF")).protocol, Protocol::RtpSavpf);
  EXPECT_EQ(toPolicy(fromFlags("AVPF")).protocol, Protocol::RtpAvpf);
  EXPECT_EQ(toPolicy(fromFlags("RTP")).protocol, Protocol::RtpAvp);
  EXPECT_EQ(toPolicy(fromFlags("SRTP RTP")).protocol, Protocol::RtpAvp);
  EXPECT_EQ(toPolicy(fromFlags("RTP/SAVPF")).protocol, Protocol::RtpSavpf);
  EXPECT_EQ(toPolicy(fromFlags("trust-address")).protocol, Protocol::Keep);
  EXPECT_EQ(toPolicy(fromFlags("transport-protocol=accept")).protocol, Protocol::Keep);
}

TEST(OptionsTest, RtcpMuxSdesReplaceAndIgnoredFlags) {
  EXPECT_EQ(toPolicy(fromFlags("rtcp-mux-demux")).rtcp_mux, RtcpMuxPolicy::Strip);
  EXPECT_EQ(toPolicy(fromFlags("rtcp-mux-reject")).rtcp_mux, RtcpMuxPolicy::Strip);
  EXPECT_EQ(toPolicy(fromFlags("rtcp-mux-offer")).rtcp_mux, RtcpMuxPolicy::Offer);
  EXPECT_EQ(toPolicy(fromFlags("rtcp-mux-require")).rtcp_mux, RtcpMuxPolicy::Require);
  EXPECT_EQ(toPolicy(fromFlags("rtcp-mux-accept")).rtcp_mux, RtcpMuxPolicy::Keep);

  EXPECT_EQ(toPolicy(fromFlags("SDES-only-AES_CM_128_HMAC_SHA1_32")).srtp_suites,
            std::vector<std::string>{"AES_CM_128_HMAC_SHA1_32"});
  auto without = toPolicy(fromFlags("SDES-no-AES_CM_128_HMAC_SHA1_32")).srtp_suites;
  EXPECT_EQ(without.front(), "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(std::count(without.begin(), without.end(), "AES_CM_128_HMAC_SHA1_32"), 0);

  EXPECT_TRUE(toPolicy(fromFlags("replace-origin")).replace_origin);
  EXPECT_TRUE(fromFlags("SDES-off").sdes_off);
  EXPECT_EQ(toPolicy(fromFlags("ICE=force")).ice, IcePolicy::Keep);

  NgOptions o = fromFlags("  trust-address symmetric asymmetric strict-source loop-protect "
                          "record-call no-rtcp-attribute fatal  ");
  EXPECT_TRUE(o.fatal);
  EXPECT_EQ(o.ignored.size(), 7u);
  EXPECT_EQ(toPolicy(o).protocol, Protocol::Keep);
}

TEST(OptionsTest, KeysWithSpacesAndListValues) {
  auto doc = decodeBencode("d7:call-id1:c8:from-tag1:f3:sdp0:18:transport protocol9:RTP/SAVPF"
                           "3:ICEl6:removee4:SDESl21:only-AEAD_AES_128_GCMe8:rtcp-muxl5:demuxe"
                           "7:replacel6:origine14:from-interface1:a12:to-interface1:b"
                           "5:codecd5:stripl3:alle5:offerl4:PCMUee7:unknowni1ee");
  ASSERT_TRUE(doc.has_value()) << doc.error().what << " " << doc.error().offset;
  auto offer = decodeOffer(doc->root());
  ASSERT_TRUE(offer.has_value()) << offer.error().reason;
  EXPECT_EQ(offer->policy.protocol, Protocol::RtpSavpf);
  EXPECT_EQ(offer->policy.ice, IcePolicy::Remove);
  EXPECT_EQ(offer->policy.srtp_suites, std::vector<std::string>{"AEAD_AES_128_GCM"});
  EXPECT_EQ(offer->policy.rtcp_mux, RtcpMuxPolicy::Strip);
  EXPECT_TRUE(offer->policy.replace_origin);
  EXPECT_EQ(offer->policy.codecs_keep, std::vector<std::string>{"PCMU"});
  EXPECT_EQ(offer->from_interface, "a");
  EXPECT_EQ(offer->to_interface, "b");
}

TEST(OptionsTest, MissingKeysGiveRtpengineReasons) {
  auto reason = [](std::string_view msg, auto decode) {
    auto doc = decodeBencode(msg);
    EXPECT_TRUE(doc.has_value());
    auto r = decode(doc->root());
    return r ? std::string("ok") : r.error().reason;
  };
  EXPECT_EQ(reason("d3:sdp0:8:from-tag1:fe", decodeOffer), "No call-id in message");
  EXPECT_EQ(reason("d7:call-id1:c8:from-tag1:fe", decodeOffer), "No SDP body in message");
  EXPECT_EQ(reason("d7:call-id1:c3:sdp0:e", decodeOffer), "No from-tag in message");
  EXPECT_EQ(reason("d7:call-id1:c8:from-tag1:f3:sdp0:e", decodeAnswer), "No to-tag in message");
  EXPECT_EQ(reason("d7:call-idi5e8:from-tag1:f3:sdp0:e", decodeOffer), "No call-id in message");
  EXPECT_EQ(reason("de", decodeDelete), "No call-id in message");
  EXPECT_EQ(reason("d7:call-id1:ce", decodeQuery), "ok");
}

TEST(OptionsTest, CommandNames) {
  for (std::size_t i = 0; i < kCommandCount; ++i) {
    auto c = static_cast<NgCommand>(i);
    EXPECT_EQ(commandFromName(commandName(c)), c);
  }
  EXPECT_FALSE(commandFromName("Offer").has_value());
}

} // namespace
} // namespace gh::media::ng
