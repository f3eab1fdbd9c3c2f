// MediaService over real loopback sockets: the seed's call (PBX plain RTP <-> Microsoft SDES-SRTP)
// set up by offer/answer, media checked on the wire with an independent SrtpContext, then
// re-offer, hold, delete, errors, port exhaustion and timeouts.

#include "media/service/media_service.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "unit/media/service/service_test_util.h"

namespace gh::media {
namespace {

using namespace std::chrono_literals;
using testing::Bytes;
using testing::freshKeyB64;
using testing::keyFromB64;
using testing::makeRtp;
using testing::makeSdp;
using testing::Peer;
using testing::readSdp;

SdpPolicy towardMicrosoft() {
  SdpPolicy p;
  p.protocol = Protocol::RtpSavp;
  p.ice = IcePolicy::Remove;
  p.rtcp_mux = RtcpMuxPolicy::Strip;
  return p;
}

SdpPolicy towardPbx() {
  SdpPolicy p;
  p.protocol = Protocol::RtpAvp;
  p.ice = IcePolicy::Remove;
  p.rtcp_mux = RtcpMuxPolicy::Strip;
  return p;
}

struct Interfaces {
  uint16_t internal_first = 47000;
  uint16_t internal_last = 47099;
  uint16_t external_first = 48000;
  uint16_t external_last = 48099;
};

class MediaServiceTest : public ::testing::Test {
protected:
  void SetUp() override { start({}); }

  void start(Interfaces ports) {
    service_.reset();
    relay::RelayConfig config;
    config.interfaces = {
        {"internal", "127.0.0.31", "", ports.internal_first, ports.internal_last},
        {"external", "127.0.0.32", "", ports.external_first, ports.external_last},
    };
    config.workers = 1;
    config.media_timeout = 60s;
    config.silent_timeout = 3600s;
    auto now = now_;
    config.clock = [now] { return relay::TimePoint(std::chrono::nanoseconds(now->load())); };
    auto relay = relay::Relay::create(std::move(config));
    ASSERT_TRUE(relay) << relay.error().reason;
    service_ = std::make_unique<MediaService>(std::move(*relay), KeySource{});
  }

  void advance(std::chrono::seconds s) {
    now_->fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(s).count());
  }

  MediaResult<std::string> offer(const std::string& call_id, const std::string& from_tag,
                                 const std::string& sdp, SdpPolicy policy = towardMicrosoft(),
                                 std::string from = "internal", std::string to = "external") {
    OfferParams p;
    p.call_id = call_id;
    p.from_tag = from_tag;
    p.sdp = sdp;
    p.from_interface = std::move(from);
    p.to_interface = std::move(to);
    p.policy = std::move(policy);
    MediaResult<std::string> result(std::string{});
    bool called = false;
    service_->offer(p, [&](MediaResult<std::string> r) {
      result = std::move(r);
      called = true;
    });
    EXPECT_TRUE(called); // in-process: before offer() returns
    return result;
  }

  MediaResult<std::string> answer(const std::string& call_id, const std::string& from_tag,
                                  const std::string& to_tag, const std::string& sdp,
                                  SdpPolicy policy = towardPbx()) {
    AnswerParams p;
    p.call_id = call_id;
    p.from_tag = from_tag;
    p.to_tag = to_tag;
    p.sdp = sdp;
    p.policy = std::move(policy);
    MediaResult<std::string> result(std::string{});
    service_->answer(p, [&](MediaResult<std::string> r) { result = std::move(r); });
    return result;
  }

  MediaResult<CallStats> remove(const std::string& call_id, const std::string& from_tag = {}) {
    MediaResult<CallStats> result(CallStats{});
    service_->remove({call_id, from_tag, {}},
                     [&](MediaResult<CallStats> r) { result = std::move(r); });
    return result;
  }

  // The seed's call: PBX offers plain RTP, Microsoft answers SRTP.
  struct Established {
    net::Endpoint relay_for_pbx; // where the PBX sends
    net::Endpoint relay_for_ms;  // where Microsoft sends
    std::string key_to_ms;       // ours, from the SDP sent to Microsoft
    std::string key_from_ms;     // Microsoft's, from its answer
    std::string sdp_to_ms;
    std::string sdp_to_pbx;
  };

