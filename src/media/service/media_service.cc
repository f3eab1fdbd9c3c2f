#include "media/service/media_service.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/log.h"
#include "media/service/key_material.h"
#include "media/service/side_params.h"
#include "sdp/session_description.h"

namespace gh::media {

using service::Call;
using service::kSideA;
using service::kSideB;
using service::otherSide;
using service::relaySide;
using service::StreamState;

namespace {

Unexpected<MediaError> failure(MediaErrc code, std::string reason) {
  return Unexpected<MediaError>(MediaError{code, std::move(reason)});
}

struct ParsedSdp {
  sdp::SessionDescription sdp;
  SdpInfo info;
};

MediaResult<ParsedSdp> parseSdp(const std::string& text) {
  Result<sdp::SessionDescription> parsed = sdp::parse(text);
  if (!parsed) {
    return failure(MediaErrc::BadSdp, "SDP at byte " + std::to_string(parsed.error().offset) +
                                          ": " + parsed.error().what);
  }
  Result<SdpInfo> info = extractSdpInfo(*parsed);
  if (!info) {
    return failure(MediaErrc::BadSdp,
                   "SDP at byte " + std::to_string(info.error().offset) + ": " + info.error().what);
  }
  return ParsedSdp{std::move(*parsed), std::move(*info)};
}

// What the party on `side` must see for a relayed stream: our advertised address and ports there.
LocalMedia localFor(const StreamState& stream, int side) {
  LocalMedia local;
  if (!stream.relayed()) {
    local.reject = true;
    return local;
  }
  const relay::LocalPorts& ports = stream.local(side);
  auto advertised = net::Endpoint::fromIp(ports.advertised_address, ports.rtp.port());
  local.rtp = advertised ? *advertised : ports.rtp;
  local.rtcp_port = ports.rtcp.port();
  local.keys = stream.side[static_cast<std::size_t>(side)].keys_sent;
  return local;
}

} // namespace

MediaResult<std::unique_ptr<MediaService>> MediaService::create(MediaServiceConfig config) {
  auto relay = relay::Relay::create(std::move(config.relay));
  if (!relay) {
    return Unexpected<MediaError>(relay.error());
  }
  return std::make_unique<MediaService>(std::move(*relay), std::move(config.keys),
                                        config.max_calls);
}

MediaService::MediaService(std::unique_ptr<relay::Relay> relay, KeySource keys,
                           std::size_t max_calls)
    : relay_(std::move(relay)), keys_(keys ? std::move(keys) : randomKeySource()),
      support_(srtpSupport()), max_calls_(max_calls) {}

MediaService::~MediaService() {
  for (auto& [id, call] : calls_) {
    releaseCall(*call);
  }
}

void MediaService::offer(const OfferParams& params, SdpDone done) {
  MediaResult<std::string> result = doOffer(params);
  if (!result) {
    ++errors_;
    GH_LOG_WARN(Module::Media, "call-id={} offer from {} failed: {}", params.call_id,
                params.from_tag, result.error().reason);
  }
  if (done) {
    done(std::move(result));
  }
}

void MediaService::answer(const AnswerParams& params, SdpDone done) {
  MediaResult<std::string> result = doAnswer(params);
  if (!result) {
    ++errors_;
    GH_LOG_WARN(Module::Media, "call-id={} answer from {} failed: {}", params.call_id,
                params.to_tag, result.error().reason);
  }
  if (done) {
    done(std::move(result));
  }
}

void MediaService::remove(const DeleteParams& params, StatsDone done) {
  MediaResult<CallStats> result = doRemove(params);
  if (done) {
    done(std::move(result));
  }
}

MediaResult<std::string> MediaService::doOffer(const OfferParams& params) {
  if (params.call_id.empty() || params.from_tag.empty()) {
    return failure(MediaErrc::BadRequest, "offer needs call-id and from-tag");
  }
  MediaResult<ParsedSdp> in = parseSdp(params.sdp);
  if (!in) {
    return Unexpected<MediaError>(in.error());
  }
  const SdpInfo& info = in->info;

  auto found = calls_.find(params.call_id);
  std::unique_ptr<Call> fresh_call;
  Call* call = nullptr;
  if (found == calls_.end()) {
    if (max_calls_ != 0 && calls_.size() >= max_calls_) {
      return failure(MediaErrc::NoPorts, "call limit reached");
    }
    fresh_call = std::make_unique<Call>();
    fresh_call->call_id = params.call_id;
    fresh_call->key = next_key_++;
    fresh_call->created = std::chrono::steady_clock::now();
    fresh_call->parties[kSideA].tag = params.from_tag;
    fresh_call->parties[kSideA].interface = params.from_interface;
    fresh_call->parties[kSideB].interface = params.to_interface;
    call = fresh_call.get();
  } else {
    call = found->second.get();
  }
  const int offerer = call->sideOf(params.from_tag);
  if (offerer < 0) {
    return failure(MediaErrc::UnknownCall, "from-tag " + params.from_tag + " is not in the call");
  }
  const int answerer = otherSide(offerer);
  if (info.media.size() < call->streams.size()) {
    return failure(MediaErrc::BadSdp, "an offer may not remove m= lines (RFC 3264 §8)");
  }

  // Allocate what is new first; on failure give back exactly that, so nothing leaks.
  const std::size_t old_count = call->streams.size();
  call->streams.resize(info.media.size());
  std::vector<std::size_t> allocated;
  std::vector<std::size_t> to_release;
  auto rollback = [&] {
    for (std::size_t i : allocated) {
      (void)relay_->release(call->streams[i].id);
      call->streams[i] = StreamState{};
    }
    call->streams.resize(old_count);
  };
  for (std::size_t i = 0; i < info.media.size(); ++i) {
    const MediaInfo& m = info.media[i];
    StreamState& s = call->streams[i];
    // An SRTP offer we cannot decrypt (DTLS-only, MKI, unknown suite) is rejected, not relayed
    // undecrypted.
    const bool relayable =
        !m.rejected() && m.isRtp() && (!m.isSrtp() || chooseCrypto(m.crypto, support_).has_value());
    if (relayable && !s.relayed()) {
      const relay::StreamSpec spec{.interface_a = call->parties[kSideA].interface,
                                   .interface_b = call->parties[kSideB].interface,
                                   .cookie = call->key};
      auto ports = relay_->allocate(spec);
      if (!ports && ports.error().code == MediaErrc::NoPorts) {
        // Released ports return to the pool on the workers: a delete answered just before
        // this offer may not have freed its ports yet. Wait for the workers, try once more.
        relay_->sync();
        ports = relay_->allocate(spec);
      }
      if (!ports) {
        rollback();
        return Unexpected<MediaError>(ports.error());
      }
      s.id = ports->id;
      s.ports = *ports;
      s.media = m.media;
      allocated.push_back(i);
    } else if (!relayable && s.relayed()) {
      to_release.push_back(i);
    }
  }

  RewriteRequest request{.kind = SdpKind::Offer,
                         .policy = &params.policy,
                         .local = {},
                         .keys = keys_,
                         .support = support_,
                         .answered = nullptr,
                         .origin = &call->parties[static_cast<std::size_t>(answerer)].origin};
  for (std::size_t i = 0; i < info.media.size(); ++i) {
    LocalMedia local = localFor(call->streams[i], answerer);
    local.reject =
        local.reject || std::find(to_release.begin(), to_release.end(), i) != to_release.end();
    request.local.push_back(std::move(local));
  }
  Result<RewrittenSdp> out = rewriteSdp(in->sdp, info, request);
  if (!out) {
    rollback();
    return failure(MediaErrc::BadSdp, std::string("rewrite: ") + out.error().what);
  }

  for (std::size_t i : to_release) {
    releaseStream(*call, call->streams[i]);
  }
  for (std::size_t i = 0; i < info.media.size(); ++i) {
    StreamState& s = call->streams[i];
    s.side[static_cast<std::size_t>(answerer)].keys_sent = out->media[i].crypto;
    s.side[static_cast<std::size_t>(answerer)].proto_sent = out->media[i].proto;
    if (s.relayed() && info.media[i].onHold() != s.on_hold) {
      s.on_hold = info.media[i].onHold();
      (void)relay_->setHold(s.id, s.on_hold);
    }
  }
  call->offer = service::LastOffer{offerer, info, out->media};
  call->parties[static_cast<std::size_t>(offerer)].last_sdp = info;
  if (fresh_call) {
    call_by_key_[call->key] = call->call_id;
    calls_.emplace(call->call_id, std::move(fresh_call));
    ++calls_total_;
  }
  GH_LOG_INFO(Module::Media, "call-id={} offer from {} ({} m= lines, {} new streams)",
              params.call_id, params.from_tag, info.media.size(), allocated.size());
  return std::move(out->sdp);
}

MediaResult<std::string> MediaService::doAnswer(const AnswerParams& params) {
  if (params.call_id.empty() || params.from_tag.empty() || params.to_tag.empty()) {
    return failure(MediaErrc::BadRequest, "answer needs call-id, from-tag and to-tag");
  }
  if (params.from_tag == params.to_tag) {
    return failure(MediaErrc::BadRequest, "from-tag and to-tag are the same");
  }
  auto found = calls_.find(params.call_id);
  if (found == calls_.end()) {
    return failure(MediaErrc::UnknownCall, "no call " + params.call_id);
  }
  Call& call = *found->second;
  if (!call.offer || call.sideOf(params.from_tag) != call.offer->offerer) {
    return failure(MediaErrc::UnknownCall, "no offer from " + params.from_tag + " to answer");
  }
  const service::LastOffer& offer = *call.offer;
  const int offerer = offer.offerer;
  const int answerer = otherSide(offerer);
  service::Party& party = call.parties[static_cast<std::size_t>(answerer)];
  if (party.tag.empty()) {
    party.tag = params.to_tag;
  } else if (party.tag != params.to_tag && answerer == kSideA) {
    return failure(MediaErrc::UnknownCall, "to-tag " + params.to_tag + " is not in the call");
  } else if (party.tag != params.to_tag) {
    // A forked INVITE answered by another branch: the latest answer owns side B.
    GH_LOG_INFO(Module::Media, "call-id={} answer from {} replaces {}", params.call_id,
                params.to_tag, party.tag);
    party.tag = params.to_tag;
  }

  MediaResult<ParsedSdp> in = parseSdp(params.sdp);
  if (!in) {
    return Unexpected<MediaError>(in.error());
  }
  const SdpInfo& info = in->info;
  if (info.media.size() != offer.info.media.size()) {
    return failure(MediaErrc::BadSdp, "answer has another number of m= lines than the offer");
  }

  RewriteRequest request{.kind = SdpKind::Answer,
                         .policy = &params.policy,
                         .local = {},
                         .keys = keys_,
                         .support = support_,
                         .answered = &offer.info,
                         .origin = &call.parties[static_cast<std::size_t>(offerer)].origin};
  for (std::size_t i = 0; i < info.media.size(); ++i) {
    LocalMedia local = localFor(call.streams[i], offerer);
    local.reject = local.reject || info.media[i].rejected();
    request.local.push_back(std::move(local));
  }
  Result<RewrittenSdp> out = rewriteSdp(in->sdp, info, request);
  if (!out) {
    return failure(MediaErrc::BadSdp, std::string("rewrite: ") + out.error().what);
  }

  // Every side's parameters first, so a bad key leaves the relay as it was.
  struct Pending {
    std::size_t index;
    relay::SideParams offerer_side;
    relay::SideParams answerer_side;
    bool hold;
  };

  std::vector<Pending> updates;
  std::vector<std::size_t> to_release;
  for (std::size_t i = 0; i < info.media.size(); ++i) {
    const StreamState& s = call.streams[i];
    if (!s.relayed()) {
      continue;
    }
    if (out->media[i].rejected) {
      to_release.push_back(i);
      continue;
    }
    const MediaInfo& offered = offer.info.media[i];
    const MediaInfo& answered = info.media[i];
    auto offerer_keys = service::offererKeys(offered, out->media[i]);
    if (!offerer_keys) {
      return Unexpected<MediaError>(offerer_keys.error());
    }
    auto answerer_keys = service::answererKeys(offer.sent[i], answered);
    if (!answerer_keys) {
      return Unexpected<MediaError>(answerer_keys.error());
    }
    const bool offerer_mux = offered.rtcp_mux && out->media[i].rtcp_mux;
    const bool answerer_mux = offer.sent[i].rtcp_mux && answered.rtcp_mux;
    updates.push_back(
        {i, service::sideParams(offered, s.local(offerer), offerer_mux, std::move(*offerer_keys)),
         service::sideParams(answered, s.local(answerer), answerer_mux, std::move(*answerer_keys)),
         offered.onHold() || answered.onHold()});
  }
  for (Pending& u : updates) {
    StreamState& s = call.streams[u.index];
    if (auto r = relay_->update(s.id, relaySide(offerer), u.offerer_side); !r) {
      return Unexpected<MediaError>(r.error());
    }
    if (auto r = relay_->update(s.id, relaySide(answerer), u.answerer_side); !r) {
      return Unexpected<MediaError>(r.error());
    }
    s.timed_out = false;
    if (u.hold != s.on_hold) {
      s.on_hold = u.hold;
      (void)relay_->setHold(s.id, s.on_hold);
    }
    s.side[static_cast<std::size_t>(offerer)].keys_sent = out->media[u.index].crypto;
    s.side[static_cast<std::size_t>(offerer)].proto_sent = out->media[u.index].proto;
  }
  for (std::size_t i : to_release) {
    releaseStream(call, call.streams[i]);
  }
  // The SDP we return lets the offerer send at once: the workers must have the keys first
  // (one command round trip; rtpengine also answers only once the stream is set up).
  if (!updates.empty()) {
    relay_->sync();
  }
  call.timed_out = false;
  party.last_sdp = info;
  GH_LOG_INFO(Module::Media, "call-id={} answer from {}: {} streams relayed", params.call_id,
              params.to_tag, updates.size());
  return std::move(out->sdp);
}

MediaResult<CallStats> MediaService::doRemove(const DeleteParams& params) {
  auto found = calls_.find(params.call_id);
  if (found == calls_.end()) {
    return failure(MediaErrc::UnknownCall, "no call " + params.call_id);
  }
  Call& call = *found->second;
  // A two-party call does not survive either party leaving: any known tag removes all of it.
  if (!params.from_tag.empty() && call.sideOf(params.from_tag) < 0 &&
      (params.to_tag.empty() || call.sideOf(params.to_tag) < 0)) {
    return failure(MediaErrc::UnknownCall, "tag " + params.from_tag + " is not in the call");
  }
  MediaResult<CallStats> stats = callStats(call);
  releaseCall(call);
  call_by_key_.erase(call.key);
  GH_LOG_INFO(Module::Media, "call-id={} deleted", params.call_id);
  calls_.erase(found);
  return stats;
}

void MediaService::releaseStream(Call& call, StreamState& stream) {
  if (!stream.relayed()) {
    return;
  }
  if (auto r = relay_->release(stream.id); !r) {
    GH_LOG_WARN(Module::Media, "call-id={} release of stream {}: {}", call.call_id, stream.id,
                r.error().reason);
  }
  stream.id = 0;
  stream.ports = {};
  stream.on_hold = false;
  stream.timed_out = false;
}

void MediaService::releaseCall(Call& call) {
  for (StreamState& s : call.streams) {
    releaseStream(call, s);
  }
}

} // namespace gh::media
