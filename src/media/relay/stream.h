#pragma once
// One stream's packet state, owned by its worker: per side the sockets, the current targets and
// their latches, the SRTP contexts and the receive figures. Built on the control thread, handed
// over through the command queue, then touched by the worker alone.

#include <atomic>
#include <cstdint>
#include <memory>

#include "media/relay/port_pool.h"
#include "media/relay/receive_stats.h"
#include "media/relay/relay.h"
#include "media/srtp/srtp_context.h"
#include "net/endpoint.h"

namespace gh::media::relay {

// Frees an SRTP context and counts it, so tests can see that none outlives its stream.
struct SrtpDeleter {
  std::atomic<uint64_t>* live = nullptr;

  void operator()(SrtpContext* context) const {
    delete context;
    live->fetch_sub(1, std::memory_order_relaxed);
  }
};

using SrtpPtr = std::unique_ptr<SrtpContext, SrtpDeleter>;

struct Stream;

// The epoll cookie of one socket.
struct SocketTag {
  Stream* stream = nullptr;
  uint8_t side = 0;
  bool rtcp = false;
};

// Where one of our sockets sends, and who may change that by sending to it.
struct Latch {
  net::Endpoint target; // latched source, else the SDP endpoint (may be invalid)
  bool latched = false;
  uint32_t since_latch = 0; // packets accepted since the latch (saturates)
  TimePoint last_accepted{};

  // Whether a packet from `source` at `now` may go on; latches or re-latches as the policy says.
  bool accept(const net::Endpoint& source, TimePoint now, const LatchPolicy& policy);
  // Back to the SDP endpoint, unlatched.
  void reset(const net::Endpoint& sdp_target);
};

struct SideState {
  int rtp_fd = -1;
  int rtcp_fd = -1;
  PortPool* pool = nullptr;
  uint16_t rtp_port = 0;
  net::Endpoint local_rtp;

  bool configured = false; // update() seen; until then nothing is sent to this side
  bool rtcp_mux = false;
  uint32_t clock_rate = 8000;
  net::Endpoint sdp_rtp;
  net::Endpoint sdp_rtcp;
  Latch rtp;  // RTP (and muxed RTCP) target
  Latch rtcp; // RTCP target when not muxed

  SrtpPtr decrypt; // from this party
  SrtpPtr encrypt; // to this party

  ReceiveStats in;
  uint64_t latch_refused = 0;
  uint64_t sent_packets = 0;
  uint64_t sent_bytes = 0;
  uint64_t send_errors = 0;
};

struct Stream {
  StreamId id = 0;
  uint64_t cookie = 0;
  bool on_hold = false;
  bool timed_out = false;
  TimePoint last_activity{}; // last accepted packet either way, or creation / last update
  SideState side[2];
  SocketTag tags[4]; // A RTP, A RTCP, B RTP, B RTCP
};

} // namespace gh::media::relay