  Established establish(const std::string& call_id, Peer& pbx, Peer& ms) {
    Established e;
    auto to_ms = offer(call_id, "pbx-tag", makeSdp(pbx.local(), 1000));
    EXPECT_TRUE(to_ms) << to_ms.error().reason;
    if (!to_ms) {
      return e;
    }
    e.sdp_to_ms = *to_ms;
    auto ms_view = readSdp(*to_ms);
    e.relay_for_ms = ms_view.target;
    EXPECT_TRUE(ms_view.crypto);
    e.key_to_ms = sdp::base64Encode(ms_view.crypto->key_salt);
    e.key_from_ms = freshKeyB64(9);
    auto to_pbx = answer(call_id, "pbx-tag", "ms-tag",
                         makeSdp(ms.local(), 5000, e.key_from_ms, ms_view.crypto->tag));
    EXPECT_TRUE(to_pbx) << to_pbx.error().reason;
    if (!to_pbx) {
      return e;
    }
    e.sdp_to_pbx = *to_pbx;
    e.relay_for_pbx = readSdp(*to_pbx).target;
    return e;
  }

  std::shared_ptr<std::atomic<int64_t>> now_ =
      std::make_shared<std::atomic<int64_t>>(int64_t{1'000'000'000});
  std::unique_ptr<MediaService> service_;
};

TEST_F(MediaServiceTest, OfferTowardMicrosoftIsSrtpWithOurExternalPortNoIceNoMux) {
  Peer pbx("127.0.0.1");
  auto to_ms = offer("c1", "pbx-tag", makeSdp(pbx.local(), 1000));
  ASSERT_TRUE(to_ms) << to_ms.error().reason;
  auto v = readSdp(*to_ms);
  EXPECT_EQ(v.proto, "RTP/SAVP");
  EXPECT_EQ(v.target.ip(), "127.0.0.32");
  EXPECT_GE(v.target.port(), 48000);
  EXPECT_LE(v.target.port(), 48099);
  EXPECT_EQ(v.crypto_count, 1u);
  EXPECT_EQ(v.crypto->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(v.crypto->tag, 1u);
  EXPECT_FALSE(v.rtcp_mux);
  EXPECT_FALSE(v.ice);
  EXPECT_NE(to_ms->find("a=rtcp:" + std::to_string(v.target.port() + 1)), std::string::npos);
  EXPECT_EQ(service_->callCount(), 1u);
}

TEST_F(MediaServiceTest, RtpFromPbxArrivesAsSrtpAtMicrosoftAndBack) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  Established e = establish("c1", pbx, ms);
  ASSERT_TRUE(e.relay_for_pbx.valid());
  auto pbx_view = readSdp(e.sdp_to_pbx);
  EXPECT_EQ(pbx_view.proto, "RTP/AVP");
  EXPECT_EQ(pbx_view.crypto_count, 0u);
  EXPECT_EQ(e.relay_for_pbx.ip(), "127.0.0.31");

  // PBX -> relay -> Microsoft: decrypt with the key our SDP gave Microsoft.
  auto rx = SrtpContext::create(keyFromB64(e.key_to_ms), SrtpDirection::Inbound);
  ASSERT_TRUE(rx);
  for (uint16_t seq = 1; seq <= 3; ++seq) {
    Bytes sent = makeRtp(seq, 0x1234);
    pbx.send(e.relay_for_pbx, sent);
    auto got = ms.receive();
    ASSERT_TRUE(got) << "no SRTP at Microsoft for seq " << seq;
    EXPECT_EQ(got->size(), sent.size() + 10); // the 80-bit tag
    auto n = rx->unprotectRtp(*got, got->size());
    ASSERT_TRUE(n) << n.error().what;
    got->resize(*n);
    EXPECT_EQ(*got, sent);
  }

  // Microsoft -> relay -> PBX: Microsoft encrypts with the key of its answer.
  auto tx = SrtpContext::create(keyFromB64(e.key_from_ms), SrtpDirection::Outbound);
  ASSERT_TRUE(tx);
  for (uint16_t seq = 100; seq <= 102; ++seq) {
    Bytes plain = makeRtp(seq, 0xabcd, 0x22);
    Bytes buf = plain;
    buf.resize(plain.size() + 16);
    auto n = tx->protectRtp(buf, plain.size());
    ASSERT_TRUE(n);
    buf.resize(*n);
    ms.send(e.relay_for_ms, buf);
    auto got = pbx.receive();
    ASSERT_TRUE(got) << "no RTP at the PBX for seq " << seq;
    EXPECT_EQ(*got, plain);
  }

  // Figures per party, from the relay.
  MediaResult<CallStats> stats(CallStats{});
  service_->query("c1", [&](MediaResult<CallStats> r) { stats = std::move(r); });
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->parties.size(), 2u);
  EXPECT_EQ(stats->parties[0].tag, "pbx-tag");
  EXPECT_EQ(stats->parties[1].tag, "ms-tag");
  ASSERT_EQ(stats->parties[0].streams.size(), 1u);
  EXPECT_EQ(stats->parties[0].streams[0].in.packets, 3u);
  EXPECT_EQ(stats->parties[0].streams[0].protocol, "RTP/AVP");
  EXPECT_EQ(stats->parties[1].streams[0].in.packets, 3u);
  EXPECT_EQ(stats->parties[1].streams[0].protocol, "RTP/SAVP");
  EXPECT_EQ(service_->statistics().packets_relayed, 6u);
}

TEST_F(MediaServiceTest, ReofferKeepsPortsAndKeyAndBumpsVersionHoldReachesRelay) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  Established e = establish("c1", pbx, ms);
  const auto first = readSdp(e.sdp_to_ms);

