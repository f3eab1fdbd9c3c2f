#pragma once
// NG reply dictionaries, in rtpengine's shape so that controllers (Kamailio's rtpengine module
// reads "result", "sdp", "error-reason", "warning" and the query/delete statistics) need no
// change. Each returns the payload only; ng_frame.h adds the cookie.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "media/api/media_control.h"
#include "media/ng/ng_writer.h"

namespace gh::media::ng {

std::string pongReply(Encoding encoding);
std::string errorReply(Encoding encoding, std::string_view reason);
std::string okReply(Encoding encoding, std::string_view warning = {});
std::string sdpReply(Encoding encoding, std::string_view sdp);
std::string listReply(Encoding encoding, const std::vector<std::string>& call_ids);

// query, and delete without "fast": created, last signal, tags{...medias[streams[]]}, totals.
// `now` pairs the steady clock the figures use with the wall clock the reply speaks.
struct ClockPair {
  std::chrono::steady_clock::time_point steady = std::chrono::steady_clock::now();
  std::chrono::system_clock::time_point system = std::chrono::system_clock::now();
};

std::string statsReply(Encoding encoding, const CallStats& stats, const ClockPair& now = {},
                       std::string_view warning = {});

// Our own control-plane figures, reported beside the engine's in "statistics".
struct ControlFigures {
  std::vector<std::pair<std::string_view, uint64_t>> commands; // per command name
  uint64_t errors = 0;
  uint64_t cache_hits = 0;
  uint64_t dropped = 0;
};

std::string statisticsReply(Encoding encoding, const GlobalStats& stats,
                            const ControlFigures& control);

// The error-reason text for a media engine failure (rtpengine's wording where it has one).
std::string reasonFor(const MediaError& error);

} // namespace gh::media::ng
