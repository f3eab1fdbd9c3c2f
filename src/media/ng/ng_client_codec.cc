#include "media/ng/ng_client_codec.h"

#include <algorithm>

#include "media/ng/bencode_writer.h"

namespace gh::media::ng {

namespace {

std::string_view protocolName(Protocol p) {
  switch (p) {
  case Protocol::RtpAvp: return "RTP/AVP";
  case Protocol::RtpSavp: return "RTP/SAVP";
  case Protocol::RtpAvpf: return "RTP/AVPF";
  case Protocol::RtpSavpf: return "RTP/SAVPF";
  case Protocol::Keep: break;
  }
  return {};
}

bool secure(Protocol p) {
  return p == Protocol::RtpSavp || p == Protocol::RtpSavpf;
}

void header(BencodeWriter& w, std::string_view command, std::string_view call_id) {
  w.beginDict().key("command").string(command).key("call-id").string(call_id);
}

// The keys every offer and answer carries for the side its SDP goes to.
void policyKeys(BencodeWriter& w, const SdpPolicy& p, bool offer) {
  if (auto name = protocolName(p.protocol); !name.empty())
    w.key("transport-protocol").string(name);
  if (p.ice == IcePolicy::Remove)
    w.key("ICE").string("remove");
  if (p.dtls_off)
    w.key("DTLS").string("off");
  if (secure(p.protocol) && !p.srtp_suites.empty()) {
    w.key("SDES").beginList();
    for (const std::string& suite : p.srtp_suites)
      w.string("only-" + suite);
    for (std::string_view suite : rtpengineSuites()) {
      if (std::find(p.srtp_suites.begin(), p.srtp_suites.end(), suite) == p.srtp_suites.end())
        w.string(std::string("no-") + std::string(suite));
    }
    w.end();
  }
  switch (p.rtcp_mux) {
  case RtcpMuxPolicy::Strip: w.key("rtcp-mux").beginList().string("demux").end(); break;
  case RtcpMuxPolicy::Offer: w.key("rtcp-mux").beginList().string("offer").end(); break;
  case RtcpMuxPolicy::Require: w.key("rtcp-mux").beginList().string("require").end(); break;
  case RtcpMuxPolicy::Keep: break;
  }
  if (p.replace_origin || p.replace_session_connection) {
    w.key("replace").beginList();
    if (p.replace_origin)
      w.string("origin");
    if (p.replace_session_connection)
      w.string("session-connection");
    w.end();
  }
  // rtpengine processes codec stripping in offers only; an answer can only pick from the offer.
  if (offer && !p.codecs_keep.empty()) {
    w.key("codec").beginDict().key("except").beginList();
    bool dtmf = false;
    for (const std::string& codec : p.codecs_keep) {
      w.string(codec);
      dtmf = dtmf || codec == "telephone-event";
    }
    if (!dtmf)
      w.string("telephone-event");
    w.end().key("strip").beginList().string("all").end().end();
  }
}

std::string mapped(const InterfaceNames& names, const std::string& name) {
  auto it = names.find(name);
  return it == names.end() ? name : it->second;
}

uint64_t unsignedOf(const std::optional<BValue>& v) {
  return v && v->isInt() && v->integer() > 0 ? static_cast<uint64_t>(v->integer()) : 0;
}

std::string stringOf(const std::optional<BValue>& v) {
  return v && v->isString() ? std::string(v->str()) : std::string{};
}

net::Endpoint endpointOf(const std::optional<BValue>& v, uint16_t port = 0) {
  if (!v)
    return {};
  if (v->isDict()) {
    auto address = v->find("address");
    auto p = v->find("port");
    if (!address || !address->isString())
      return {};
    const auto port_value = unsignedOf(p);
    return net::Endpoint::fromIp(address->str(),
                                 static_cast<uint16_t>(port_value <= 65535 ? port_value : 0))
        .value_or(net::Endpoint{});
  }
  if (v->isString())
    return net::Endpoint::fromIp(v->str(), port).value_or(net::Endpoint{});
  return {};
}

StreamStats streamOf(const BValue& stream, const BValue& media) {
  StreamStats s;
  s.media = stringOf(media.find("type"));
  const uint64_t index = unsignedOf(media.find("index"));
  s.index = index > 0 && index < UINT32_MAX ? static_cast<uint32_t>(index - 1) : 0; // from 1
  s.protocol = stringOf(media.find("protocol"));
  const uint64_t local_port = unsignedOf(stream.find("local port"));
  s.local = endpointOf(stream.find("local address"),
                       static_cast<uint16_t>(local_port <= 65535 ? local_port : 0));
  s.remote = endpointOf(stream.find("endpoint"));
  if (auto stats = stream.find("stats"); stats && stats->isDict()) {
    s.in.packets = unsignedOf(stats->find("packets"));
    s.in.bytes = unsignedOf(stats->find("bytes"));
    s.in.dropped = unsignedOf(stats->find("errors"));
  }
  return s;
}

} // namespace

const std::vector<std::string_view>& rtpengineSuites() {
  static const std::vector<std::string_view> kSuites = {
      "AEAD_AES_256_GCM",        "AEAD_AES_128_GCM",        "AES_256_CM_HMAC_SHA1_80",
      "AES_256_CM_HMAC_SHA1_32", "AES_192_CM_HMAC_SHA1_80", "AES_192_CM_HMAC_SHA1_32",
      "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "F8_128_HMAC_SHA1_80",
      "F8_128_HMAC_SHA1_32",     "NULL_HMAC_SHA1_80",       "NULL_HMAC_SHA1_32"};
  return kSuites;
}

std::string encodePing() {
  return BencodeWriter().beginDict().key("command").string("ping").end().take();
}

std::string encodeOffer(const OfferParams& p, const InterfaceNames& names) {
  BencodeWriter w;
  header(w, "offer", p.call_id);
  w.key("from-tag").string(p.from_tag);
  if (!p.via_branch.empty())
    w.key("via-branch").string(p.via_branch);
  w.key("sdp").string(p.sdp);
  if (!p.from_interface.empty() || !p.to_interface.empty()) {
    // rtpengine wants both or neither; an unnamed side stays on the other's interface.
    const std::string from =
        mapped(names, p.from_interface.empty() ? p.to_interface : p.from_interface);
    const std::string to =
        mapped(names, p.to_interface.empty() ? p.from_interface : p.to_interface);
    w.key("direction").beginList().string(from).string(to).end();
  }
  if (p.received_from && p.received_from->valid()) {
    w.key("received-from")
        .beginList()
        .string(p.received_from->isV4() ? "IP4" : "IP6")
        .string(p.received_from->ip())
        .end();
  }
  policyKeys(w, p.policy, true);
  return w.end().take();
}

std::string encodeAnswer(const AnswerParams& p) {
  BencodeWriter w;
  header(w, "answer", p.call_id);
  w.key("from-tag").string(p.from_tag).key("to-tag").string(p.to_tag).key("sdp").string(p.sdp);
  policyKeys(w, p.policy, false);
  return w.end().take();
}

std::string encodeDelete(const DeleteParams& p) {
  BencodeWriter w;
  header(w, "delete", p.call_id);
  // Now, not after rtpengine's delete-delay (30 s by default): a failover re-offers under the
  // same Call-ID at once, and a call still marked for deletion would take the new one with it.
  w.key("delete-delay").integer(0);
  if (!p.from_tag.empty())
    w.key("from-tag").string(p.from_tag);
  if (!p.to_tag.empty())
    w.key("to-tag").string(p.to_tag);
  return w.end().take();
}

std::string encodeQuery(std::string_view call_id) {
  BencodeWriter w;
  header(w, "query", call_id);
  return w.end().take();
}

MediaErrc errcForReason(std::string_view reason) {
  auto has = [&](std::string_view word) { return reason.find(word) != std::string_view::npos; };
  if (has("Unknown call") || has("Unknown from-tag") || has("Unknown to-tag"))
    return MediaErrc::UnknownCall;
  if (has("Ran out of ports") || has("limit"))
    return MediaErrc::NoPorts; // capacity: the caller may try elsewhere (503)
  if (has("SDP"))
    return MediaErrc::BadSdp;
  if (has("interface"))
    return MediaErrc::UnknownInterface;
  if (has("No call-id") || has("No from-tag") || has("No to-tag") || has("command") ||
      has("Unrecognized"))
    return MediaErrc::BadRequest;
  return MediaErrc::Internal;
}

MediaResult<void> checkResult(const BValue& reply) {
  if (!reply.isDict())
    return Unexpected(MediaError{MediaErrc::Internal, "NG reply is not a dictionary"});
  auto result = reply.find("result");
  if (!result || !result->isString())
    return Unexpected(MediaError{MediaErrc::Internal, "NG reply has no result"});
  if (result->str() == "ok" || result->str() == "pong")
    return {};
  std::string reason = stringOf(reply.find("error-reason"));
  if (result->str() != "error") // "load limit" and future words: the engine refuses the work
    return Unexpected(
        MediaError{MediaErrc::NoPorts, "media engine: " + std::string(result->str())});
  if (reason.empty())
    reason = "media engine error";
  return Unexpected(MediaError{errcForReason(reason), std::move(reason)});
}

MediaResult<std::string> sdpOf(const BValue& reply, const SdpPolicy& policy) {
  if (auto ok = checkResult(reply); !ok)
    return Unexpected(ok.error());
  auto sdp = reply.find("sdp");
  if (!sdp || !sdp->isString() || sdp->str().empty())
    return Unexpected(MediaError{MediaErrc::Internal, "media engine replied without SDP"});
  if (policy.remove_line_prefixes.empty())
    return std::string(sdp->str());
  return removeLines(sdp->str(), policy.remove_line_prefixes);
}

CallStats statsOf(const BValue& reply, std::string call_id,
                  std::chrono::steady_clock::time_point steady_now,
                  std::chrono::system_clock::time_point system_now) {
  CallStats out;
  out.call_id = std::move(call_id);
  out.created = steady_now;
  if (auto created = reply.find("created"); created && created->isInt()) {
    const auto age = system_now - std::chrono::system_clock::time_point(
                                      std::chrono::seconds(created->integer()));
    if (age > std::chrono::system_clock::duration::zero())
      out.created =
          steady_now - std::chrono::duration_cast<std::chrono::steady_clock::duration>(age);
  }
  auto tags = reply.find("tags");
  if (!tags || !tags->isDict())
    return out;
  tags->forEachEntry([&](std::string_view tag, BValue party) {
    if (!party.isDict())
      return;
    PartyStats p;
    p.tag = std::string(tag);
    p.interface = stringOf(party.find("interface"));
    auto medias = party.find("medias");
    if (medias && medias->isList()) {
      for (BValue media : *medias) {
        auto streams = media.find("streams");
        if (!media.isDict() || !streams || !streams->isList())
          continue;
        for (BValue stream : *streams) {
          if (stream.isDict())
            p.streams.push_back(streamOf(stream, media));
        }
      }
    }
    out.parties.push_back(std::move(p));
  });
  return out;
}

std::string removeLines(std::string_view sdp, const std::vector<std::string>& prefixes) {
  std::string out;
  out.reserve(sdp.size());
  while (!sdp.empty()) {
    const std::size_t nl = sdp.find('\n');
    const std::string_view line = sdp.substr(0, nl == std::string_view::npos ? sdp.size() : nl + 1);
    sdp.remove_prefix(line.size());
    const bool drop = std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
      return !p.empty() && line.starts_with(p);
    });
    if (!drop)
      out.append(line);
  }
  return out;
}

} // namespace gh::media::ng
