#include "media/sdp_rewrite/sdp_rewriter.h"

#include <algorithm>
#include <string_view>

#include "media/sdp_rewrite/codec_filter.h"
#include "media/sdp_rewrite/sdp_text.h"
#include "sdp/crypto.h"
#include "sdp/edit.h"

namespace gh::media {

namespace {

bool endsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

std::string_view addrtypeOf(const net::Endpoint& e) {
  return e.isV6() ? "IP6" : "IP4";
}

std::string portText(uint16_t port) {
  return std::to_string(port);
}

// The SDES form of a proto: "UDP/TLS/RTP/SAVPF" -> "RTP/SAVPF" (we never do DTLS-SRTP).
std::string withoutDtls(std::string_view proto) {
  constexpr std::string_view kDtls = "UDP/TLS/";
  if (proto.size() > kDtls.size() && proto.substr(0, kDtls.size()) == kDtls) {
    return std::string(proto.substr(kDtls.size()));
  }
  return std::string(proto);
}

bool isSrtpProto(std::string_view proto) {
  return endsWith(proto, "/SAVP") || endsWith(proto, "/SAVPF");
}

// A key we already sent toward this receiver for `suite`, if any, under a new tag.
std::optional<SdesKey> reuseKey(const LocalMedia& local, std::string_view suite, uint32_t tag) {
  for (const SdesKey& k : local.keys) {
    if (k.suite == suite) {
      SdesKey copy = k;
      copy.tag = tag;
      return copy;
    }
  }
  return std::nullopt;
}

Result<std::vector<SdesKey>> offerKeys(const SdpPolicy& policy, const LocalMedia& local,
                                       const KeySource& keys) {
  std::vector<std::string> suites = policy.srtp_suites;
  if (suites.empty()) {
    suites.emplace_back(kDefaultSrtpSuite);
  }
  std::vector<SdesKey> out;
  uint32_t tag = 1;
  for (const std::string& suite : suites) {
    if (auto old = reuseKey(local, suite, tag)) {
      out.push_back(std::move(*old));
    } else {
      Result<std::vector<SdesKey>> fresh = makeCryptoOffer(std::span(&suite, 1), keys);
      if (!fresh) {
        return fail(fresh.error());
      }
      fresh->front().tag = tag;
      out.push_back(std::move(fresh->front()));
    }
    ++tag;
  }
  return out;
}

// Fills out.crypto for an SRTP line; false when the line has to be rejected.
Result<bool> chooseKeys(const RewriteRequest& req, const LocalMedia& local,
                        const MediaInfo* answered, RewrittenMedia& out) {
  if (req.kind == SdpKind::Answer && answered != nullptr && !answered->crypto.empty()) {
    std::optional<std::size_t> pick = chooseCrypto(answered->crypto, req.support);
    if (!pick) {
      out.no_acceptable_crypto = true;
      return false;
    }
    const CryptoOffer& chosen = answered->crypto[*pick];
    out.answered_crypto = pick;
    if (auto old = reuseKey(local, chosen.suite, chosen.tag)) {
      out.crypto.push_back(std::move(*old));
      return true;
    }
    Result<SdesKey> key = answerCrypto(chosen, req.keys);
    if (!key) {
      return fail(key.error());
    }
    out.crypto.push_back(std::move(*key));
    return true;
  }
  // An offer, or an answer to an offer that carried no crypto at all (the policy forces SRTP
  // toward a side that offered plain RTP): our keys, as in an offer.
  Result<std::vector<SdesKey>> keys = offerKeys(*req.policy, local, req.keys);
  if (!keys) {
    return fail(keys.error());
  }
  out.crypto = std::move(*keys);
  return true;
}

bool decideMux(const RewriteRequest& req, const MediaInfo& in, const MediaInfo* answered) {
  const RtcpMuxPolicy mux = req.policy->rtcp_mux;
  if (req.kind == SdpKind::Offer) {
    return mux == RtcpMuxPolicy::Keep ? in.rtcp_mux : mux != RtcpMuxPolicy::Strip;
  }
  // RFC 5761 §5.1.1: an answer may only accept mux that was offered.
  const bool offered = answered != nullptr && answered->rtcp_mux;
  if (!offered) {
    return false;
  }
  return mux == RtcpMuxPolicy::Keep ? in.rtcp_mux : mux != RtcpMuxPolicy::Strip;
}

void writeRtcp(const RewriteRequest& req, const LocalMedia& local, bool mux, sdp::MediaEdit& edit) {
  if (!mux) {
    edit.removeRtcpMux();
  } else if (!edit.hasAttribute(sdp::attr::kRtcpMux)) {
    edit.addAttribute(sdp::attr::kRtcpMux);
  }
  if (mux && req.kind == SdpKind::Answer) {
    // Both sides agreed: RTCP goes to the RTP port (RFC 5761 §5.1.3), a=rtcp would only confuse.
    edit.removeAttributes(sdp::attr::kRtcp);
    return;
  }
  if (mux && req.policy->rtcp_mux == RtcpMuxPolicy::Require) {
    edit.setAttribute(sdp::attr::kRtcp, portText(local.rtp.port()));
    return;
  }
  if (local.rtcp_port != 0) {
    edit.setAttribute(sdp::attr::kRtcp, portText(local.rtcp_port));
  } else {
    edit.removeAttributes(sdp::attr::kRtcp);
  }
}

// Drops a=rtpmap / a=fmtp / a=rtcp-fb lines of formats the codec filter removed.
void dropFormatAttributes(sdp::MediaEdit& edit, const std::vector<std::string>& removed) {
  edit.removeAttributesIf([&](const sdp::AttributeView& a) {
    if (!sdp::attributeNameIs(a.name, sdp::attr::kRtpmap) &&
        !sdp::attributeNameIs(a.name, sdp::attr::kFmtp) &&
        !sdp::attributeNameIs(a.name, "rtcp-fb")) {
      return false;
    }
    std::string_view format = a.value.substr(0, a.value.find(' '));
    return std::find(removed.begin(), removed.end(), format) != removed.end();
  });
}

const LocalMedia* firstRelayed(const RewriteRequest& req, const SdpInfo& info) {
  for (std::size_t i = 0; i < info.media.size(); ++i) {
    if (!info.media[i].rejected() && !req.local[i].reject && req.local[i].rtp.valid()) {
      return &req.local[i];
    }
  }
  for (const LocalMedia& l : req.local) {
    if (l.rtp.valid()) {
      return &l;
    }
  }
  return nullptr;
}

} // namespace

std::string targetProto(const SdpPolicy& policy, const MediaInfo& in, SdpKind kind,
                        const MediaInfo* answered) {
  if (!in.isRtp()) {
    return in.proto;
  }
  switch (policy.protocol) {
  case Protocol::RtpAvp: return "RTP/AVP";
  case Protocol::RtpSavp: return "RTP/SAVP";
  case Protocol::RtpAvpf: return "RTP/AVPF";
  case Protocol::RtpSavpf: return "RTP/SAVPF";
  case Protocol::Keep: break;
  }
  const std::string& base = kind == SdpKind::Answer && answered != nullptr && answered->isRtp()
                                ? answered->proto
                                : in.proto;
  return policy.dtls_off ? withoutDtls(base) : base;
}

Result<RewrittenSdp> rewriteSdp(const sdp::SessionDescription& sdp, const SdpInfo& info,
                                const RewriteRequest& req) {
  if (req.policy == nullptr || req.local.size() != info.media.size() ||
      info.media.size() != sdp.media().size()) {
    return fail(Errc::BadSdp, 0, "rewrite request does not match the SDP");
  }
  if (req.kind == SdpKind::Answer && req.answered != nullptr &&
      req.answered->media.size() != info.media.size()) {
    return fail(Errc::BadSdp, 0, "answer has a different number of m= lines than the offer");
  }
  const SdpPolicy& policy = *req.policy;
  sdp::SdpEdit edit(sdp);
  RewrittenSdp result;
  result.media.resize(info.media.size());
  std::vector<std::optional<std::vector<std::string>>> formats(info.media.size());

  const LocalMedia* session_local = firstRelayed(req, info);
  const std::string session_address = session_local != nullptr ? session_local->rtp.ip() : "";
  const std::string_view session_addrtype =
      session_local != nullptr ? addrtypeOf(session_local->rtp) : "IP4";

  for (std::size_t i = 0; i < info.media.size(); ++i) {
    const MediaInfo& in = info.media[i];
    const LocalMedia& local = req.local[i];
    const MediaInfo* answered = req.answered != nullptr ? &req.answered->media[i] : nullptr;
    RewrittenMedia& out = result.media[i];
    sdp::MediaEdit& m = edit.media(i);

    out.proto = targetProto(policy, in, req.kind, answered);
    out.srtp = in.isRtp() && isSrtpProto(out.proto);
    out.rejected = in.rejected() || local.reject || !local.rtp.valid();
    if (out.proto != in.proto) {
      m.setProto(out.proto);
    }
    m.removeCrypto();
    if (!out.rejected && out.srtp) {
      Result<bool> usable = chooseKeys(req, local, answered, out);
      if (!usable) {
        return fail(usable.error());
      }
      out.rejected = !*usable;
    }
    if (out.rejected) {
      out.crypto.clear();
      if (!in.rejected()) {
        m.reject();
      }
      m.removeRtcpMux();
      m.removeAttributes(sdp::attr::kRtcp);
      continue;
    }

    m.setPort(local.rtp.port());
    if (in.black_holed) {
      m.setConnection(in.addrtype, in.address);
    } else if (!policy.replace_session_connection || m.hasConnection() ||
               local.rtp.ip() != session_address) {
      m.setConnection(addrtypeOf(local.rtp), local.rtp.ip());
    }
    if (in.isRtp()) {
      out.rtcp_mux = decideMux(req, in, answered);
      writeRtcp(req, local, out.rtcp_mux, m);
    }
    // After a=rtcp, where rtpengine and the seed's peers put them.
    for (const SdesKey& key : out.crypto) {
      m.addCrypto({.tag = key.tag, .suite = key.suite, .key_salt = key.key_salt});
    }
    formats[i] = filterFormats(sdp.media()[i], policy.codecs_keep);
    if (formats[i]) {
      std::vector<std::string> removed;
      for (std::string_view f : sdp.media()[i].formats) {
        if (std::find(formats[i]->begin(), formats[i]->end(), f) == formats[i]->end()) {
          removed.emplace_back(f);
        }
      }
      dropFormatAttributes(m, removed);
    }
  }

  // Each m= line has its own ports here, so an a=group:BUNDLE would tell the peer to do what we
  // cannot (RFC 8843).
  edit.session().removeAttributesIf([](const sdp::AttributeView& a) {
    return sdp::attributeNameIs(a.name, "group") && a.value.starts_with("BUNDLE");
  });
  edit.session().removeCrypto();
  if (policy.ice == IcePolicy::Remove) {
    edit.removeIce();
  }
  if (policy.dtls_off) {
    edit.removeDtls();
  }
  if (session_local != nullptr) {
    if (policy.replace_origin) {
      edit.setOriginAddress(session_addrtype, session_address);
    }
    if (policy.replace_session_connection) {
      // Only the session c= and media c= lines of relayed streams: held and rejected lines keep
      // what they had (rewriteConnections would overwrite a held line's 0.0.0.0).
      if (edit.session().hasConnection() ||
          std::any_of(result.media.begin(), result.media.end(),
                      [&](const RewrittenMedia& r) { return !r.rejected; })) {
        edit.session().setConnection(session_addrtype, session_address);
      }
    }
  }

  std::string text = edit.toString();
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (formats[i]) {
      text = replaceMediaFormats(text, i, *formats[i]);
    }
  }
  if (req.origin != nullptr) {
    text = req.origin->apply(text);
  }
  if (!policy.remove_line_prefixes.empty()) {
    text = removeLinesWithPrefix(text, policy.remove_line_prefixes);
  }
  result.sdp = std::move(text);
  return result;
}

} // namespace gh::media
