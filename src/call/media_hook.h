#pragma once
// Where the call core hands SDP bodies on their way from one leg to the other. The media layer
// (issue: call layer with media) rewrites them and anchors the streams; until a route asks for
// that, PassThroughMedia returns the body unchanged. Completions may run before the call
// returns or later on the SIP loop; the call core is written for both.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/expected.h"

namespace gh::config {
struct Config;
}

namespace gh::call {

enum class LegSide : uint8_t { A, B }; // A = the caller's leg, B = the callee's leg

struct MediaContext {
  uint64_t call = 0;          // the call core's id
  std::string_view a_call_id; // for logs and the media engine's call key
  std::string_view a_tag;     // A's own tag (From tag of the initial INVITE)
  std::string_view b_tag;     // B's tag once known
  std::size_t a_interface = 0, b_interface = 0;
  std::size_t a_peer = SIZE_MAX, b_peer = SIZE_MAX; // config peer indexes; SIZE_MAX = unknown
  const void* route = nullptr;                      // the CompiledRoute, for its media policy
  const config::Config* config = nullptr;           // the configuration the call was routed with
};

struct MediaFailure {
  uint16_t sip_code = 488; // answer to the side whose SDP failed (488, 503 when out of ports)
  std::string reason;
};

using BodyDone = std::function<void(Expected<std::string, MediaFailure>)>;

class MediaHook {
public:
  virtual ~MediaHook() = default;
  // An offer (or a re-offer) from `from`, to be sent on the other leg.
  virtual void offer(const MediaContext& ctx, LegSide from, std::string_view sdp,
                     BodyDone done) = 0;
  // The answer from `from` to the offer that went to it.
  virtual void answer(const MediaContext& ctx, LegSide from, std::string_view sdp,
                      BodyDone done) = 0;
  // The call is over (or failed before an answer): release whatever the offer reserved.
  virtual void release(const MediaContext& ctx) = 0;
};

class PassThroughMedia final : public MediaHook {
public:
  void offer(const MediaContext&, LegSide, std::string_view sdp, BodyDone done) override {
    done(std::string(sdp));
  }

  void answer(const MediaContext&, LegSide, std::string_view sdp, BodyDone done) override {
    done(std::string(sdp));
  }

  void release(const MediaContext&) override {}
};

} // namespace gh::call
