#include "media/sdp_rewrite/sdp_info.h"

#include <algorithm>
#include <string_view>

#include "sdp/crypto.h"
#include "sdp/ice.h"

namespace gh::media {

namespace {

bool endsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool containsNoCase(std::string_view text, std::string_view needle) {
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return (a | 0x20) == (b | 0x20); });
  return it != text.end();
}

bool unspecified(std::string_view address) {
  return address == "0.0.0.0" || address == "::" || address == "0:0:0:0:0:0:0:0";
}

bool anyIce(const sdp::SessionDescription& sdp, const sdp::MediaSection& m) {
  auto is_ice = [](const sdp::Attribute& a) { return sdp::isIceAttribute(a.name); };
  return std::any_of(sdp.attributes().begin(), sdp.attributes().end(), is_ice) ||
         std::any_of(m.attributes.begin(), m.attributes.end(), is_ice);
}

CryptoOffer toOffer(const sdp::CryptoView& view) {
  CryptoOffer offer;
  offer.tag = view.tag;
  offer.suite = std::string(view.suite);
  offer.key_count = view.keys.size();
  offer.session_params = std::string(view.session_params);
  for (const sdp::KeyParamView& key : view.keys) {
    offer.has_mki = offer.has_mki || key.mki_value.has_value();
  }
  const sdp::KeyParamView& first = view.keys.front();
  if (first.method == "inline") {
    auto bytes = first.keySalt();
    offer.key_salt.assign(bytes.begin(), bytes.end());
  }
  offer.lifetime = first.lifetime;
  return offer;
}

void readCrypto(const sdp::MediaSection& m, MediaInfo& info) {
  for (const sdp::Attribute& a : m.attributes) {
    if (!a.is(sdp::attr::kCrypto)) {
      continue;
    }
    Result<sdp::CryptoView> view = sdp::parseCrypto(a.value);
    if (!view || view->keys.empty()) {
      ++info.bad_crypto;
      continue;
    }
    info.crypto.push_back(toOffer(*view));
  }
}

// The highest-priority UDP candidate of RTP (component 1), for a party that only says where it is
// through ICE.
std::optional<net::Endpoint> bestCandidate(const sdp::MediaSection& m) {
  std::optional<net::Endpoint> best;
  uint32_t best_priority = 0;
  for (const sdp::Attribute& a : m.attributes) {
    if (!a.is(sdp::attr::kCandidate)) {
      continue;
    }
    Result<sdp::CandidateView> c = sdp::parseCandidate(a.value);
    if (!c || c->component != 1 || !sdp::attributeNameIs(c->transport, "UDP") ||
        (best && c->priority <= best_priority)) {
      continue;
    }
    if (auto e = net::Endpoint::fromIp(c->address, c->port)) {
      best = e;
      best_priority = c->priority;
    }
  }
  return best;
}

void readRtcp(const sdp::MediaSection& m, MediaInfo& info) {
  info.rtcp_mux = m.hasAttribute(sdp::attr::kRtcpMux);
  if (const sdp::Attribute* a = m.findAttribute(sdp::attr::kRtcp)) {
    if (Result<sdp::RtcpView> rtcp = sdp::parseRtcp(a->value)) {
      info.rtcp_port = rtcp->port;
      info.rtcp_address = std::string(rtcp->address);
    }
  }
}

} // namespace

bool MediaInfo::isRtp() const {
  return containsNoCase(proto, "RTP/");
}

bool MediaInfo::isSrtp() const {
  return isRtp() && (endsWith(proto, "/SAVP") || endsWith(proto, "/SAVPF"));
}

bool MediaInfo::isFeedback() const {
  return endsWith(proto, "AVPF");
}

bool MediaInfo::onHold() const {
  return black_holed || direction == sdp::Direction::SendOnly ||
         direction == sdp::Direction::Inactive;
}

std::optional<net::Endpoint> MediaInfo::rtcpTarget() const {
  if (!rtp) {
    return std::nullopt;
  }
  if (rtcp_mux) {
    return rtp;
  }
  net::Endpoint target = *rtp;
  if (rtcp_port) {
    if (!rtcp_address.empty()) {
      if (auto other = net::Endpoint::fromIp(rtcp_address, *rtcp_port)) {
        return other;
      }
    }
    target.setPort(*rtcp_port);
    return target;
  }
  target.setPort(static_cast<uint16_t>(rtp->port() + 1));
  return target;
}

Result<SdpInfo> extractSdpInfo(const sdp::SessionDescription& sdp) {
  SdpInfo info;
  info.origin_username = std::string(sdp.origin().username);
  info.origin_session_id = std::string(sdp.origin().session_id);
  info.origin_version = sdp.origin().version();
  uint32_t index = 0;
  for (const sdp::MediaSection& m : sdp.media()) {
    MediaInfo& out = info.media.emplace_back();
    out.index = index++;
    out.media = std::string(m.line.media);
    out.port = m.line.port;
    out.port_count = m.line.port_count.value_or(1);
    out.proto = std::string(m.line.proto);
    for (std::string_view f : m.formats) {
      out.formats.emplace_back(f);
    }
    out.ice = anyIce(sdp, m);
    const sdp::ConnectionView* c = sdp.connectionFor(m);
    if (c == nullptr) {
      if (!m.isRejected()) {
        return fail(Errc::BadSdp, sdp.lines()[m.first_line].offset,
                    "m= line without a connection address");
      }
    } else {
      out.addrtype = std::string(c->addrtype);
      out.address = std::string(c->address);
      // With ICE, c=0.0.0.0 (port 9) only says "no default candidate yet" (RFC 8839 §4.2.1.1):
      // the candidates tell where media goes, and it is no hold.
      const bool unspecified_address = unspecified(c->address);
      out.black_holed = unspecified_address && !out.ice;
      if (!m.isRejected()) {
        out.rtp =
            unspecified_address ? bestCandidate(m) : net::Endpoint::fromIp(c->address, m.line.port);
      }
    }
    readRtcp(m, out);
    readCrypto(m, out);
    out.ice_lite = sdp.findAttribute(sdp::attr::kIceLite) != nullptr;
    out.dtls = sdp.findAttribute(m, sdp::attr::kFingerprint) != nullptr;
    if (const sdp::Attribute* setup = sdp.findAttribute(m, sdp::attr::kSetup)) {
      if (Result<sdp::Setup> role = sdp::parseSetup(setup->value)) {
        out.setup = *role;
      }
    }
    out.direction = sdp.direction(m);
  }
  return info;
}

} // namespace gh::media
