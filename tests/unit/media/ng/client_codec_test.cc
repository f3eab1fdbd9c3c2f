// The NG client's wire format, checked against our own server's decoder (what rtpengine-style
// keys mean there) and against rtpengine's reply shapes.
#include <gtest/gtest.h>

#include "media/ng/bencode.h"
#include "media/ng/ng_client_codec.h"
#include "media/ng/ng_reply.h"
#include "media/ng/ng_request.h"

namespace gh::media::ng {
namespace {

OfferParams seedOffer() {
  OfferParams p;
  p.call_id = "c1";
  p.from_tag = "ft";
  p.via_branch = "z9hG4bKx";
  p.sdp = "v=0\r\n";
  p.from_interface = "internal";
  p.to_interface = "external";
  p.received_from = net::Endpoint::fromIp("10.0.0.6", 5060);
  p.policy.protocol = Protocol::RtpSavp;
  p.policy.ice = IcePolicy::Remove;
  p.policy.rtcp_mux = RtcpMuxPolicy::Strip;
  p.policy.dtls_off = true;
  p.policy.srtp_suites = {"AES_CM_128_HMAC_SHA1_80"};
  p.policy.codecs_keep = {"PCMU"};
  p.policy.replace_origin = true;
  return p;
}

TEST(NgClientCodec, OfferKeysAsRtpengineSpellsThem) {
  const std::string wire = encodeOffer(seedOffer(), {{"internal", "priv"}, {"external", "pub"}});
  auto doc = decodeBencode(wire);
  ASSERT_TRUE(doc) << wire;
  BValue r = doc->root();
  EXPECT_EQ(r.find("command")->str(), "offer");
  EXPECT_EQ(r.find("call-id")->str(), "c1");
  EXPECT_EQ(r.find("from-tag")->str(), "ft");
  EXPECT_EQ(r.find("via-branch")->str(), "z9hG4bKx");
  EXPECT_EQ(r.find("transport-protocol")->str(), "RTP/SAVP");
  EXPECT_EQ(r.find("ICE")->str(), "remove");
  EXPECT_EQ(r.find("DTLS")->str(), "off");
  auto direction = r.find("direction");
  ASSERT_TRUE(direction && direction->isList() && direction->size() == 2);
  EXPECT_EQ((*direction->begin()).str(), "priv");
  auto rf = r.find("received-from");
  ASSERT_TRUE(rf && rf->isList() && rf->size() == 2);
  EXPECT_EQ((*rf->begin()).str(), "IP4");
  auto mux = r.find("rtcp-mux");
  ASSERT_TRUE(mux && mux->isList());
  EXPECT_EQ((*mux->begin()).str(), "demux");
  auto sdes = r.find("SDES");
  ASSERT_TRUE(sdes && sdes->isList());
  std::vector<std::string> items;
  for (BValue v : *sdes)
    items.emplace_back(v.str());
  EXPECT_EQ(items.front(), "only-AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(items.size(), rtpengineSuites().size()); // one only-, every other suite as no-
  EXPECT_EQ(std::count(items.begin(), items.end(), "no-AES_CM_128_HMAC_SHA1_80"), 0);
  EXPECT_EQ(std::count(items.begin(), items.end(), "no-AES_CM_128_HMAC_SHA1_32"), 1);
  auto codec = r.find("codec");
  ASSERT_TRUE(codec && codec->isDict());
  EXPECT_EQ((*codec->find("strip")->begin()).str(), "all");
  EXPECT_EQ(codec->find("except")->size(), 2u); // PCMU, telephone-event
}

TEST(NgClientCodec, OurServerReadsTheSamePolicy) {
  // What the client means is what `gatehouse media` understands.
  OfferParams sent = seedOffer();
  const std::string wire = encodeOffer(sent, {});
  auto doc = decodeBencode(wire);
  ASSERT_TRUE(doc);
  auto got = decodeOffer(doc->root());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->call_id, sent.call_id);
  EXPECT_EQ(got->from_tag, sent.from_tag);
  EXPECT_EQ(got->sdp, sent.sdp);
  EXPECT_EQ(got->from_interface, "internal");
  EXPECT_EQ(got->to_interface, "external");
  EXPECT_EQ(got->policy.protocol, Protocol::RtpSavp);
  EXPECT_EQ(got->policy.ice, IcePolicy::Remove);
  EXPECT_EQ(got->policy.rtcp_mux, RtcpMuxPolicy::Strip);
  EXPECT_EQ(got->policy.srtp_suites, sent.policy.srtp_suites);
  EXPECT_TRUE(got->policy.replace_origin);
  EXPECT_EQ(got->policy.codecs_keep, (std::vector<std::string>{"PCMU", "telephone-event"}));
  ASSERT_TRUE(got->received_from);
  EXPECT_EQ(got->received_from->ip(), "10.0.0.6");
}

TEST(NgClientCodec, PlainPolicyAndAnswer) {
  AnswerParams a;
  a.call_id = "c1";
  a.from_tag = "ft";
  a.to_tag = "tt";
  a.sdp = "v=0\r\n";
  a.policy.protocol = Protocol::RtpAvp;
  a.policy.codecs_keep = {"PCMU"}; // offers only
  const std::string wire = encodeAnswer(a);
  auto doc = decodeBencode(wire);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().find("to-tag")->str(), "tt");
  EXPECT_EQ(doc->root().find("transport-protocol")->str(), "RTP/AVP");
  EXPECT_FALSE(doc->root().find("SDES"));
  EXPECT_FALSE(doc->root().find("codec"));
  EXPECT_FALSE(doc->root().find("ICE"));
  auto got = decodeAnswer(doc->root());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->policy.protocol, Protocol::RtpAvp);
}

