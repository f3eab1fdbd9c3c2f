#include "call/media_bridge.h"

#include "common/log.h"
#include "route/router.h"

namespace gh::call {

namespace {

LegSide otherSide(LegSide side) {
  return side == LegSide::A ? LegSide::B : LegSide::A;
}

std::string_view tagOf(const MediaContext& ctx, LegSide side) {
  return side == LegSide::A ? ctx.a_tag : ctx.b_tag;
}

std::string interfaceName(const MediaContext& ctx, LegSide side) {
  std::size_t index = side == LegSide::A ? ctx.a_interface : ctx.b_interface;
  if (ctx.config == nullptr || index >= ctx.config->interfaces.size())
    return {};
  return ctx.config->interfaces[index].name;
}

MediaFailure failureOf(const media::MediaError& error) {
  MediaFailure f;
  // Out of ports, or the remote media engine did not answer: the call may succeed elsewhere or
  // later (503); anything else is about this SDP (488).
  const bool capacity =
      error.code == media::MediaErrc::NoPorts || error.code == media::MediaErrc::Unavailable;
  f.sip_code = capacity ? 503 : 488;
  f.reason = error.reason;
  return f;
}

media::MediaControl::SdpDone adapt(BodyDone done) {
  return [done = std::move(done)](media::MediaResult<std::string> sdp) {
    if (sdp) {
      done(std::move(*sdp));
    } else {
      done(Unexpected(failureOf(sdp.error())));
    }
  };
}

} // namespace

media::SdpPolicy sdpPolicyOf(const config::MediaPolicy& policy) {
  media::SdpPolicy out;
  switch (policy.mode) {
  case config::MediaMode::Passthrough: out.protocol = media::Protocol::Keep; break;
  case config::MediaMode::Rtp: out.protocol = media::Protocol::RtpAvp; break;
  case config::MediaMode::Srtp: out.protocol = media::Protocol::RtpSavp; break;
  }
  out.ice =
      policy.ice == config::IceMode::Remove ? media::IcePolicy::Remove : media::IcePolicy::Keep;
  switch (policy.rtcp_mux) {
  case config::RtcpMuxMode::Keep: out.rtcp_mux = media::RtcpMuxPolicy::Keep; break;
  case config::RtcpMuxMode::Strip: out.rtcp_mux = media::RtcpMuxPolicy::Strip; break;
  case config::RtcpMuxMode::Offer: out.rtcp_mux = media::RtcpMuxPolicy::Offer; break;
  case config::RtcpMuxMode::Require: out.rtcp_mux = media::RtcpMuxPolicy::Require; break;
  }
  out.dtls_off = policy.dtls == config::DtlsMode::Off;
  if (policy.mode == config::MediaMode::Srtp) {
    for (auto suite : policy.srtp_suites)
      out.srtp_suites.emplace_back(config::srtpSuiteName(suite));
  }
  out.codecs_keep = policy.codecs;
  return out;
}

media::SdpPolicy MediaBridge::policyToward(const MediaContext& ctx, LegSide side) {
  if (ctx.config == nullptr)
    return {};
  const config::Config& config = *ctx.config;
  const auto* compiled = static_cast<const route::CompiledRoute*>(ctx.route);
  const config::Route* route = compiled != nullptr ? compiled->route : nullptr;
  std::size_t peer = side == LegSide::A ? ctx.a_peer : ctx.b_peer;
  config::MediaPolicy base;
  if (peer < config.peers.size()) {
    base = config.peers[peer].media;
  } else {
    base = config::profileMediaPolicy(config::Profile::Generic, config.media);
    base.mode = config::MediaMode::Rtp;
  }
  if (route != nullptr)
    base = config::applyMediaOverride(base, side == LegSide::A ? route->media.inbound
                                                               : route->media.outbound);
  return sdpPolicyOf(base);
}

bool MediaBridge::anchored(const MediaContext& ctx) {
  const auto* compiled = static_cast<const route::CompiledRoute*>(ctx.route);
  return compiled != nullptr && compiled->route != nullptr && compiled->route->media.anchor &&
         ctx.config != nullptr;
}

void MediaBridge::offer(const MediaContext& ctx, LegSide from, std::string_view sdp,
                        BodyDone done) {
  if (!anchored(ctx)) {
    done(std::string(sdp));
    return;
  }
  media::OfferParams p;
  p.call_id = std::string(ctx.a_call_id);
  p.from_tag = std::string(tagOf(ctx, from));
  p.sdp = std::string(sdp);
  p.from_interface = interfaceName(ctx, from);
  p.to_interface = interfaceName(ctx, otherSide(from));
  p.policy = policyToward(ctx, otherSide(from));
  calls_[p.call_id] = ctx.call;
  GH_LOG_DEBUG(Module::Call, "call-id={} media offer from leg {} ({} -> {})", p.call_id,
               from == LegSide::A ? 'A' : 'B', p.from_interface, p.to_interface);
  media_.offer(p, adapt(std::move(done)));
}

void MediaBridge::answer(const MediaContext& ctx, LegSide from, std::string_view sdp,
                         BodyDone done) {
  if (!anchored(ctx)) {
    done(std::string(sdp));
    return;
  }
  media::AnswerParams p;
  p.call_id = std::string(ctx.a_call_id);
  p.from_tag = std::string(tagOf(ctx, otherSide(from)));
  p.to_tag = std::string(tagOf(ctx, from));
  p.sdp = std::string(sdp);
  p.policy = policyToward(ctx, otherSide(from));
  media_.answer(p, adapt(std::move(done)));
}

void MediaBridge::release(const MediaContext& ctx) {
  std::string call_id(ctx.a_call_id);
  auto it = calls_.find(call_id);
  if (it == calls_.end() || it->second != ctx.call)
    return; // never offered (not anchored, or failed before the offer)
  calls_.erase(it);
  media_.remove({.call_id = call_id}, [call_id](media::MediaResult<media::CallStats> stats) {
    if (!stats) {
      GH_LOG_DEBUG(Module::Call, "call-id={} media remove: {}", call_id, stats.error().reason);
    }
  });
}

std::optional<uint64_t> MediaBridge::callOf(const std::string& a_call_id) const {
  auto it = calls_.find(a_call_id);
  if (it == calls_.end())
    return std::nullopt;
  return it->second;
}

} // namespace gh::call
