// Golden rewrites: an input SDP, a policy and our endpoints in; the exact SDP out. Expected files
// live in golden/<case>.expected.sdp (the seed case compares with the seed's own INVITE body).
// GH_UPDATE_GOLDEN=1 rewrites the expected files from the current output, for review in a diff.

#include <cctype>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "media/sdp_rewrite/sdp_rewriter.h"
#include "unit/media/sdp_rewrite/rewrite_test_util.h"

namespace gh::media {
namespace {

using testing::Parsed;
using testing::parseFixture;
using testing::PinnedKeys;

// The key in the seed's INVITE toward Microsoft: pinned, the rewrite reproduces it exactly.
constexpr std::string_view kSeedKey = "Rt5s9b1WdrBKIoygx4q3Tx8Zog/+Qt1/UTEmxr9x";

LocalMedia local(std::string_view ip, uint16_t port, bool reject = false) {
  return LocalMedia{.rtp = *net::Endpoint::fromIp(ip, port),
                    .rtcp_port = static_cast<uint16_t>(port + 1),
                    .reject = reject,
                    .keys = {}};
}

// Toward Microsoft: the seed's "SRTP DTLS=off ICE=remove replace-session-connection".
SdpPolicy towardSrtp() {
  SdpPolicy p;
  p.protocol = Protocol::RtpSavp;
  p.ice = IcePolicy::Remove;
  p.rtcp_mux = RtcpMuxPolicy::Strip;
  return p;
}

// Toward the PBX: "RTP DTLS=off ICE=remove replace-session-connection".
SdpPolicy towardPlain() {
  SdpPolicy p;
  p.protocol = Protocol::RtpAvp;
  p.ice = IcePolicy::Remove;
  p.rtcp_mux = RtcpMuxPolicy::Strip;
  return p;
}

struct GoldenCase {
  std::string name;
  std::string input;
  SdpKind kind = SdpKind::Offer;
  std::function<SdpPolicy()> policy;
  std::vector<LocalMedia> local;
  std::string answered;         // fixture of the offer being answered
  std::deque<std::string> keys; // pinned keys
  bool allow_mki = false;
  std::string expected_file; // default: <name>.expected.sdp
};

std::vector<GoldenCase> cases() {
  std::vector<GoldenCase> c;
  {
    GoldenCase& g = c.emplace_back();
    g.name = "seed-invite-to-microsoft";
    g.input = "seed-cucm-offer.sdp";
    g.policy = [] {
      SdpPolicy p = towardSrtp();
      p.replace_origin = false; // the seed's rtpengine left o= alone
      return p;
    };
    g.local = {local("25.25.25.5", 31182)};
    g.keys = {std::string(kSeedKey)};
    g.expected_file = "seed-ms-offer-as-sent.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "seed-200ok-to-cucm";
    g.input = "seed-ms-answer.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30000)};
    g.answered = "seed-cucm-offer.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "ms-answer-ice-mux-to-cucm";
    g.input = "ms-answer-ice-mux.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30002)};
    g.answered = "seed-cucm-offer.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "ms-offer-to-cucm";
    g.input = "ms-offer-ice.sdp";
    g.policy = [] {
      SdpPolicy p = towardPlain();
      p.remove_line_prefixes = {"a=x-", "a=label:"};
      return p;
    };
    g.local = {local("10.0.0.5", 30010)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "cucm-answer-to-ms";
    g.input = "cucm-answer.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardSrtp;
    g.local = {local("25.25.25.5", 31200)};
    g.answered = "ms-offer-ice.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "webrtc-to-cucm";
    g.input = "webrtc-offer.sdp";
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30020), local("10.0.0.5", 30022)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "webrtc-to-sdes-keep-proto";
    g.input = "webrtc-offer.sdp";
    g.policy = [] {
      SdpPolicy p = towardSrtp();
      p.protocol = Protocol::Keep;
      p.srtp_suites = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"};
      return p;
    };
    g.local = {local("25.25.25.5", 31220), local("25.25.25.5", 31222)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc5761-mux-kept";
    g.input = "corpus:rfc5761/sec5.1.1-offer.sdp";
    g.policy = [] {
      SdpPolicy p;
      p.rtcp_mux = RtcpMuxPolicy::Keep;
      return p;
    };
    g.local = {local("2001:db8::5", 30030)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc5761-mux-stripped";
    g.input = "corpus:rfc5761/sec5.1.1-offer.sdp";
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30032)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc5761-mux-required";
    g.input = "seed-cucm-offer.sdp";
    g.policy = [] {
      SdpPolicy p;
      p.rtcp_mux = RtcpMuxPolicy::Require;
      return p;
    };
    g.local = {local("10.0.0.5", 30034)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc8839-ice-removed-to-srtp";
    g.input = "corpus:rfc8839/appA-offer.sdp";
    g.policy = towardSrtp;
    g.local = {local("25.25.25.5", 31240)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4317-2.1-codec-filter";
    g.input = "corpus:rfc4317/2.1-offer.sdp";
    g.policy = [] {
      SdpPolicy p = towardPlain();
      p.codecs_keep = {"PCMU", "H261"};
      return p;
    };
    g.local = {local("10.0.0.5", 30040), local("10.0.0.5", 30042)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4317-2.2-video-rejected";
    g.input = "corpus:rfc4317/2.2-answer.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30044), local("10.0.0.5", 0, true)};
    g.answered = "corpus:rfc4317/2.2-offer.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4317-3.1-hold-sendonly";
    g.input = "corpus:rfc4317/3.1-answer.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30046)};
    g.answered = "corpus:rfc4317/3.1-offer.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4317-5.2-black-holed";
    g.input = "corpus:rfc4317/5.2-offer.sdp";
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30048)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4317-4.1-two-audio-media-c";
    g.input = "corpus:rfc4317/4.1-second-offer.sdp";
    g.policy = [] {
      SdpPolicy p = towardPlain();
      p.replace_session_connection = false;
      return p;
    };
    g.local = {local("10.0.0.5", 30050), local("10.0.0.5", 30052)};
  }
  {
    // The m=application udp line is no RTP: the service rejects it (LocalMedia::reject).
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4568-4.5-to-plain";
    g.input = "corpus:rfc4568/sec4.5-example.sdp";
    g.policy = towardPlain;
    g.local = {local("10.0.0.5", 30054), local("10.0.0.5", 30056), local("10.0.0.5", 0, true)};
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4568-7.1.5-mki-unsupported";
    g.input = "cucm-answer.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardSrtp;
    g.local = {local("25.25.25.5", 31260)};
    g.answered = "corpus:rfc4568/sec7.1.5-offer.sdp";
  }
  {
    GoldenCase& g = c.emplace_back();
    g.name = "rfc4568-7.1.5-answer-tag1";
    g.input = "cucm-answer.sdp";
    g.kind = SdpKind::Answer;
    g.policy = towardSrtp;
    g.local = {local("25.25.25.5", 31262)};
    g.answered = "corpus:rfc4568/sec7.1.5-offer.sdp";
    g.allow_mki = true;
  }
  return c;
}

class GoldenRewrite : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenRewrite, MatchesExpected) {
  const GoldenCase& gc = GetParam();
  Parsed in = parseFixture(gc.input);
  ASSERT_TRUE(in.sdp);
  Parsed answered;
  if (!gc.answered.empty()) {
    answered = parseFixture(gc.answered);
    ASSERT_TRUE(answered.sdp);
  }
  PinnedKeys keys(gc.keys);
  const SdpPolicy policy = gc.policy();
  RewriteRequest req{.kind = gc.kind,
                     .policy = &policy,
                     .local = gc.local,
                     .keys = keys.source(),
                     .support = {.suites = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"},
                                 .allow_mki = gc.allow_mki},
                     .answered = gc.answered.empty() ? nullptr : &answered.info,
                     .origin = nullptr};
  auto out = rewriteSdp(*in.sdp, in.info, req);
  ASSERT_TRUE(out) << out.error().what;

  // Whatever we write must parse again, and keep the m= line count (RFC 3264 §6).
  auto reparsed = sdp::parse(out->sdp);
  ASSERT_TRUE(reparsed) << reparsed.error().what << "\n" << out->sdp;
  EXPECT_EQ(reparsed->media().size(), in.sdp->media().size());

  const std::string file = gc.expected_file.empty() ? gc.name + ".expected.sdp" : gc.expected_file;
  if (std::getenv("GH_UPDATE_GOLDEN") != nullptr && gc.expected_file.empty()) {
    std::ofstream(testing::goldenPath(file), std::ios::binary) << out->sdp;
  }
  EXPECT_EQ(out->sdp, testing::readFixture(file)) << "case " << gc.name;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenRewrite, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) {
                           std::string n = param_info.param.name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) {
                               ch = '_';
                             }
                           }
                           return n;
                         });

} // namespace
} // namespace gh::media
