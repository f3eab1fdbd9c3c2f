// Extraction, SDES choices, o= keeping and the text helpers, one behaviour per test.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "media/sdp_rewrite/codec_filter.h"
#include "media/sdp_rewrite/crypto_choice.h"
#include "media/sdp_rewrite/origin_keeper.h"
#include "media/sdp_rewrite/sdp_info.h"
#include "media/sdp_rewrite/sdp_rewriter.h"
#include "media/sdp_rewrite/sdp_text.h"
#include "unit/media/sdp_rewrite/rewrite_test_util.h"

namespace gh::media {
namespace {

using testing::parseFixture;
using testing::PinnedKeys;

const CryptoSupport kSupport{.suites = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"},
                             .allow_mki = false};

LocalMedia localAt(std::string_view ip, uint16_t port) {
  LocalMedia l;
  l.rtp = *net::Endpoint::fromIp(ip, port);
  l.rtcp_port = static_cast<uint16_t>(port + 1);
  return l;
}

TEST(ExtractSdpInfo, SeedAnswerGivesEndpointKeyAndRtcpPortPlusOne) {
  auto p = parseFixture("seed-ms-answer.sdp");
  ASSERT_EQ(p.info.media.size(), 1u);
  const MediaInfo& m = p.info.media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.proto, "RTP/SAVP");
  EXPECT_TRUE(m.isSrtp());
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "101"}));
  ASSERT_TRUE(m.rtp);
  EXPECT_EQ(m.rtp->toString(), "207.46.198.124:54532");
  EXPECT_EQ(m.rtcpTarget()->toString(), "207.46.198.124:54533");
  ASSERT_EQ(m.crypto.size(), 1u);
  EXPECT_EQ(m.crypto[0].tag, 1u);
  EXPECT_EQ(m.crypto[0].suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(m.crypto[0].key_salt.size(), 30u);
  EXPECT_FALSE(m.ice);
  EXPECT_FALSE(m.rtcp_mux);
  EXPECT_FALSE(m.onHold());
  EXPECT_EQ(p.info.origin_session_id, "85");
}

TEST(ExtractSdpInfo, RtcpAttributeAndMux) {
  auto p = parseFixture("ms-offer-ice.sdp");
  const MediaInfo& m = p.info.media[0];
  EXPECT_EQ(m.rtcp_port, 49153);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_TRUE(m.ice);
  EXPECT_EQ(m.rtcpTarget()->toString(), "52.112.10.20:49152"); // muxed: the RTP port
  ASSERT_EQ(m.crypto.size(), 2u);
  EXPECT_TRUE(m.crypto[0].has_mki);
  EXPECT_FALSE(m.crypto[1].has_mki);
  EXPECT_EQ(m.crypto[1].lifetime, uint64_t{1} << 31);
}

TEST(ExtractSdpInfo, WebRtcTakesTheCandidateAndIsNotHeld) {
  auto p = parseFixture("webrtc-offer.sdp");
  ASSERT_EQ(p.info.media.size(), 2u);
  const MediaInfo& audio = p.info.media[0];
  EXPECT_TRUE(audio.dtls);
  EXPECT_EQ(audio.setup, sdp::Setup::ActPass);
  EXPECT_FALSE(audio.black_holed);
  EXPECT_FALSE(audio.onHold());
  ASSERT_TRUE(audio.rtp);
  EXPECT_EQ(audio.rtp->toString(), "198.51.100.7:50123");
  EXPECT_TRUE(audio.isSrtp());
  EXPECT_TRUE(audio.isFeedback());
  EXPECT_FALSE(p.info.media[1].rtp); // no candidate for video: wait for its first packet
}

TEST(ExtractSdpInfo, HoldBySendonlyAndByZeroAddress) {
  auto sendonly = parseFixture("corpus:rfc4317/3.1-answer.sdp");
  EXPECT_EQ(sendonly.info.media[0].direction, sdp::Direction::SendOnly);
  EXPECT_TRUE(sendonly.info.media[0].onHold());

  auto zero = parseFixture("corpus:rfc4317/5.2-offer.sdp");
  EXPECT_TRUE(zero.info.media[0].black_holed);
  EXPECT_TRUE(zero.info.media[0].onHold());
  EXPECT_FALSE(zero.info.media[0].rtp);
}