  // The PBX puts Microsoft on hold: same ports, same key, o= version + 1.
  auto held = offer("c1", "pbx-tag", makeSdp(pbx.local(), 1000, {}, 1, "sendonly"));
  ASSERT_TRUE(held) << held.error().reason;
  const auto second = readSdp(*held);
  EXPECT_EQ(second.target, first.target);
  EXPECT_EQ(second.crypto->key_salt, first.crypto->key_salt);
  EXPECT_EQ(second.direction, sdp::Direction::SendOnly);
  EXPECT_EQ(first.origin, "- 1000 1 IN IP4 127.0.0.32");
  EXPECT_EQ(second.origin, "- 1000 2 IN IP4 127.0.0.32");
  auto back =
      answer("c1", "pbx-tag", "ms-tag", makeSdp(ms.local(), 5000, e.key_from_ms, 1, "recvonly"));
  ASSERT_TRUE(back);
  EXPECT_EQ(readSdp(*back).target, e.relay_for_pbx);

  service_->relay().sync();
  // The same offer again (a session refresh) changes nothing, not even the version.
  auto again = offer("c1", "pbx-tag", makeSdp(pbx.local(), 1000, {}, 1, "sendonly"));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *held);

  // Media still flows after the re-offer, with the same keys (no rekey, same SRTP context).
  auto rx = SrtpContext::create(keyFromB64(e.key_to_ms), SrtpDirection::Inbound);
  ASSERT_TRUE(rx);
  Bytes sent = makeRtp(7, 0x99);
  pbx.send(e.relay_for_pbx, sent);
  auto got = ms.receive();
  ASSERT_TRUE(got);
  auto n = rx->unprotectRtp(*got, got->size());
  ASSERT_TRUE(n);
}

