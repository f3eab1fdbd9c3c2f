#pragma once
// What the service remembers per call, in rtpengine's model: a call keyed by Call-ID, two parties
// keyed by tag, and per m= line one relay stream whose side A is the party that made the first
// offer (on its from_interface) and side B the other one. Sides never swap: a re-offer from B is
// an offer whose offerer is side B.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media/api/media_control.h"
#include "media/relay/relay.h"
#include "media/sdp_rewrite/origin_keeper.h"
#include "media/sdp_rewrite/sdp_info.h"
#include "media/sdp_rewrite/sdp_rewriter.h"

namespace gh::media::service {

inline constexpr int kSideA = 0;
inline constexpr int kSideB = 1;

inline int otherSide(int side) {
  return 1 - side;
}

inline relay::Side relaySide(int side) {
  return side == kSideA ? relay::Side::A : relay::Side::B;
}

struct Party {
  std::string tag;                 // empty for B until the first answer
  std::string interface;           // relay interface name
  OriginKeeper origin;             // our o= line in the SDP we send to this party
  std::optional<SdpInfo> last_sdp; // what this party last said
};

// Per m= line, per side: what we told that party and what it told us.
struct StreamSide {
  std::vector<SdesKey> keys_sent; // our a=crypto lines in the last SDP to this party
  std::string proto_sent;         // the proto in that SDP ("RTP/AVP", "RTP/SAVP")
};

struct StreamState {
  relay::StreamId id = 0; // 0 = not relayed (rejected, or not RTP)
  relay::StreamPorts ports;
  std::string media;
  std::array<StreamSide, 2> side;
  bool on_hold = false;
  bool timed_out = false; // the relay reported it; cleared by the next answer

  bool relayed() const { return id != 0; }

  const relay::LocalPorts& local(int s) const { return s == kSideA ? ports.a : ports.b; }
};

// The last offer, kept until (and after) its answer: an answer is matched against it, and a
// retransmitted 200 OK can be answered again.
struct LastOffer {
  int offerer = kSideA;
  SdpInfo info;                     // as the offerer wrote it
  std::vector<RewrittenMedia> sent; // what we offered the answerer per m= line
};

struct Call {
  std::string call_id;
  uint64_t key = 0; // relay cookie
  std::chrono::steady_clock::time_point created;
  std::array<Party, 2> parties;
  std::vector<StreamState> streams;
  std::optional<LastOffer> offer;
  bool timed_out = false; // a timeout event was delivered; not repeated

  // The side whose tag is `tag`, or -1.
  int sideOf(const std::string& tag) const {
    if (!tag.empty() && parties[kSideA].tag == tag) {
      return kSideA;
    }
    if (!tag.empty() && parties[kSideB].tag == tag) {
      return kSideB;
    }
    return -1;
  }
};

} // namespace gh::media::service