TEST(NgClientCodec, OneNamedInterfaceIsUsedForBoth) {
  OfferParams p = seedOffer();
  p.to_interface.clear();
  const std::string one = encodeOffer(p, {});
  auto doc = decodeBencode(one);
  ASSERT_TRUE(doc);
  auto d = doc->root().find("direction");
  ASSERT_TRUE(d && d->size() == 2);
  auto it = d->begin();
  EXPECT_EQ((*it).str(), "internal");
  ++it;
  EXPECT_EQ((*it).str(), "internal");
  p.from_interface.clear();
  const std::string none = encodeOffer(p, {});
  doc = decodeBencode(none);
  ASSERT_TRUE(doc);
  EXPECT_FALSE(doc->root().find("direction"));
}

TEST(NgClientCodec, DeleteAndQuery) {
  // Decoded views point into the wire text: keep each alive while its document is read.
  const std::string del = encodeDelete({.call_id = "c1", .from_tag = "", .to_tag = ""});
  auto doc = decodeBencode(del);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().find("command")->str(), "delete");
  EXPECT_FALSE(doc->root().find("from-tag"));
  ASSERT_TRUE(doc->root().find("delete-delay"));
  EXPECT_EQ(doc->root().find("delete-delay")->integer(), 0);
  const std::string query = encodeQuery("c2");
  doc = decodeBencode(query);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().find("call-id")->str(), "c2");
  const std::string ping = encodePing();
  doc = decodeBencode(ping);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().find("command")->str(), "ping");
}

MediaResult<std::string> sdpFrom(std::string_view reply, const SdpPolicy& policy = {}) {
  auto doc = decodeBencode(reply);
  if (!doc)
    return Unexpected(MediaError{MediaErrc::Internal, "undecodable test reply"});
  return sdpOf(doc->root(), policy);
}

