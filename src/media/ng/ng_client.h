#pragma once
// A media::MediaControl that drives a remote media engine over rtpengine's NG protocol on UDP:
// a `gatehouse media` node or a real rtpengine. Signaling-only Gatehouse uses it instead of the
// in-process MediaService; the B2BUA cannot tell the two apart.
//
//   auto client = NgClient::create(io, {.engine = *net::Endpoint::parse("127.0.0.1:2223")});
//   (*client)->offer(params, [](MediaResult<std::string> sdp) { ... });   // later, on io's thread
//
// Threads: everything runs on the thread that runs `io` (the SIP loop). Completions always run
// there, never inside the call that made the request (even a refusal is posted), and never after
// the client is destroyed: the destructor drops every pending request with its completion.
//
// Wire: one connected, non-blocking UDP socket; each request gets a fresh cookie (a per-client
// random prefix and a counter, so a restarted Gatehouse cannot be answered from the engine's
// cookie cache with an old reply). A request is sent up to `attempts` times, the gaps doubling
// from `retransmit` (500 ms, 1 s, ...); without a reply within `timeout` it fails with
// MediaErrc::Unavailable. Replies with an unknown cookie, undecodable bencode or over
// `max_reply` octets are counted and dropped (a retransmission may still bring a good one).
//
// list() and statistics() are synchronous in the media API, so they report what this client
// knows: the calls it offered and has not deleted. The engine's own figures come from query().
//
// Media timeouts: the engine deletes a call whose media stopped and NG has no way to say so.
// With an event handler set, the client sends "list" every `poll_interval` and reports each call
// it offered before that request but the engine no longer lists as MediaEvent::Timeout (the call
// layer then hangs up both legs). A list reply that may be truncated (`kPollLimit` calls) decides
// nothing.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/expected.h"
#include "media/api/media_control.h"
#include "media/ng/ng_client_codec.h"
#include "net/endpoint.h"

namespace asio {
class io_context;
}

namespace gh::media::ng {

struct NgClientOptions {
  net::Endpoint engine;                          // the engine's NG address
  std::chrono::milliseconds retransmit{500};     // first gap; doubles after each retransmission
  unsigned attempts = 3;                         // datagrams per request, the first included
  std::chrono::milliseconds timeout{3000};       // from the first send to Unavailable
  std::size_t max_pending = 1024;                // more in flight are refused (Unavailable)
  std::size_t max_reply = 65535;                 // octets; larger replies are dropped
  InterfaceNames interface_names;                // Gatehouse interface -> engine interface
  std::chrono::milliseconds poll_interval{5000}; // "list" for vanished calls; 0 = never
};

struct NgClientCounters {
  uint64_t requests = 0;
  uint64_t retransmissions = 0;
  uint64_t replies = 0;
  uint64_t timeouts = 0;       // requests that failed Unavailable after `timeout`
  uint64_t errors = 0;         // replies with result "error" (or another refusal)
  uint64_t refused = 0;        // not sent: `max_pending` requests already in flight
  uint64_t unknown_cookie = 0; // replies to nothing pending (late, duplicate or foreign)
  uint64_t bad_replies = 0;    // unframed or undecodable
  uint64_t oversize = 0;       // over max_reply
  uint64_t send_errors = 0;
  uint64_t vanished = 0; // calls the engine dropped on its own (reported as timeouts)
  uint64_t pending = 0;  // now in flight
};

class NgClient final : public MediaControl {
public:
  static Expected<std::unique_ptr<NgClient>, std::string> create(asio::io_context& io,
                                                                 NgClientOptions options);
  ~NgClient() override;

  NgClient(const NgClient&) = delete;
  NgClient& operator=(const NgClient&) = delete;

  void offer(const OfferParams& params, SdpDone done) override;
  void answer(const AnswerParams& params, SdpDone done) override;
  void remove(const DeleteParams& params, StatsDone done) override;
  void query(const std::string& call_id, StatsDone done) override;
  std::vector<std::string> list(std::size_t limit) override;
  GlobalStats statistics() override;
  // Starts the "list" poll (see above); events run on the loop, inside no request of the caller.
  void setEventHandler(std::function<void(const MediaEvent&)> handler) override;

  // "ping" -> "pong": the engine is reachable. Completes with Unavailable otherwise.
  void ping(std::function<void(MediaResult<void>)> done);

  NgClientCounters counters() const;
  const net::Endpoint& engine() const;
  net::Endpoint localEndpoint() const;

  static constexpr std::size_t kPollLimit = 1000; // calls per "list"; our server's maximum too

  struct State; // the socket, pending requests and counters; outlives nothing but this client

private:
  explicit NgClient(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

} // namespace gh::media::ng
