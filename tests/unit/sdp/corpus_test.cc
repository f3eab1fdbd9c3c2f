// Every SDP in the shared corpus parses, round-trips byte for byte and survives an unchanged edit;
// typed fields of a few are checked against what the RFC text says; truncation never crashes.

#include <array>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sdp/edit.h"
#include "sdp/ice.h"
#include "sdp/session_description.h"
#include "sdp/writer.h"
#include "sdp_test_util.h"

namespace gh::sdp {
namespace {

using testing::corpusSdpFiles;
using testing::readCorpus;
using testing::readFile;
using testing::sharedPath;
using testing::sipBody;

// SIP messages whose bodies are SDP and must be accepted.
constexpr std::array<std::string_view, 8> kSipWithSdp = {
    "seed/pbx-invite.RECONSTRUCTED.sip",
    "seed/seed-200ok.normalized.sip",
    "seed/seed-200ok.sip",
    "seed/seed-invite.normalized.sip",
    "seed/seed-invite.sip",
    "rfc5118/ipv6-in-sdp.sip",
    "rfc5118/mult-ip-in-sdp.sip",
    "rfc5118/ipv4-mapped-ipv6.sip",
};

void expectRoundTrip(const std::string& text, const std::string& name) {
  auto sdp = parse(text);
  ASSERT_TRUE(sdp) << name << ": " << sdp.error().what << " at " << sdp.error().offset;
  EXPECT_EQ(serialize(*sdp), text) << name;
  EXPECT_EQ(SdpEdit(*sdp).toString(), text) << name;
}

// What a relay does to every offer: all its edits at once; the result must parse again.
void expectRelayRewriteParses(const SessionDescription& sdp, const std::string& name) {
  SdpEdit edit(sdp);
  edit.setOriginAddress("IP4", "203.0.113.1");
  edit.rewriteConnections("IP4", "203.0.113.1");
  edit.removeIce();
  edit.removeRtcpMux();
  edit.removeDtls();
  for (std::size_t i = 0; i < edit.mediaCount(); ++i) {
    MediaEdit& m = edit.media(i);
    if (m.port() == 0) {
      continue;
    }
    m.setPort(static_cast<uint16_t>(30000 + 2 * i));
    m.setProto("RTP/SAVP");
    m.setAttribute(attr::kRtcp, std::to_string(30001 + 2 * i));
    m.removeCrypto();
    std::array<uint8_t, 30> key{};
    m.addCrypto({.tag = 1, .key_salt = key});
  }
  const std::string out = edit.toString();
  auto reparsed = parse(out);
  ASSERT_TRUE(reparsed) << name << ": " << reparsed.error().what << "\n" << out;
  EXPECT_EQ(reparsed->media().size(), sdp.media().size()) << name;
  for (const MediaSection& m : reparsed->media()) {
    for (const Attribute& a : m.attributes) {
      EXPECT_FALSE(isIceAttribute(a.name) || a.is(attr::kRtcpMux) || isDtlsAttribute(a.name))
          << name;
    }
  }
}

TEST(SdpCorpusTest, EverySdpFileRoundTrips) {
  const auto files = corpusSdpFiles();
  ASSERT_EQ(files.size(), 64u); // 54 RFC 4317 + 3 RFC 4568 + 3 RFC 8839 + 1 RFC 5761 + 3 derived
  for (const std::string& path : files) {
    const std::string text = readFile(path);
    expectRoundTrip(text, path);
    if (auto sdp = parse(text)) {
      expectRelayRewriteParses(*sdp, path);
    }
  }
}

TEST(SdpCorpusTest, EverySdpBodyInTheSipCorpusRoundTrips) {
  for (std::string_view path : kSipWithSdp) {
    const std::string body = sipBody(readCorpus(path));
    ASSERT_FALSE(body.empty()) << path;
    expectRoundTrip(body, std::string(path));
    if (auto sdp = parse(body)) {
      expectRelayRewriteParses(*sdp, std::string(path));
    }
  }
}

// RFC 3665 call flows carry ordinary SDP; RFC 4475 torture messages may not, so those only have
// to round-trip when accepted.
TEST(SdpCorpusTest, SipCallFlowBodies) {
  int accepted = 0;
  std::error_code ec;
  for (const char* folder : {"rfc3665", "rfc4475"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(sharedPath(folder), ec)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".sip") {
        continue;
      }
      const std::string body = sipBody(readFile(entry.path().string()));
      if (!body.starts_with("v=0")) {
        continue;
      }
      auto sdp = parse(body);
      if (std::string_view(folder) == "rfc3665") {
        EXPECT_TRUE(sdp) << entry.path() << ": " << sdp.error().what;
      }
      if (sdp) {
        ++accepted;
        EXPECT_EQ(serialize(*sdp), body) << entry.path();
      }
    }
  }
  EXPECT_GE(accepted, 15);
}

// fuzz/corpus/sdp: the *.sdp seeds are valid SDP; anything else there is a minimized fuzzer
// finding that only has to be handled without a crash.
TEST(SdpCorpusTest, FuzzSeedsParse) {
  int seeds = 0;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(GH_SOURCE_DIR) + "/fuzz/corpus/sdp", ec)) {
    const std::string text = readFile(entry.path().string());
    auto sdp = parse(text);
    if (entry.path().extension() == ".sdp") {
      ++seeds;
      expectRoundTrip(text, entry.path().string());
    }
    if (sdp) {
      EXPECT_EQ(serialize(*sdp), text);
      expectRelayRewriteParses(*sdp, entry.path().string());
    }
  }
  EXPECT_GE(seeds, 3);
}