TEST(ExtractSdpInfo, RejectedAndNonRtpLines) {
  auto p = parseFixture("corpus:rfc4317/2.2-answer.sdp");
  ASSERT_EQ(p.info.media.size(), 2u);
  EXPECT_TRUE(p.info.media[1].rejected());
  EXPECT_FALSE(p.info.media[1].rtp);

  auto q = parseFixture("corpus:rfc4568/sec4.5-example.sdp");
  ASSERT_EQ(q.info.media.size(), 3u);
  EXPECT_FALSE(q.info.media[2].isRtp()); // m=application ... udp wb
  EXPECT_EQ(q.info.media[1].crypto[0].suite, "AES_CM_128_HMAC_SHA1_32");
}

TEST(ExtractSdpInfo, HostNamesGiveNoEndpoint) {
  auto p = parseFixture("corpus:rfc4317/2.1-offer.sdp");
  EXPECT_EQ(p.info.media[0].address, "host.atlanta.example.com");
  EXPECT_FALSE(p.info.media[0].rtp);
}

TEST(CryptoChoice, SkipsMkiLinesAndPicksTheFirstUsable) {
  auto p = parseFixture("ms-offer-ice.sdp");
  auto pick = chooseCrypto(p.info.media[0].crypto, kSupport);
  ASSERT_TRUE(pick);
  EXPECT_EQ(p.info.media[0].crypto[*pick].tag, 3u);
}

TEST(CryptoChoice, Rfc4568OfferNeedsMkiForTag1AndF8IsNeverAccepted) {
  auto p = parseFixture("corpus:rfc4568/sec7.1.5-offer.sdp");
  const auto& offered = p.info.media[0].crypto;
  EXPECT_FALSE(chooseCrypto(offered, kSupport));
  CryptoSupport with_mki = kSupport;
  with_mki.allow_mki = true;
  auto pick = chooseCrypto(offered, with_mki);
  ASSERT_TRUE(pick);
  EXPECT_EQ(offered[*pick].tag, 1u); // FEC_ORDER=FEC_SRTP is the default order: acceptable
}

TEST(CryptoChoice, UnknownSessionParameterRefused) {
  CryptoOffer o{.tag = 1,
                .suite = "AES_CM_128_HMAC_SHA1_80",
                .key_salt = std::vector<uint8_t>(30),
                .lifetime = {},
                .has_mki = false,
                .key_count = 1,
                .session_params = "UNENCRYPTED_SRTP"};
  EXPECT_FALSE(cryptoAcceptable(o, kSupport));
  o.session_params = "WSH=128";
  EXPECT_TRUE(cryptoAcceptable(o, kSupport));
  o.suite = "AEAD_AES_256_GCM";
  EXPECT_FALSE(cryptoAcceptable(o, kSupport));
}

TEST(CryptoChoice, OfferHasOneLinePerSuiteWithTagsFromOne) {
  PinnedKeys keys;
  std::vector<std::string> suites{"AES_CM_128_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_80"};
  auto offer = makeCryptoOffer(suites, keys.source());
  ASSERT_TRUE(offer);
  ASSERT_EQ(offer->size(), 2u);
  EXPECT_EQ((*offer)[0].tag, 1u);
  EXPECT_EQ((*offer)[1].tag, 2u);
  EXPECT_EQ((*offer)[0].key_salt.size(), 30u);
  EXPECT_EQ((*offer)[1].key_salt.size(), 46u);
  auto none = makeCryptoOffer({}, keys.source());
  ASSERT_TRUE(none);
  EXPECT_EQ(none->at(0).suite, kDefaultSrtpSuite);
}

TEST(CryptoChoice, FailingKeySourceFails) {
  KeySource broken = [](std::string_view, std::span<uint8_t>) { return false; };
  EXPECT_FALSE(makeCryptoOffer({}, broken));
  std::vector<std::string> unknown{"NOT_A_SUITE"};
  PinnedKeys keys;
  EXPECT_FALSE(makeCryptoOffer(unknown, keys.source()));
}