TEST_F(MediaServiceTest, ReofferFromMicrosoftUsesTheSameStreams) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  Established e = establish("c1", pbx, ms);
  const std::string new_key = freshKeyB64(33);
  // Microsoft's re-INVITE: it is now the offerer; the SDP goes to the PBX, plain.
  auto to_pbx = offer("c1", "ms-tag", makeSdp(ms.local(), 5000, new_key), towardPbx(), "external",
                      "internal");
  ASSERT_TRUE(to_pbx) << to_pbx.error().reason;
  auto v = readSdp(*to_pbx);
  EXPECT_EQ(v.target, e.relay_for_pbx);
  EXPECT_EQ(v.proto, "RTP/AVP");
  auto to_ms = answer("c1", "ms-tag", "pbx-tag", makeSdp(pbx.local(), 1000), towardMicrosoft());
  ASSERT_TRUE(to_ms) << to_ms.error().reason;
  auto w = readSdp(*to_ms);
  EXPECT_EQ(w.target, e.relay_for_ms);
  EXPECT_EQ(w.proto, "RTP/SAVP");
  EXPECT_EQ(w.crypto->tag, 1u);

  // Microsoft's new key is in use toward the PBX.
  auto tx = SrtpContext::create(keyFromB64(new_key), SrtpDirection::Outbound);
  ASSERT_TRUE(tx);
  Bytes plain = makeRtp(1, 0x77);
  Bytes buf = plain;
  buf.resize(plain.size() + 16);
  auto n = tx->protectRtp(buf, plain.size());
  ASSERT_TRUE(n);
  buf.resize(*n);
  ms.send(e.relay_for_ms, buf);
  auto got = pbx.receive();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, plain);
}

TEST_F(MediaServiceTest, DeleteFreesEverything) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  establish("c1", pbx, ms);
  establish("c2", pbx, ms);
  service_->relay().sync();
  auto busy = service_->relay().stats();
  EXPECT_EQ(busy.streams, 2u);
  EXPECT_EQ(busy.ports_in_use, 8u); // 2 streams x 2 sides x RTP+RTCP
  EXPECT_EQ(busy.srtp_contexts, 4u);
  EXPECT_EQ(service_->list(10).size(), 2u);

  auto stats = remove("c1", "pbx-tag");
  ASSERT_TRUE(stats) << stats.error().reason;
  EXPECT_EQ(stats->call_id, "c1");
  auto gone = remove("c2");
  ASSERT_TRUE(gone);
  service_->relay().sync();
  auto idle = service_->relay().stats();
  EXPECT_EQ(idle.streams, 0u);
  EXPECT_EQ(idle.ports_in_use, 0u);
  EXPECT_EQ(idle.sockets_open, 0u);
  EXPECT_EQ(idle.srtp_contexts, 0u);
  EXPECT_EQ(service_->callCount(), 0u);
  EXPECT_EQ(service_->statistics().calls_total, 2u);
  EXPECT_TRUE(service_->list(10).empty());
}

TEST_F(MediaServiceTest, UnknownCallsAndTags) {
  Peer ms("127.0.0.1");
  auto a = answer("nope", "x", "y", makeSdp(ms.local(), 1, freshKeyB64(1)));
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, MediaErrc::UnknownCall);
  auto d = remove("nope");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, MediaErrc::UnknownCall);
  MediaResult<CallStats> q(CallStats{});
  service_->query("nope", [&](MediaResult<CallStats> r) { q = std::move(r); });
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, MediaErrc::UnknownCall);

  Peer pbx("127.0.0.1");
  ASSERT_TRUE(offer("c1", "pbx-tag", makeSdp(pbx.local(), 1)));
  auto stranger = offer("c1", "someone-else", makeSdp(pbx.local(), 1));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, MediaErrc::UnknownCall);
  auto wrong_offerer = answer("c1", "not-the-offerer", "ms-tag", makeSdp(ms.local(), 1));
  ASSERT_FALSE(wrong_offerer);
  EXPECT_EQ(wrong_offerer.error().code, MediaErrc::UnknownCall);
  auto bad_tag_delete = remove("c1", "stranger");
  ASSERT_FALSE(bad_tag_delete);
  EXPECT_EQ(bad_tag_delete.error().code, MediaErrc::UnknownCall);
}

