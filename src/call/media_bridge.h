#pragma once
// The media hook that anchors a call's media: every SDP offer/answer the B2BUA carries goes
// through a media::MediaControl (the in-process MediaService, or an NG client), keyed by the
// caller's Call-ID with one party per leg tag. Routes with `media.anchor = false` pass the body
// untouched, as PassThroughMedia does.
//
// Roles (rtpengine's model, media/api/media_control.h): an offer from leg X is
// MediaControl::offer{from_tag = X's tag, from_interface = X's interface, to_interface = the other
// leg's, policy toward the other leg}; the answer from leg X is MediaControl::answer{from_tag =
// the other (offering) leg's tag, to_tag = X's tag, policy toward the offerer}. A re-offer from
// either leg (re-INVITE, UPDATE, a late offer in the callee's 2xx) is an offer from that leg: the
// media engine keeps the call's interfaces and ports. release() removes the whole call.
//
// Policies: toward leg B, B's peer [peer.media] with the route's media.outbound on top; toward
// leg A, A's peer [peer.media] with the route's media.inbound on top. A caller that is no
// configured peer (let in by an interface's allow list) gets the generic profile's policy with
// mode "rtp": an unknown endpoint on the inside is most likely a plain-RTP phone or PBX, and
// plain RTP is what every SIP endpoint accepts; the route's media.inbound override changes it.
//
// Failures: NoPorts and Unavailable (a remote engine that does not answer) 503, others 488.
// Thread: the SIP loop (the media engine's completions run on it, before or after the call).

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "call/media_hook.h"
#include "config/config.h"
#include "media/api/media_control.h"

namespace gh::call {

// The SdpPolicy a config media policy asks for toward the side it belongs to.
media::SdpPolicy sdpPolicyOf(const config::MediaPolicy& policy);

class MediaBridge final : public MediaHook {
public:
  explicit MediaBridge(media::MediaControl& media) : media_(media) {}

  void offer(const MediaContext& ctx, LegSide from, std::string_view sdp, BodyDone done) override;
  void answer(const MediaContext& ctx, LegSide from, std::string_view sdp, BodyDone done) override;
  void release(const MediaContext& ctx) override;

  // The call core's id of the anchored call whose caller Call-ID this is (a MediaEvent's key).
  std::optional<uint64_t> callOf(const std::string& a_call_id) const;

  // The policy toward `side` of the call (exposed for tests).
  static media::SdpPolicy policyToward(const MediaContext& ctx, LegSide side);

private:
  static bool anchored(const MediaContext& ctx);

  media::MediaControl& media_;
  std::unordered_map<std::string, uint64_t> calls_; // caller Call-ID -> call id, once offered
};

} // namespace gh::call