TEST(OriginKeeper, SameSdpSameVersionChangedSdpNextVersion) {
  OriginKeeper keeper;
  std::string first = "v=0\r\no=alice 100 7 IN IP4 10.0.0.5\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n";
  EXPECT_EQ(keeper.apply(first), first);
  EXPECT_EQ(keeper.apply(first), first); // RFC 3264 §8: unchanged keeps its version
  // The upstream moved to another session id and version: downstream sees only +1.
  std::string changed = "v=0\r\no=bob 555 1 IN IP4 10.0.0.5\r\ns=-\r\nm=audio 2 RTP/AVP 0\r\n";
  EXPECT_EQ(keeper.apply(changed),
            "v=0\r\no=alice 100 8 IN IP4 10.0.0.5\r\ns=-\r\nm=audio 2 RTP/AVP 0\r\n");
  EXPECT_EQ(keeper.version(), 8u);
  EXPECT_EQ(keeper.apply(changed),
            "v=0\r\no=alice 100 8 IN IP4 10.0.0.5\r\ns=-\r\nm=audio 2 RTP/AVP 0\r\n");
}

TEST(SdpText, ReplacesFormatsAndRemovesPrefixesKeepingLineEnds) {
  std::string sdp = "v=0\nm=audio 5 RTP/AVP 0 8 101\na=label:x\r\na=rtpmap:0 PCMU/8000";
  std::vector<std::string> formats{"0", "101"};
  EXPECT_EQ(replaceMediaFormats(sdp, 0, formats),
            "v=0\nm=audio 5 RTP/AVP 0 101\na=label:x\r\na=rtpmap:0 PCMU/8000");
  std::vector<std::string> prefixes{"a=label:"};
  EXPECT_EQ(removeLinesWithPrefix(sdp, prefixes),
            "v=0\nm=audio 5 RTP/AVP 0 8 101\na=rtpmap:0 PCMU/8000");
}

TEST(CodecFilter, KeepsTelephoneEventAndNeverEmptiesAStream) {
  auto p = parseFixture("ms-offer-ice.sdp");
  std::vector<std::string> keep{"pcma"};
  auto kept = filterFormats(p.sdp->media()[0], keep);
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, (std::vector<std::string>{"8", "101"}));
  std::vector<std::string> nothing{"G729"};
  EXPECT_FALSE(filterFormats(p.sdp->media()[0], nothing));
}

struct Rewrite {
  SdpPolicy policy;
  PinnedKeys keys;
  std::vector<LocalMedia> local{localAt("25.25.25.5", 31182)};

  Result<RewrittenSdp> offer(const testing::Parsed& p, OriginKeeper* origin = nullptr) {
    RewriteRequest req{.kind = SdpKind::Offer,
                       .policy = &policy,
                       .local = local,
                       .keys = keys.source(),
                       .support = kSupport,
                       .answered = nullptr,
                       .origin = origin};
    return rewriteSdp(*p.sdp, p.info, req);
  }
};

TEST(Rewrite, ReofferReusesKeysSoVersionStays) {
  auto p = parseFixture("seed-cucm-offer.sdp");
  Rewrite r;
  r.policy.protocol = Protocol::RtpSavp;
  OriginKeeper origin;
  auto first = r.offer(p, &origin);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->media[0].crypto.size(), 1u);
  r.local[0].keys = first->media[0].crypto;
  auto second = r.offer(p, &origin);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->sdp, first->sdp);
  EXPECT_EQ(r.keys.calls(), 1);

  // Hold: the direction changes, so the version goes up by one.
  std::string held = testing::readFixture("seed-cucm-offer.sdp");
  held.replace(held.find("a=sendrecv"), 10, "a=sendonly");
  auto parsed = sdp::parse(held);
  ASSERT_TRUE(parsed);
  testing::Parsed hp{std::make_unique<sdp::SessionDescription>(std::move(*parsed)), {}};
  hp.info = *extractSdpInfo(*hp.sdp);
  EXPECT_TRUE(hp.info.media[0].onHold());
  auto third = r.offer(hp, &origin);
  ASSERT_TRUE(third);
  EXPECT_NE(third->sdp.find("o=CiscoSystemsCCM-SIP 94213 2 IN IP4 25.25.25.5"), std::string::npos)
      << third->sdp;
  EXPECT_NE(third->sdp.find("a=sendonly"), std::string::npos);
}

TEST(Rewrite, MismatchedRequestIsAnError) {
  auto p = parseFixture("seed-cucm-offer.sdp");
  Rewrite r;
  r.local.clear();
  EXPECT_FALSE(r.offer(p));
}