TEST_F(MediaServiceTest, BadRequestsAndBadSdp) {
  Peer pbx("127.0.0.1");
  auto no_tag = offer("c1", "", makeSdp(pbx.local(), 1));
  ASSERT_FALSE(no_tag);
  EXPECT_EQ(no_tag.error().code, MediaErrc::BadRequest);
  auto garbage = offer("c1", "t", "this is not SDP");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, MediaErrc::BadSdp);
  auto bad_iface = offer("c1", "t", makeSdp(pbx.local(), 1), towardMicrosoft(), "nowhere");
  ASSERT_FALSE(bad_iface);
  EXPECT_EQ(bad_iface.error().code, MediaErrc::UnknownInterface);
  EXPECT_EQ(service_->callCount(), 0u);
  EXPECT_EQ(service_->statistics().errors, 3u);
}

TEST_F(MediaServiceTest, PortExhaustionIsNoPortsWithNothingLeaked) {
  start({.internal_first = 47100,
         .internal_last = 47199,
         .external_first = 48100,
         .external_last = 48103}); // two pairs on the external side
  Peer pbx("127.0.0.1");
  // Three audio streams need three external pairs: the offer fails whole.
  std::string three = makeSdp(pbx.local(), 1);
  const std::string m = three.substr(three.find("m=audio"));
  three += m + m;
  auto failed = offer("big", "t", three);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, MediaErrc::NoPorts);
  service_->relay().sync();
  EXPECT_EQ(service_->relay().stats().ports_in_use, 0u);
  EXPECT_EQ(service_->relay().stats().sockets_open, 0u);
  EXPECT_EQ(service_->callCount(), 0u);

  // Two single-stream calls fit; the third does not, and the first two stay intact.
  ASSERT_TRUE(offer("a", "t", makeSdp(pbx.local(), 1)));
  ASSERT_TRUE(offer("b", "t", makeSdp(pbx.local(), 1)));
  auto third = offer("c", "t", makeSdp(pbx.local(), 1));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, MediaErrc::NoPorts);
  service_->relay().sync();
  EXPECT_EQ(service_->relay().stats().ports_in_use, 8u);
  EXPECT_EQ(service_->callCount(), 2u);
  ASSERT_TRUE(remove("a"));
  service_->relay().sync();
  EXPECT_TRUE(offer("c", "t", makeSdp(pbx.local(), 1)));
}

TEST_F(MediaServiceTest, RejectedAndNonRtpStreamsGetNoPorts) {
  Peer pbx("127.0.0.1");
  std::string sdp = makeSdp(pbx.local(), 1);
  sdp += "m=video 0 RTP/AVP 31\r\nm=application 9 udp wb\r\n";
  auto out = offer("c1", "t", sdp);
  ASSERT_TRUE(out) << out.error().reason;
  EXPECT_NE(out->find("m=video 0 RTP/SAVP 31"), std::string::npos) << *out;
  EXPECT_NE(out->find("m=application 0 udp wb"), std::string::npos) << *out;
  service_->relay().sync();
  EXPECT_EQ(service_->relay().stats().streams, 1u);
}

TEST_F(MediaServiceTest, TwoAudioLinesGetTwoStreamsAndAForkedAnswerTakesSideB) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  std::string two = makeSdp(pbx.local(), 1);
  two += two.substr(two.find("m=audio"));
  auto to_ms = offer("c2", "pbx-tag", two);
  ASSERT_TRUE(to_ms) << to_ms.error().reason;
  auto parsed = sdp::parse(*to_ms);
  ASSERT_TRUE(parsed);
  auto info = extractSdpInfo(*parsed);
  ASSERT_EQ(info->media.size(), 2u);
  EXPECT_NE(info->media[0].port, info->media[1].port);
  ASSERT_EQ(info->media[1].crypto.size(), 1u);

  std::string answer_sdp = makeSdp(ms.local(), 2, freshKeyB64(1));
  answer_sdp += answer_sdp.substr(answer_sdp.find("m=audio"));
  ASSERT_TRUE(answer("c2", "pbx-tag", "branch-1", answer_sdp));
  ASSERT_TRUE(answer("c2", "pbx-tag", "branch-2", answer_sdp));
  MediaResult<CallStats> stats(CallStats{});
  service_->query("c2", [&](MediaResult<CallStats> r) { stats = std::move(r); });
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->parties.size(), 2u);
  EXPECT_EQ(stats->parties[1].tag, "branch-2");
  EXPECT_EQ(stats->parties[1].streams.size(), 2u);
  service_->relay().sync();
  EXPECT_EQ(service_->relay().stats().streams, 2u);
  auto self = answer("c2", "pbx-tag", "pbx-tag", answer_sdp);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, MediaErrc::BadRequest);
  ASSERT_TRUE(remove("c2", "branch-2"));
  service_->relay().sync();
  EXPECT_EQ(service_->relay().stats().ports_in_use, 0u);
}

