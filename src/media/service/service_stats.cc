// The read side of MediaService: query, list, statistics and timeout events.

#include <algorithm>
#include <string>

#include "common/log.h"
#include "media/service/media_service.h"

namespace gh::media {

using service::Call;
using service::StreamState;

namespace {

net::Endpoint advertised(const relay::LocalPorts& ports) {
  auto e = net::Endpoint::fromIp(ports.advertised_address, ports.rtp.port());
  return e ? *e : ports.rtp;
}

} // namespace

MediaResult<CallStats> MediaService::callStats(const Call& call) {
  CallStats stats;
  stats.call_id = call.call_id;
  stats.created = call.created;
  // Figures of every relayed stream, asked once (one worker round trip each).
  std::vector<std::optional<relay::StreamStats>> figures(call.streams.size());
  for (std::size_t i = 0; i < call.streams.size(); ++i) {
    if (call.streams[i].relayed()) {
      if (auto f = relay_->query(call.streams[i].id)) {
        figures[i] = std::move(*f);
      }
    }
  }
  for (int side : {service::kSideA, service::kSideB}) {
    const service::Party& party = call.parties[static_cast<std::size_t>(side)];
    if (party.tag.empty()) {
      continue;
    }
    PartyStats& ps = stats.parties.emplace_back();
    ps.tag = party.tag;
    ps.interface = party.interface;
    for (std::size_t i = 0; i < call.streams.size(); ++i) {
      const StreamState& s = call.streams[i];
      if (!s.relayed() || !figures[i]) {
        continue;
      }
      const relay::SideStats& f = side == service::kSideA ? figures[i]->a : figures[i]->b;
      StreamStats& out = ps.streams.emplace_back();
      out.media = s.media;
      out.index = static_cast<uint32_t>(i);
      out.local = advertised(s.local(side));
      out.remote = f.remote_rtp;
      out.protocol = s.side[static_cast<std::size_t>(side)].proto_sent;
      out.in = f.in;
    }
  }
  return stats;
}

void MediaService::query(const std::string& call_id, StatsDone done) {
  auto found = calls_.find(call_id);
  MediaResult<CallStats> result =
      found == calls_.end() ? MediaResult<CallStats>(Unexpected<MediaError>(
                                  MediaError{MediaErrc::UnknownCall, "no call " + call_id}))
                            : callStats(*found->second);
  if (done) {
    done(std::move(result));
  }
}

std::vector<std::string> MediaService::list(std::size_t limit) {
  std::vector<std::string> ids;
  ids.reserve(std::min(limit, calls_.size()));
  for (const auto& [id, call] : calls_) {
    if (ids.size() >= limit) {
      break;
    }
    ids.push_back(id);
  }
  return ids;
}

GlobalStats MediaService::statistics() {
  const relay::RelayStats r = relay_->stats();
  GlobalStats g;
  g.calls_active = calls_.size();
  g.calls_total = calls_total_;
  g.streams_active = r.streams;
  g.ports_in_use = r.ports_in_use;
  g.ports_free = r.ports_free;
  g.packets_relayed = r.packets_relayed;
  g.bytes_relayed = r.bytes_relayed;
  g.srtp_auth_failures = r.srtp_auth_failures;
  g.timeouts = r.timeouts;
  g.errors = errors_;
  return g;
}

void MediaService::setEventHandler(std::function<void(const MediaEvent&)> handler) {
  on_event_ = std::move(handler);
}

int MediaService::eventFd() const {
  return relay_->eventFd();
}

void MediaService::processEvents() {
  for (const relay::RelayEvent& e : relay_->takeEvents()) {
    auto key = call_by_key_.find(e.cookie);
    if (key == call_by_key_.end()) {
      continue; // the call went away after the event was queued
    }
    auto found = calls_.find(key->second);
    if (found == calls_.end()) {
      continue;
    }
    Call& call = *found->second;
    for (StreamState& s : call.streams) {
      if (s.id == e.id) {
        s.timed_out = true;
      }
    }
    // A call is dead only when every relayed stream is (rtpengine's rule): a silent video
    // stream must not end a call whose audio still flows.
    const bool all = std::all_of(call.streams.begin(), call.streams.end(),
                                 [](const auto& s) { return !s.relayed() || s.timed_out; });
    if (!all || call.timed_out) {
      continue;
    }
    call.timed_out = true;
    MediaEvent event;
    event.kind = e.kind == relay::RelayEvent::Kind::SilentTimeout ? MediaEvent::Kind::SilentTimeout
                                                                  : MediaEvent::Kind::Timeout;
    event.call_id = call.call_id;
    GH_LOG_INFO(Module::Media, "call-id={} media timeout ({})", call.call_id,
                event.kind == MediaEvent::Kind::Timeout ? "no media" : "on hold");
    if (on_event_) {
      on_event_(event);
    }
  }
}

} // namespace gh::media
