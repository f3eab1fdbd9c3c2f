#pragma once
// The media API: what the call layer (in-process) and the NG control server ask of a media
// engine. The in-process engine (media/service) and an NG client (driving a remote Gatehouse or a
// real rtpengine) both implement it, so signaling never knows which one it drives.
//
// Semantics follow rtpengine's offer/answer model: a call is keyed by Call-ID; each party by its
// tag. An offer from `from_tag` creates or updates that party's streams and returns the SDP to
// send toward the other party, rewritten by `policy`; the answer from `to_tag` completes them
// and returns the SDP to send back to the offerer.
//
// Completion callbacks may run before the call returns (in-process) or later on the caller's
// thread (remote). They are never run on a media worker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "net/endpoint.h"

namespace gh::media {

// The transport protocol the receiver of a rewritten SDP is to see on its m= lines.
enum class Protocol : uint8_t {
  Keep,     // as offered
  RtpAvp,   // plain RTP
  RtpSavp,  // SDES-SRTP
  RtpAvpf,  // plain RTP with RTCP feedback
  RtpSavpf, // SDES-SRTP with RTCP feedback
};

enum class IcePolicy : uint8_t { Keep, Remove };
enum class RtcpMuxPolicy : uint8_t {
  Keep,    // pass a=rtcp-mux through as offered/answered
  Strip,   // remove a=rtcp-mux; this side gets separate RTCP ports
  Offer,   // add a=rtcp-mux toward this side
  Require, // demultiplex on this side: RTP and RTCP share one port
};

// How the SDP that leaves toward one side is rewritten. Everything the seed's rtpengine flags
// express (`SRTP DTLS=off ICE=remove replace-session-connection`) is a field here.
struct SdpPolicy {
  Protocol protocol = Protocol::Keep;
  IcePolicy ice = IcePolicy::Keep;
  RtcpMuxPolicy rtcp_mux = RtcpMuxPolicy::Keep;
  bool dtls_off = true;                 // drop a=fingerprint / a=setup (SDES only)
  std::vector<std::string> srtp_suites; // offered toward an SRTP side, in order; empty = default
  std::vector<std::string> codecs_keep; // encoding names to keep (plus telephone-event); empty=all
  bool replace_origin = true;           // o= address becomes ours
  bool replace_session_connection = true;        // session-level c= becomes ours
  std::vector<std::string> remove_line_prefixes; // e.g. "a=label:"; applied last
};

struct OfferParams {
  std::string call_id;
  std::string from_tag;
  std::string via_branch; // optional, informational
  std::string sdp;
  std::string from_interface; // where the offerer is (media ports for it are allocated here)
  std::string to_interface;   // where the answerer is (the rewritten SDP carries these ports)
  SdpPolicy policy;           // applied to the SDP sent toward the answerer
  std::optional<net::Endpoint> received_from; // signaling source, a NAT hint
};

struct AnswerParams {
  std::string call_id;
  std::string from_tag; // the offerer
  std::string to_tag;   // the answerer
  std::string sdp;
  SdpPolicy policy; // applied to the SDP sent back toward the offerer
};

struct DeleteParams {
  std::string call_id;
  std::string from_tag; // empty = whole call
  std::string to_tag;
};

// Figures for one direction of one stream (as received from a party, before forwarding).
struct DirectionStats {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t rtcp_packets = 0;
  uint64_t lost = 0;    // from RTP sequence gaps
  double jitter_ms = 0; // RFC 3550 A.8 interarrival jitter
  uint64_t srtp_auth_failures = 0;
  uint64_t srtp_replays = 0;
  uint64_t dropped = 0; // not forwarded for any other reason
  std::optional<std::chrono::steady_clock::time_point> last_packet;
  // From received RTCP SR/RR, when present.
  std::optional<uint8_t> rtcp_fraction_lost;
  std::optional<uint32_t> rtcp_cumulative_lost;
  std::optional<uint32_t> rtcp_jitter;
  std::optional<double> mos; // estimate from loss and jitter (E-model, G.107 simplified)
};

struct StreamStats {
  std::string media;    // "audio", "video" ...
  uint32_t index = 0;   // m= line position
  net::Endpoint local;  // our address this party sends to
  net::Endpoint remote; // the party's address (latched once packets arrive)
  std::string protocol; // "RTP/AVP", "RTP/SAVP" ...
  DirectionStats in;    // received from this party
};

struct PartyStats {
  std::string tag;
  std::string interface;
  std::vector<StreamStats> streams;
};

struct CallStats {
  std::string call_id;
  std::chrono::steady_clock::time_point created;
  std::vector<PartyStats> parties;
};

struct GlobalStats {
  uint64_t calls_active = 0;
  uint64_t calls_total = 0;
  uint64_t streams_active = 0;
  uint64_t ports_in_use = 0;
  uint64_t ports_free = 0;
  uint64_t packets_relayed = 0;
  uint64_t bytes_relayed = 0;
  uint64_t srtp_auth_failures = 0;
  uint64_t timeouts = 0;
  uint64_t errors = 0;
};

enum class MediaErrc : uint8_t {
  BadRequest,  // missing or malformed parameter
  BadSdp,      // the SDP does not parse or cannot be rewritten
  UnknownCall, // no such call / tag
  NoPorts,     // the interface's port range is exhausted
  UnknownInterface,
  Unsupported, // e.g. DTLS-SRTP required, unknown crypto suite only
  Unavailable, // remote engine unreachable / timed out
  Internal,
};

struct MediaError {
  MediaErrc code = MediaErrc::Internal;
  std::string reason; // one line, for NG "error-reason" and logs
};

template <typename T>
using MediaResult = Expected<T, MediaError>;

// Why a session ended on the media side; the call layer turns it into BYE on both legs.
struct MediaEvent {
  enum class Kind : uint8_t { Timeout, SilentTimeout } kind = Kind::Timeout;
  std::string call_id;
};

class MediaControl {
public:
  virtual ~MediaControl() = default;

  using SdpDone = std::function<void(MediaResult<std::string>)>;
  using StatsDone = std::function<void(MediaResult<CallStats>)>;

  virtual void offer(const OfferParams&, SdpDone done) = 0;
  virtual void answer(const AnswerParams&, SdpDone done) = 0;
  virtual void remove(const DeleteParams&, StatsDone done) = 0;
  virtual void query(const std::string& call_id, StatsDone done) = 0;
  virtual std::vector<std::string> list(std::size_t limit) = 0;
  virtual GlobalStats statistics() = 0;

  // Events (media timeout) are delivered on the thread that drives the control calls.
  virtual void setEventHandler(std::function<void(const MediaEvent&)> handler) = 0;
};

} // namespace gh::media