TEST_F(MediaServiceTest, MediaTimeoutBecomesOneEventPerCall) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  establish("c1", pbx, ms);
  std::vector<MediaEvent> events;
  service_->setEventHandler([&](const MediaEvent& e) { events.push_back(e); });
  advance(61s);
  service_->relay().scanTimeouts();
  service_->processEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, MediaEvent::Kind::Timeout);
  EXPECT_EQ(events[0].call_id, "c1");
  service_->relay().scanTimeouts();
  service_->processEvents();
  EXPECT_EQ(events.size(), 1u);
  EXPECT_GE(service_->statistics().timeouts, 1u);
}

TEST_F(MediaServiceTest, HeldCallTimesOutSilentlyOnlyAfterTheSilentTimeout) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  Established e = establish("c1", pbx, ms);
  ASSERT_TRUE(offer("c1", "pbx-tag", makeSdp(pbx.local(), 1000, {}, 1, "sendonly")));
  ASSERT_TRUE(
      answer("c1", "pbx-tag", "ms-tag", makeSdp(ms.local(), 5000, e.key_from_ms, 1, "recvonly")));
  std::vector<MediaEvent> events;
  service_->setEventHandler([&](const MediaEvent& ev) { events.push_back(ev); });
  advance(61s);
  service_->relay().scanTimeouts();
  service_->processEvents();
  EXPECT_TRUE(events.empty());
  advance(3600s);
  service_->relay().scanTimeouts();
  service_->processEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, MediaEvent::Kind::SilentTimeout);
}

TEST_F(MediaServiceTest, SrtpOfferFromMicrosoftIsAnsweredWithItsTag) {
  Peer pbx("127.0.0.1");
  Peer ms("127.0.0.1");
  // Microsoft calls the PBX: its offer carries an MKI line (unusable for us) and a plain one.
  std::string ms_offer = makeSdp(ms.local(), 77, freshKeyB64(5), 2);
  const std::string mki_line = ms_offer.substr(ms_offer.find("a=crypto:2"));
  ms_offer.replace(ms_offer.find("a=crypto:2"), mki_line.size(),
                   "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + freshKeyB64(6) +
                       "|2^31|1:1\r\na=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" + freshKeyB64(7) +
                       "|2^31\r\n");
  auto to_pbx = offer("in1", "ms-tag", ms_offer, towardPbx(), "external", "internal");
  ASSERT_TRUE(to_pbx) << to_pbx.error().reason;
  auto p = readSdp(*to_pbx);
  EXPECT_EQ(p.proto, "RTP/AVP");
  EXPECT_EQ(p.crypto_count, 0u);
  auto to_ms = answer("in1", "ms-tag", "pbx-tag", makeSdp(pbx.local(), 1), towardMicrosoft());
  ASSERT_TRUE(to_ms) << to_ms.error().reason;
  auto m = readSdp(*to_ms);
  EXPECT_EQ(m.crypto_count, 1u);
  EXPECT_EQ(m.crypto->tag, 3u);

  // Microsoft encrypts with its tag-3 key; the PBX gets plain RTP.
  auto tx = SrtpContext::create(keyFromB64(freshKeyB64(7)), SrtpDirection::Outbound);
  ASSERT_TRUE(tx);
  Bytes plain = makeRtp(1, 0x42);
  Bytes buf = plain;
  buf.resize(plain.size() + 16);
  auto n = tx->protectRtp(buf, plain.size());
  ASSERT_TRUE(n);
  buf.resize(*n);
  ms.send(m.target, buf);
  auto got = pbx.receive();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, plain);
}

} // namespace
} // namespace gh::media