TEST(SdpCorpusTest, SeedOfferFields) {
  auto sdp = parse(sipBody(readCorpus("seed/seed-invite.sip")));
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->origin().username, "CiscoSystemsCCM-SIP");
  EXPECT_EQ(sdp->sessionName(), "SIP Call");
  EXPECT_EQ(sdp->connection()->address, "25.25.25.5");
  const MediaSection& audio = sdp->media()[0];
  EXPECT_EQ(audio.line.port, 31182);
  EXPECT_EQ(audio.line.proto, "RTP/SAVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string_view>{"0", "101"}));
  auto pcmu = audio.rtpmap(0);
  ASSERT_TRUE(pcmu);
  EXPECT_EQ(pcmu->encoding, "PCMU");
  EXPECT_EQ(pcmu->clock_rate, 8000u);
  auto dtmf = audio.rtpmap(101);
  ASSERT_TRUE(dtmf);
  EXPECT_EQ(dtmf->encoding, "telephone-event");
  EXPECT_EQ(audio.fmtp("101")->params, "0-15");
  EXPECT_EQ(*parseAttribute(*audio.findAttribute("ptime"), parsePtime), 20u);
  auto rtcp = parseAttribute(*audio.findAttribute("rtcp"), parseRtcp);
  ASSERT_TRUE(rtcp);
  EXPECT_EQ(rtcp->port, 31183);
  EXPECT_EQ(sdp->direction(audio), Direction::SendRecv);
  auto crypto = parseAttribute(*audio.findAttribute("crypto"), parseCrypto);
  ASSERT_TRUE(crypto);
  EXPECT_EQ(crypto->tag, 1u);
  EXPECT_EQ(crypto->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(crypto->keys[0].key_salt_base64, "Rt5s9b1WdrBKIoygx4q3Tx8Zog/+Qt1/UTEmxr9x");
  EXPECT_EQ(crypto->keys[0].keySalt().size(), 30u);
}

TEST(SdpCorpusTest, Seed200OkFields) {
  auto sdp = parse(sipBody(readCorpus("seed/seed-200ok.sip")));
  ASSERT_TRUE(sdp);
  ASSERT_EQ(sdp->bandwidths().size(), 1u);
  auto bw = parseBandwidth(sdp->bandwidths()[0]);
  ASSERT_TRUE(bw);
  EXPECT_EQ(bw->type, "CT");
  const MediaSection& audio = sdp->media()[0];
  ASSERT_EQ(audio.connections.size(), 1u);
  EXPECT_EQ(sdp->connectionFor(audio), &audio.connections[0]);
  EXPECT_EQ(audio.fmtp("101")->params, "0-16,36");
  EXPECT_EQ(audio.findAttribute("label")->value, "main-audio");
}

TEST(SdpCorpusTest, Ipv6ConnectionsHaveNoBrackets) {
  auto v6 = parse(sipBody(readCorpus("rfc5118/ipv6-in-sdp.sip")));
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->origin().addrtype, "IP6");
  EXPECT_EQ(v6->origin().address, "2001:db8::20");
  EXPECT_EQ(v6->origin().session_id, "971731711378798081");
  EXPECT_EQ(v6->connection()->addrtype, "IP6");
  EXPECT_EQ(v6->connection()->address, "2001:db8::20");
  EXPECT_EQ(v6->media().size(), 2u);
  EXPECT_EQ(v6->media()[1].rtpmap(107)->encoding, "H263-1998");

  auto mapped = parse(sipBody(readCorpus("rfc5118/ipv4-mapped-ipv6.sip")));
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->connection()->address, "::ffff:192.0.2.2");

  auto mult = parse(sipBody(readCorpus("rfc5118/mult-ip-in-sdp.sip")));
  ASSERT_TRUE(mult);
  EXPECT_EQ(mult->connection(), nullptr);
  EXPECT_EQ(mult->connectionFor(mult->media()[0])->addrtype, "IP4");
  EXPECT_EQ(mult->connectionFor(mult->media()[0])->address, "192.0.2.1");
  EXPECT_EQ(mult->connectionFor(mult->media()[1])->addrtype, "IP6");
  EXPECT_EQ(mult->connectionFor(mult->media()[1])->address, "2001:db8::1");

  auto rfc5761 = parse(readCorpus("sdp/rfc5761/sec5.1.1-offer.sdp"));
  ASSERT_TRUE(rfc5761);
  EXPECT_EQ(rfc5761->connection()->address, "2001:DB8::211:24ff:fea3:7a2e");
  EXPECT_TRUE(rfc5761->media()[0].hasAttribute(attr::kRtcpMux));
  EXPECT_FALSE(rfc5761->media()[0].findAttribute("rtcp-mux")->has_value);
  EXPECT_EQ(rfc5761->media()[0].rtpmap(97)->encoding, "iLBC");
}

