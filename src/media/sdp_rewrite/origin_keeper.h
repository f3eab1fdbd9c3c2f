#pragma once
// Our o= line toward one party of a session (RFC 3264 §8): the username and session id of the
// first SDP we sent it stay fixed, and the version goes up by one exactly when the rest of the SDP
// changed since the last one we sent (an unchanged SDP keeps its version, as RFC 3264 §8 and the
// RFC 4317 §2.5 example require). The upstream party may change its own o= freely; the downstream
// party never sees that.
//
//   OriginKeeper toward_b;                       // one per party, kept with the call
//   std::string sdp_b = toward_b.apply(rewritten);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::media {

class OriginKeeper {
public:
  // `sdp` with its o= line made ours. SDP without a parsable o= line is returned unchanged.
  std::string apply(std::string_view sdp);

  std::optional<uint64_t> version() const {
    return started_ ? std::optional(version_) : std::nullopt;
  }

private:
  bool started_ = false;
  std::string username_;
  std::string session_id_;
  uint64_t version_ = 0;
  std::string last_body_; // the last SDP sent, with our o= line in it
};

} // namespace gh::media
