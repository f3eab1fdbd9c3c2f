#pragma once
// Rewrites an offer or answer for the party on the other side of the relay, as rtpengine does:
// our addresses and ports instead of the sender's, the transport the policy asks for (RTP/AVP <->
// RTP/SAVP with our own SDES keys toward an SRTP side), ICE / DTLS / rtcp-mux attributes added or
// removed, an optional codec filter, and the policy's line removals last. Pure: no sockets, no
// clock, keys from the injected KeySource.
//
//   RewriteRequest req{.kind = SdpKind::Offer, .policy = &offer.policy,
//                      .local = {{.rtp = *Endpoint::parse("25.25.25.5:31182"), .rtcp_port =
//                      31183}}, .keys = keySource, .support = support};
//   Result<RewrittenSdp> out = rewriteSdp(*parsed, *info, req);
//   out->media[0].crypto   // the a=crypto lines we wrote: the keys we encrypt toward the receiver
//
// Per m= line (the SDP's own order):
// - port 0 stays 0 and gets no crypto; LocalMedia::reject makes a line port 0 as well;
// - RTP lines get our port, a=rtcp:<our RTCP port> (none when RTCP is muxed in an answer), the
//   policy's proto, and crypto: an offer gets one line per policy suite (tags 1..n, default
//   AES_CM_128_HMAC_SHA1_80); an answer picks the first acceptable line of the offer it answers and
//   replies with that tag and our key (RFC 4568 §7.1.2), and rejects the line when none is;
// - keys in LocalMedia::keys are reused for the same suite, so a re-offer does not rekey;
// - a held stream's c=0.0.0.0 (RFC 3264 §8.4) is passed on as it came.
// Session level: o= address (replace_origin), c= (replace_session_connection; otherwise every
// relayed m= line gets its own c=), a=group:BUNDLE removed (each m= line has its own ports).

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "media/api/media_control.h"
#include "media/sdp_rewrite/crypto_choice.h"
#include "media/sdp_rewrite/origin_keeper.h"
#include "media/sdp_rewrite/sdp_info.h"
#include "net/endpoint.h"
#include "sdp/session_description.h"

namespace gh::media {

enum class SdpKind : uint8_t { Offer, Answer };

// Our side of one m= line, as the receiver of the rewritten SDP must see it.
struct LocalMedia {
  net::Endpoint rtp;         // advertised address and RTP port
  uint16_t rtcp_port = 0;    // our RTCP port when not muxed (0: RTP port + 1 is implied)
  bool reject = false;       // write the line with port 0: we do not relay it
  std::vector<SdesKey> keys; // keys already sent to this receiver on this line (re-offers)
};

struct RewriteRequest {
  SdpKind kind = SdpKind::Offer;
  const SdpPolicy* policy = nullptr; // required
  std::vector<LocalMedia> local;     // one per m= line of the input
  KeySource keys;                    // required when a line turns SRTP
  CryptoSupport support;             // what we can decrypt (answers)
  const SdpInfo* answered = nullptr; // answers: the offer being answered, as its sender wrote it
  OriginKeeper* origin = nullptr;    // when set, the o= line is made ours (RFC 3264 §8)
};

// What the rewritten SDP says about one m= line.
struct RewrittenMedia {
  std::string proto;
  bool rejected = false;
  bool srtp = false;
  bool rtcp_mux = false;                      // a=rtcp-mux written
  std::vector<SdesKey> crypto;                // our a=crypto lines (an answer has one)
  std::optional<std::size_t> answered_crypto; // answers: index into answered->media[i].crypto
  bool no_acceptable_crypto = false; // answers: rejected because no offered line was usable
};

struct RewrittenSdp {
  std::string sdp;
  std::vector<RewrittenMedia> media;
};

// Fails (Errc::BadSdp) when the request does not fit the SDP (local or answered sizes differ),
// when no policy is given, or when the key source fails.
Result<RewrittenSdp> rewriteSdp(const sdp::SessionDescription& sdp, const SdpInfo& info,
                                const RewriteRequest& request);

// The transport a line gets: the policy's, or else (Keep) what the answered offer used (answers)
// or what came in (offers); DTLS-SRTP protos become SDES ones when the policy turns DTLS off.
std::string targetProto(const SdpPolicy& policy, const MediaInfo& in, SdpKind kind,
                        const MediaInfo* answered);

} // namespace gh::media