TEST(SdpCorpusTest, Rfc4317Scenarios) {
  // 2.2: the rejected video stream keeps its m= line with port 0.
  auto rejected = parse(readCorpus("sdp/rfc4317/2.2-answer.sdp"));
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->sessionName(), " ");
  ASSERT_EQ(rejected->media().size(), 2u);
  EXPECT_FALSE(rejected->media()[0].isRejected());
  EXPECT_TRUE(rejected->media()[1].isRejected());
  // 2.4: a second audio stream that is sendonly, the first one defaulting to sendrecv.
  auto two_audio = parse(readCorpus("sdp/rfc4317/2.4-offer.sdp"));
  ASSERT_TRUE(two_audio);
  EXPECT_EQ(two_audio->direction(two_audio->media()[0]), Direction::SendRecv);
  EXPECT_EQ(two_audio->direction(two_audio->media()[1]), Direction::SendOnly);
  // 2.8: media-level c= overrides the session address for video only.
  auto override_c = parse(readCorpus("sdp/rfc4317/2.8-answer.sdp"));
  ASSERT_TRUE(override_c);
  EXPECT_EQ(override_c->connectionFor(override_c->media()[0])->address, "host.biloxi.example.com");
  EXPECT_EQ(override_c->connectionFor(override_c->media()[1])->address,
            "otherhost.biloxi.example.com");
  // 3.1: hold.
  auto hold = parse(readCorpus("sdp/rfc4317/3.1-answer.sdp"));
  ASSERT_TRUE(hold);
  EXPECT_EQ(hold->direction(hold->media()[0]), Direction::SendOnly);
  // 5.1: no m= lines at all.
  auto no_media = parse(readCorpus("sdp/rfc4317/5.1-offer.sdp"));
  ASSERT_TRUE(no_media);
  EXPECT_TRUE(no_media->media().empty());
  EXPECT_EQ(no_media->sessionLineCount(), no_media->lines().size());
  // 5.2: black-holed address.
  auto black_hole = parse(readCorpus("sdp/rfc4317/5.2-offer.sdp"));
  ASSERT_TRUE(black_hole);
  EXPECT_EQ(black_hole->connection()->address, "0.0.0.0");
  // 2.2 second offer: the version moved on.
  auto first = parse(readCorpus("sdp/rfc4317/2.2-offer.sdp"));
  auto second = parse(readCorpus("sdp/rfc4317/2.2-second-offer.sdp"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*second->origin().version(), *first->origin().version() + 1);
}

// Every prefix of a few corpus bodies: no crash, and whatever is accepted round-trips. ASan and
// UBSan run under this test.
TEST(SdpCorpusTest, TruncationAtEveryOffsetNeverCrashes) {
  std::vector<std::string> bodies = {
      readCorpus("sdp/rfc4568/sec7.1.5-offer.sdp"),
      readCorpus("sdp/rfc8839/appA-offer.sdp"),
      readCorpus("sdp/rfc4317/2.4-offer.sdp"),
      sipBody(readCorpus("seed/seed-200ok.sip")),
  };
  int accepted = 0;
  for (const std::string& body : bodies) {
    ASSERT_FALSE(body.empty());
    for (std::size_t n = 0; n <= body.size(); ++n) {
      // A heap copy of exactly n bytes, so ASan sees any read past the end.
      const std::unique_ptr<char[]> copy(new char[n == 0 ? 1 : n]);
      std::memcpy(copy.get(), body.data(), n);
      const std::string_view prefix(copy.get(), n);
      auto sdp = parse(prefix);
      if (!sdp) {
        EXPECT_EQ(sdp.error().code, Errc::BadSdp);
        EXPECT_LE(sdp.error().offset, n);
        continue;
      }
      ++accepted;
      EXPECT_EQ(serialize(*sdp), prefix);
      for (const MediaSection& m : sdp->media()) {
        for (const Attribute& a : m.attributes) {
          (void)parseAttribute(a, parseCrypto);
          (void)parseAttribute(a, parseCandidate);
          (void)parseAttribute(a, parseRtpmap);
        }
      }
      expectRelayRewriteParses(*sdp, "prefix");
    }
  }
  EXPECT_GT(accepted, 50);
}

} // namespace
} // namespace gh::sdp