TEST(Rewrite, AnswerRejectsWhenNoOfferedCryptoIsUsable) {
  auto offer = parseFixture("corpus:rfc4568/sec7.1.5-offer.sdp");
  auto answer = parseFixture("cucm-answer.sdp");
  SdpPolicy policy;
  policy.protocol = Protocol::RtpSavp;
  PinnedKeys keys;
  RewriteRequest req{.kind = SdpKind::Answer,
                     .policy = &policy,
                     .local = {localAt("25.25.25.5", 4000)},
                     .keys = keys.source(),
                     .support = kSupport,
                     .answered = &offer.info,
                     .origin = nullptr};
  auto out = rewriteSdp(*answer.sdp, answer.info, req);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->media[0].rejected);
  EXPECT_TRUE(out->media[0].no_acceptable_crypto);
  EXPECT_NE(out->sdp.find("m=audio 0 RTP/SAVP"), std::string::npos) << out->sdp;
}

TEST(Rewrite, AnswerToSrtpOfferUsesTheChosenTag) {
  auto offer = parseFixture("ms-offer-ice.sdp");
  auto answer = parseFixture("cucm-answer.sdp");
  SdpPolicy policy;
  policy.protocol = Protocol::RtpSavp;
  PinnedKeys keys;
  RewriteRequest req{.kind = SdpKind::Answer,
                     .policy = &policy,
                     .local = {localAt("25.25.25.5", 4000)},
                     .keys = keys.source(),
                     .support = kSupport,
                     .answered = &offer.info,
                     .origin = nullptr};
  auto out = rewriteSdp(*answer.sdp, answer.info, req);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->media[0].crypto.size(), 1u);
  EXPECT_EQ(out->media[0].crypto[0].tag, 3u);
  EXPECT_EQ(out->media[0].answered_crypto, 1u);
  EXPECT_FALSE(out->media[0].rtcp_mux); // the answerer (CUCM) did not accept mux, Keep keeps that
}

} // namespace
} // namespace gh::media

namespace gh::media {
namespace {

// Every corpus SDP, rewritten as an offer under each transport policy: the output parses, keeps
// its m= lines, and carries crypto exactly on the relayed SRTP lines.
TEST(RewriteCorpus, EveryCorpusSdpRewritesToValidSdp) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::corpusPath(""))) {
    if (entry.path().extension() == ".sdp") {
      files.push_back(entry.path().string());
    }
  }
  ASSERT_GT(files.size(), 40u);
  for (Protocol protocol : {Protocol::Keep, Protocol::RtpAvp, Protocol::RtpSavp}) {
    for (const std::string& file : files) {
      std::string text = testing::readFile(file);
      auto parsed = sdp::parse(text);
      ASSERT_TRUE(parsed) << file;
      auto info = extractSdpInfo(*parsed);
      ASSERT_TRUE(info) << file;
      SdpPolicy policy;
      policy.protocol = protocol;
      policy.ice = IcePolicy::Remove;
      PinnedKeys keys;
      RewriteRequest req{.kind = SdpKind::Offer,
                         .policy = &policy,
                         .local = {},
                         .keys = keys.source(),
                         .support = kSupport,
                         .answered = nullptr,
                         .origin = nullptr};
      for (std::size_t i = 0; i < info->media.size(); ++i) {
        req.local.push_back(localAt("10.0.0.5", static_cast<uint16_t>(30000 + 2 * i)));
      }
      auto out = rewriteSdp(*parsed, *info, req);
      ASSERT_TRUE(out) << file << ": " << out.error().what;
      auto again = sdp::parse(out->sdp);
      ASSERT_TRUE(again) << file << "\n" << out->sdp;
      ASSERT_EQ(again->media().size(), parsed->media().size()) << file;
      auto info_out = extractSdpInfo(*again);
      ASSERT_TRUE(info_out) << file;
      for (std::size_t i = 0; i < info_out->media.size(); ++i) {
        const MediaInfo& m = info_out->media[i];
        EXPECT_FALSE(m.ice) << file;
        const bool want_crypto = !m.rejected() && m.isSrtp();
        EXPECT_EQ(!m.crypto.empty(), want_crypto) << file << " m=" << i << "\n" << out->sdp;
        if (!m.rejected()) {
          EXPECT_EQ(m.port, 30000 + 2 * i) << file;
        }
      }
    }
  }
}

} // namespace
} // namespace gh::media
