#pragma once
// The in-process media engine: MediaControl on top of the relay, with rtpengine's call model.
// A call is keyed by Call-ID; the party that makes the first offer is side A (ports on its
// from_interface), the other party side B (ports on to_interface). Per m= line one relay stream
// carries both sides; a re-offer from either party keeps the ports.
//
//   MediaServiceConfig config;
//   config.relay.interfaces = {{.name = "internal", .bind_address = "10.0.0.5", ...},
//                              {.name = "external", .bind_address = "10.0.0.5",
//                               .advertised_address = "25.25.25.5", ...}};
//   auto media = MediaService::create(std::move(config));      // starts the relay workers
//   media->setEventHandler([&](const MediaEvent& e) { calls.onMediaTimeout(e.call_id); });
//   loop.watchReadable(media->eventFd(), [&] { media->processEvents(); });  // or on a timer
//   media->offer(params, [](MediaResult<std::string> sdp) { ... });         // runs before return
//
// offer: parses the SDP, allocates a port pair per relayed m= line on both interfaces, remembers
// the offer and returns the SDP for the answerer (our to_interface ports, its policy). Nothing
// forwards yet. answer: learns the answerer's endpoints and keys, chooses the offerer's SDES line
// (RFC 4568 §7.1.2), configures both sides of every stream in the relay (RTP <-> SRTP with a
// separate key per direction), sets hold, and returns the SDP for the offerer (our from_interface
// ports) once the relay's workers have applied it (Relay::sync(), one round trip), so the
// offerer may send at once. A repeated answer is applied again; an answer from another to-tag (a
// forked INVITE) takes side B over. A re-offer keeps the call's interfaces and ports whatever its
// direction says. remove releases every stream of the call: any of its tags, or none, removes it
// whole.
//
// Errors: BadRequest (missing Call-ID/tag), BadSdp, UnknownCall (no such call or tag, or an
// answer without an offer), UnknownInterface, NoPorts (nothing stays allocated: a new call is
// forgotten, a re-offer keeps its old streams), Internal. Media lines we cannot relay (not RTP,
// no usable SDES line offered) are rejected with port 0 instead of failing the call.
//
// Threads: one control thread calls every method, processEvents() included; completion callbacks
// run on it before the method returns; the event handler runs inside processEvents(). The relay's
// workers never call back into the service.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "media/api/media_control.h"
#include "media/relay/relay.h"
#include "media/sdp_rewrite/crypto_choice.h"
#include "media/service/call_state.h"

namespace gh::media {

struct MediaServiceConfig {
  relay::RelayConfig relay;  // interfaces (name, bind, advertised, port range), workers, timeouts
  KeySource keys;            // empty = OpenSSL CSPRNG; tests pin keys
  std::size_t max_calls = 0; // 0 = unlimited; past it offers for new calls fail with NoPorts
};

class MediaService final : public MediaControl {
public:
  // Creates and starts the relay: BadRequest / Internal from relay::Relay::create.
  static MediaResult<std::unique_ptr<MediaService>> create(MediaServiceConfig config);
  // Around a relay someone else created (tests, or an app that shares one).
  MediaService(std::unique_ptr<relay::Relay> relay, KeySource keys, std::size_t max_calls = 0);
  ~MediaService() override;

  MediaService(const MediaService&) = delete;
  MediaService& operator=(const MediaService&) = delete;

  void offer(const OfferParams& params, SdpDone done) override;
  void answer(const AnswerParams& params, SdpDone done) override;
  void remove(const DeleteParams& params, StatsDone done) override;
  void query(const std::string& call_id, StatsDone done) override;
  std::vector<std::string> list(std::size_t limit) override;
  GlobalStats statistics() override;
  void setEventHandler(std::function<void(const MediaEvent&)> handler) override;

  // Readable while the relay has timeout events; call processEvents() then (or every second).
  int eventFd() const;
  // Turns the relay's timeout events into MediaEvents, one per call, through the event handler.
  // A timed-out call stays until the owner removes it (the call layer sends BYE, then delete).
  void processEvents();

  relay::Relay& relay() { return *relay_; }

  std::size_t callCount() const { return calls_.size(); }

private:
  MediaResult<std::string> doOffer(const OfferParams& params);
  MediaResult<std::string> doAnswer(const AnswerParams& params);
  MediaResult<CallStats> doRemove(const DeleteParams& params);
  MediaResult<CallStats> callStats(const service::Call& call);
  void releaseStream(service::Call& call, service::StreamState& stream);
  void releaseCall(service::Call& call);

  std::unique_ptr<relay::Relay> relay_;
  KeySource keys_;
  CryptoSupport support_;
  std::size_t max_calls_ = 0;
  std::unordered_map<std::string, std::unique_ptr<service::Call>> calls_;
  std::unordered_map<uint64_t, std::string> call_by_key_; // relay cookie -> Call-ID
  uint64_t next_key_ = 1;
  uint64_t calls_total_ = 0;
  uint64_t errors_ = 0;
  std::function<void(const MediaEvent&)> on_event_;
};

} // namespace gh::media