TEST(NgClientCodec, Replies) {
  auto ok = sdpFrom(sdpReply(Encoding::Bencode, "v=0\r\na=label:1\r\nm=audio 1 RTP/AVP 0\r\n"));
  ASSERT_TRUE(ok);
  SdpPolicy strip;
  strip.remove_line_prefixes = {"a=label:"};
  auto stripped =
      sdpFrom(sdpReply(Encoding::Bencode, "v=0\r\na=label:1\r\nm=audio 1 RTP/AVP 0\r\n"), strip);
  ASSERT_TRUE(stripped);
  EXPECT_EQ(*stripped, "v=0\r\nm=audio 1 RTP/AVP 0\r\n");

  auto unknown = sdpFrom(errorReply(Encoding::Bencode, "Unknown call-id"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, MediaErrc::UnknownCall);
  EXPECT_EQ(unknown.error().reason, "Unknown call-id");
  auto ports = sdpFrom(errorReply(Encoding::Bencode, "Ran out of ports"));
  ASSERT_FALSE(ports);
  EXPECT_EQ(ports.error().code, MediaErrc::NoPorts);
  auto sdp = sdpFrom(errorReply(Encoding::Bencode, "Failed to parse SDP"));
  ASSERT_FALSE(sdp);
  EXPECT_EQ(sdp.error().code, MediaErrc::BadSdp);
  auto limit = sdpFrom("d6:result10:load limite");
  ASSERT_FALSE(limit);
  EXPECT_EQ(limit.error().code, MediaErrc::NoPorts);
  auto nosdp = sdpFrom(okReply(Encoding::Bencode));
  ASSERT_FALSE(nosdp);
  EXPECT_EQ(nosdp.error().code, MediaErrc::Internal);
  EXPECT_FALSE(sdpFrom("le"));
}

TEST(NgClientCodec, StatisticsRoundTripThroughOurReply) {
  CallStats stats;
  stats.call_id = "c1";
  stats.created = std::chrono::steady_clock::now() - std::chrono::seconds(30);
  PartyStats a;
  a.tag = "ft";
  a.interface = "internal";
  StreamStats s;
  s.media = "audio";
  s.index = 0;
  s.protocol = "RTP/AVP";
  s.local = *net::Endpoint::fromIp("127.0.0.1", 30000);
  s.remote = *net::Endpoint::fromIp("127.0.0.2", 40000);
  s.in.packets = 100;
  s.in.bytes = 17200;
  a.streams.push_back(s);
  stats.parties.push_back(a);
  const ClockPair now;
  const std::string reply = statsReply(Encoding::Bencode, stats, now);
  auto doc = decodeBencode(reply);
  ASSERT_TRUE(doc);
  CallStats got = statsOf(doc->root(), "c1", now.steady, now.system);
  EXPECT_EQ(got.call_id, "c1");
  ASSERT_EQ(got.parties.size(), 1u);
  EXPECT_EQ(got.parties[0].tag, "ft");
  EXPECT_EQ(got.parties[0].interface, "internal");
  ASSERT_EQ(got.parties[0].streams.size(), 1u);
  const StreamStats& g = got.parties[0].streams[0];
  EXPECT_EQ(g.media, "audio");
  EXPECT_EQ(g.protocol, "RTP/AVP");
  EXPECT_EQ(g.local.toString(), "127.0.0.1:30000");
  EXPECT_EQ(g.remote.toString(), "127.0.0.2:40000");
  EXPECT_EQ(g.in.packets, 100u);
  EXPECT_EQ(g.in.bytes, 17200u);
  const auto age = now.steady - got.created;
  EXPECT_GE(age, std::chrono::seconds(29));
  EXPECT_LE(age, std::chrono::seconds(32));
}

TEST(NgClientCodec, RemoveLines) {
  EXPECT_EQ(removeLines("a\r\nb=1\r\nc\n", {"b="}), "a\r\nc\n");
  EXPECT_EQ(removeLines("a\r\nb=1", {"b="}), "a\r\n");
  EXPECT_EQ(removeLines("a\r\n", {""}), "a\r\n");
}

} // namespace
} // namespace gh::media::ng
