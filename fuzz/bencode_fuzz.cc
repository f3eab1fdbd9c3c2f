// Arbitrary bytes through the bencode and JSON decoders and through the whole NG handler (framing,
// cache, command decoding, replies) against an engine that accepts everything. Nothing may crash
// or read out of bounds; invariants: a decoded bencode value re-encodes to the exact input, and
// every datagram with a cookie gets exactly one reply that starts with that cookie.

#include "media/ng/bencode.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/ng/bencode_writer.h"
#include "media/ng/json.h"
#include "media/ng/ng_frame.h"
#include "media/ng/ng_handler.h"

namespace {

using namespace gh::media;

class AcceptAll : public MediaControl {
public:
  void offer(const OfferParams& p, SdpDone done) override { done(p.sdp); }

  void answer(const AnswerParams& p, SdpDone done) override { done(p.sdp); }

  void remove(const DeleteParams& p, StatsDone done) override { done(stats(p.call_id)); }

  void query(const std::string& id, StatsDone done) override { done(stats(id)); }

  std::vector<std::string> list(std::size_t) override { return {"a"}; }

  GlobalStats statistics() override { return {}; }

  void setEventHandler(std::function<void(const MediaEvent&)>) override {}

private:
  static MediaResult<CallStats> stats(const std::string& id) {
    if (id.size() % 2)
      return gh::Unexpected(MediaError{MediaErrc::UnknownCall, ""});
    CallStats s;
    s.call_id = id;
    s.parties.push_back(PartyStats{.tag = id, .interface = "i", .streams = {StreamStats{}}});
    return s;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto doc = ng::decodeBencode(input)) {
    if (ng::BencodeWriter().value(doc->root()).str() != input)
      std::abort();
  }
  if (auto doc = ng::decodeJson(input)) {
    auto again = ng::decodeBencode(ng::BencodeWriter().value(doc->root()).str());
    if (!again)
      std::abort();
  }

  static AcceptAll media;
  static ng::NgHandler handler(media);
  int replies = 0;
  std::string reply;
  handler.handle(input, "fuzz", [&](std::string r) {
    ++replies;
    reply = std::move(r);
  });
  auto frame = ng::splitFrame(input);
  if (replies != (frame ? 1 : 0))
    std::abort();
  if (frame && reply.compare(0, frame->cookie.size() + 1, std::string(frame->cookie) + " ") != 0)
    std::abort();
  return 0;
}
