#include "media/ng/ng_reply.h"

#include <map>

namespace gh::media::ng {

namespace {

int64_t unixSeconds(std::chrono::steady_clock::time_point t, const ClockPair& now) {
  const auto wall =
      now.system - std::chrono::duration_cast<std::chrono::system_clock::duration>(now.steady - t);
  return std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count();
}

int64_t asInt(uint64_t v) {
  return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(v);
}

void counters(NgWriter& w, uint64_t packets, uint64_t bytes, uint64_t errors) {
  w.beginDict()
      .entry("packets", asInt(packets))
      .entry("bytes", asInt(bytes))
      .entry("errors", asInt(errors))
      .end();
}

void endpoint(NgWriter& w, const net::Endpoint& e) {
  w.beginDict();
  if (e.valid()) {
    w.entry("family", e.isV4() ? "IPv4" : "IPv6")
        .entry("address", e.ip())
        .entry("port", int64_t{e.port()});
  }
  w.end();
}

uint64_t errorsOf(const DirectionStats& d) {
  return d.srtp_auth_failures + d.srtp_replays + d.dropped;
}

void stream(NgWriter& w, const StreamStats& s, const ClockPair& now) {
  w.beginDict().entry("local port", int64_t{s.local.port()});
  if (s.local.valid())
    w.entry("local address", s.local.ip());
  w.key("endpoint");
  endpoint(w, s.remote);
  w.key("advertised endpoint");
  endpoint(w, s.remote);
  if (s.in.last_packet)
    w.entry("last packet", unixSeconds(*s.in.last_packet, now));
  w.key("stats");
  counters(w, s.in.packets, s.in.bytes, errorsOf(s.in));
  // Beyond rtpengine's keys: what the relay measures per stream.
  w.entry("RTCP packets", asInt(s.in.rtcp_packets))
      .entry("lost", asInt(s.in.lost))
      .entry("jitter", static_cast<int64_t>(s.in.jitter_ms));
  w.end();
}

void party(NgWriter& w, const PartyStats& p, const CallStats& call, const ClockPair& now) {
  w.beginDict().entry("tag", p.tag).entry("created", unixSeconds(call.created, now));
  for (const PartyStats& other : call.parties) {
    if (other.tag != p.tag) {
      w.entry("in dialogue with", other.tag);
      break;
    }
  }
  if (!p.interface.empty())
    w.entry("interface", p.interface);
  // One media per m= index; our figures have one stream per media (RTP and its RTCP together).
  std::map<uint32_t, std::vector<const StreamStats*>> medias;
  for (const StreamStats& s : p.streams)
    medias[s.index].push_back(&s);
  w.key("medias").beginList();
  for (const auto& [index, streams] : medias) {
    w.beginDict()
        .entry("index", int64_t{index} + 1) // rtpengine counts m= lines from 1
        .entry("type", streams.front()->media)
        .entry("protocol", streams.front()->protocol)
        .key("streams")
        .beginList();
    for (const StreamStats* s : streams)
      stream(w, *s, now);
    w.end().end();
  }
  w.end().end();
}

} // namespace

std::string pongReply(Encoding encoding) {
  return NgWriter(encoding).beginDict().entry("result", "pong").end().take();
}

std::string errorReply(Encoding encoding, std::string_view reason) {
  return NgWriter(encoding)
      .beginDict()
      .entry("result", "error")
      .entry("error-reason", reason)
      .end()
      .take();
}

std::string okReply(Encoding encoding, std::string_view warning) {
  NgWriter w(encoding);
  w.beginDict().entry("result", "ok");
  if (!warning.empty())
    w.entry("warning", warning);
  return w.end().take();
}

std::string sdpReply(Encoding encoding, std::string_view sdp) {
  return NgWriter(encoding).beginDict().entry("sdp", sdp).entry("result", "ok").end().take();
}

std::string listReply(Encoding encoding, const std::vector<std::string>& call_ids) {
  NgWriter w(encoding);
  w.beginDict().key("calls").beginList();
  for (const std::string& id : call_ids)
    w.string(id);
  return w.end().entry("result", "ok").end().take();
}

std::string statsReply(Encoding encoding, const CallStats& stats, const ClockPair& now,
                       std::string_view warning) {
  NgWriter w(encoding);
  const int64_t created = unixSeconds(stats.created, now);
  w.beginDict().entry("result", "ok");
  if (!warning.empty())
    w.entry("warning", warning);
  w.entry("created", created).entry("last signal", created).key("tags").beginDict();
  uint64_t rtp_packets = 0, rtp_bytes = 0, rtp_errors = 0, rtcp_packets = 0;
  for (const PartyStats& p : stats.parties) {
    w.key(p.tag);
    party(w, p, stats, now);
    for (const StreamStats& s : p.streams) {
      rtp_packets += s.in.packets;
      rtp_bytes += s.in.bytes;
      rtp_errors += errorsOf(s.in);
      rtcp_packets += s.in.rtcp_packets;
    }
  }
  w.end().key("totals").beginDict().key("RTP");
  counters(w, rtp_packets, rtp_bytes, rtp_errors);
  w.key("RTCP");
  counters(w, rtcp_packets, 0, 0);
  return w.end().end().take();
}

std::string statisticsReply(Encoding encoding, const GlobalStats& s,
                            const ControlFigures& control) {
  NgWriter w(encoding);
  w.beginDict().key("statistics").beginDict();
  w.key("currentstatistics")
      .beginDict()
      .entry("sessionsown", asInt(s.calls_active))
      .entry("sessionsforeign", int64_t{0})
      .entry("sessionstotal", asInt(s.calls_active))
      .entry("transcodedmedia", int64_t{0})
      .end();
  w.key("totalstatistics")
      .beginDict()
      .entry("managedsessions", asInt(s.calls_total))
      .entry("timeoutsessions", asInt(s.timeouts))
      .entry("packetsrelayed", asInt(s.packets_relayed))
      .entry("bytesrelayed", asInt(s.bytes_relayed))
      .entry("errors", asInt(s.errors))
      .end();
  w.key("controlstatistics").beginDict();
  for (const auto& [name, count] : control.commands)
    w.entry(std::string("total") + std::string(name) + "count", asInt(count));
  w.entry("errorcount", asInt(control.errors))
      .entry("cachehits", asInt(control.cache_hits))
      .entry("dropped", asInt(control.dropped))
      .end();
  w.key("gatehouse")
      .beginDict()
      .entry("calls active", asInt(s.calls_active))
      .entry("calls total", asInt(s.calls_total))
      .entry("streams active", asInt(s.streams_active))
      .entry("ports in use", asInt(s.ports_in_use))
      .entry("ports free", asInt(s.ports_free))
      .entry("packets relayed", asInt(s.packets_relayed))
      .entry("bytes relayed", asInt(s.bytes_relayed))
      .entry("SRTP auth failures", asInt(s.srtp_auth_failures))
      .entry("timeouts", asInt(s.timeouts))
      .entry("errors", asInt(s.errors))
      .end();
  return w.end().entry("result", "ok").end().take();
}

std::string reasonFor(const MediaError& error) {
  switch (error.code) {
  case MediaErrc::UnknownCall: return "Unknown call-id";
  case MediaErrc::NoPorts: return "Ran out of ports"; // Kamailio's module matches this text
  default: break;
  }
  if (!error.reason.empty())
    return error.reason;
  switch (error.code) {
  case MediaErrc::BadRequest: return "Bad request";
  case MediaErrc::BadSdp: return "Failed to parse SDP";
  case MediaErrc::UnknownInterface: return "Unknown interface";
  case MediaErrc::Unsupported: return "Unsupported request";
  case MediaErrc::Unavailable: return "Media engine unavailable";
  default: return "Internal error";
  }
}

} // namespace gh::media::ng
