#pragma once
// Relay parameters for one side of a stream, from that party's SDP line and the SDES agreement of
// the exchange (RFC 4568: each side encrypts with the key in its own a=crypto line).

#include <optional>

#include "media/api/media_control.h"
#include "media/relay/relay.h"
#include "media/sdp_rewrite/sdp_info.h"
#include "media/sdp_rewrite/sdp_rewriter.h"

namespace gh::media::service {

struct SideKeys {
  std::optional<SrtpMasterKey> decrypt; // the party's key: what it sends us
  std::optional<SrtpMasterKey> encrypt; // our key toward it
};

// The offerer's keys once we answered it: `answer` is our rewritten answer line toward it.
MediaResult<SideKeys> offererKeys(const MediaInfo& offer, const RewrittenMedia& answer);

// The answerer's keys: `our_offer` is what we offered it, `answer` its reply. An answerer that
// replied without crypto to our SRTP offer gets plain RTP both ways.
MediaResult<SideKeys> answererKeys(const RewrittenMedia& our_offer, const MediaInfo& answer);

// Endpoints from the party's SDP (left invalid when its address family differs from our
// interface's: the relay then waits for the first packet and latches), mux, keys, clock.
relay::SideParams sideParams(const MediaInfo& party, const relay::LocalPorts& local, bool rtcp_mux,
                             SideKeys keys);

} // namespace gh::media::service
