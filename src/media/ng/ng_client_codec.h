#pragma once
// The client side of the NG wire format, without a socket: media API requests become the
// bencode dictionaries rtpengine (10.5 and later) and `gatehouse media` understand, and their
// replies become SDP, CallStats or a MediaError. NgClient (ng_client.h) adds the UDP transport.
//
// SdpPolicy -> NG keys (rtpengine's spelling; ng_options.cc reads the same keys on our server):
//   protocol        -> "transport-protocol": "RTP/AVP" | "RTP/SAVP" | "RTP/AVPF" | "RTP/SAVPF"
//   ice Remove      -> "ICE": "remove"
//   dtls_off        -> "DTLS": "off"
//   rtcp_mux        -> "rtcp-mux": ["demux"] (Strip) | ["offer"] | ["require"]; Keep sends nothing
//   srtp_suites     -> "SDES": ["only-X"..., "no-Y"...]: rtpengine 10.5 knows only "no-", later
//                      versions prefer "only-" and ignore "no-"; together they mean the same there
//   codecs_keep     -> "codec": {"strip": ["all"], "except": [X..., "telephone-event"]} (offers)
//   replace_origin / replace_session_connection -> "replace": ["origin", "session-connection"]
//   remove_line_prefixes -> applied here to the returned SDP (rtpengine's sdp-attr cannot say it)
// OfferParams -> "direction": [from, to] after the interface-name map; "received-from":
// ["IP4"|"IP6", address]; "via-branch" when set.

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "media/api/media_control.h"
#include "media/ng/bencode.h"

namespace gh::media::ng {

// Gatehouse [[interface]] name -> the engine's interface name (rtpengine's --interface NAME/...).
// A name not listed is sent as it is: a `gatehouse media` node shares the configuration's names.
using InterfaceNames = std::map<std::string, std::string, std::less<>>;

// Every suite rtpengine 10.5 knows (daemon/crypto.c), for the "no-" list.
const std::vector<std::string_view>& rtpengineSuites();

std::string encodePing();
std::string encodeOffer(const OfferParams& params, const InterfaceNames& names);
std::string encodeAnswer(const AnswerParams& params);
std::string encodeDelete(const DeleteParams& params);
std::string encodeQuery(std::string_view call_id);

// A reply's "result": "ok"/"pong" pass; "error" (and any other word, e.g. "load limit") becomes a
// MediaError with the engine's error-reason.
MediaResult<void> checkResult(const BValue& reply);

// offer/answer: the "sdp" of an ok reply, with `remove_line_prefixes` applied.
MediaResult<std::string> sdpOf(const BValue& reply, const SdpPolicy& policy);

// query/delete: rtpengine's statistics shape (tags -> medias -> streams) as CallStats. Keys that
// are missing leave zeros; a delete with "fast" or an empty reply gives a CallStats with no party.
CallStats statsOf(const BValue& reply, std::string call_id,
                  std::chrono::steady_clock::time_point steady_now,
                  std::chrono::system_clock::time_point system_now);

// The media API's error code for an engine's error-reason text.
MediaErrc errcForReason(std::string_view reason);

// Lines of `sdp` starting with any of `prefixes` removed (CRLF or LF lines).
std::string removeLines(std::string_view sdp, const std::vector<std::string>& prefixes);

} // namespace gh::media::ng
