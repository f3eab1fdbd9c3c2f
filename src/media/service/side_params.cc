#include "media/service/side_params.h"

#include <string>

#include "media/service/key_material.h"

namespace gh::media::service {

namespace {

Unexpected<MediaError> badKey(const char* why) {
  return Unexpected<MediaError>(MediaError{MediaErrc::BadSdp, why});
}

} // namespace

MediaResult<SideKeys> offererKeys(const MediaInfo& offer, const RewrittenMedia& answer) {
  SideKeys keys;
  if (!answer.srtp || answer.crypto.empty()) {
    return keys;
  }
  const SdesKey& ours = answer.crypto.front();
  keys.encrypt = masterKeyOf(ours.suite, ours.key_salt);
  if (!keys.encrypt) {
    return badKey("our SRTP key does not fit its suite");
  }
  if (answer.answered_crypto) {
    const CryptoOffer& theirs = offer.crypto.at(*answer.answered_crypto);
    keys.decrypt = masterKeyOf(theirs.suite, theirs.key_salt);
    if (!keys.decrypt) {
      return badKey("offered SRTP key does not fit its suite");
    }
  }
  return keys;
}

MediaResult<SideKeys> answererKeys(const RewrittenMedia& our_offer, const MediaInfo& answer) {
  SideKeys keys;
  if (!our_offer.srtp || !answer.isSrtp() || answer.crypto.empty()) {
    return keys;
  }
  const CryptoOffer& theirs = answer.crypto.front();
  // RFC 4568 §7.1.3: the answer's tag names the offered line it accepted. A peer that renumbers
  // but keeps the suite is matched by suite.
  const SdesKey* ours = nullptr;
  for (const SdesKey& k : our_offer.crypto) {
    if (k.tag == theirs.tag && k.suite == theirs.suite) {
      ours = &k;
    }
  }
  for (const SdesKey& k : our_offer.crypto) {
    if (ours == nullptr && k.suite == theirs.suite) {
      ours = &k;
    }
  }
  if (ours == nullptr) {
    return badKey("answer accepts an SRTP suite we did not offer");
  }
  keys.encrypt = masterKeyOf(ours->suite, ours->key_salt);
  keys.decrypt = masterKeyOf(theirs.suite, theirs.key_salt);
  if (!keys.encrypt || !keys.decrypt) {
    return badKey("answered SRTP key does not fit its suite");
  }
  return keys;
}

relay::SideParams sideParams(const MediaInfo& party, const relay::LocalPorts& local, bool rtcp_mux,
                             SideKeys keys) {
  relay::SideParams p;
  const int family = local.rtp.family();
  if (party.rtp && party.rtp->family() == family) {
    p.remote_rtp = *party.rtp;
    if (!rtcp_mux) {
      if (auto rtcp = party.rtcpTarget(); rtcp && rtcp->family() == family) {
        p.remote_rtcp = *rtcp;
      }
    }
  }
  p.rtcp_mux = rtcp_mux;
  p.decrypt = std::move(keys.decrypt);
  p.encrypt = std::move(keys.encrypt);
  // The jitter figure needs the RTP clock; audio codecs that cross a PBX border run at 8 kHz
  // (G.722 too, by RFC 3551's quirk), video at 90 kHz.
  p.clock_rate = party.media == "video" ? 90000 : 8000;
  return p;
}

} // namespace gh::media::service
