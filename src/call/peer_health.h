#pragma once
// The health of each target of a peer with several (Teams Direct Routing's three SIP proxies),
// fed by OPTIONS keep-alives and by the outcome of calls, read by the B2BUA to choose the order
// in which a call tries them. Pure bookkeeping on an injected clock value: no timers, no I/O, so
// failover order, Retry-After holds and the 603 rule are unit-tested in simulated time.
//
// What a result means (RFC 3261 §21.5.4, §21.6; Microsoft's "SIP protocol" for Direct Routing):
// - any final response to OPTIONS shows the target alive (a proxy answering 404 still routes);
// - no response (timeout) or a transport error marks it down until a later OPTIONS is answered;
// - 503 with Retry-After holds it for that long: no call is sent there before it runs out;
// - for a call, 408/503/timeout/transport error move on to the next target; every other final
//   response (4xx, 5xx, 6xx, in particular 603 Decline) is the callee's answer and is never
//   retried.
// Thread: the SIP loop only.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gh::call {

enum class TargetState : uint8_t { Unknown, Up, Down };

std::string_view targetStateName(TargetState state);

struct TargetHealth {
  using TimePoint = std::chrono::steady_clock::time_point;

  std::string peer;   // peer name
  std::string target; // "fqdn:port"
  TargetState state = TargetState::Unknown;
  TimePoint hold_until{}; // 503 Retry-After: not tried before this
  uint16_t last_code = 0; // last final response (OPTIONS or INVITE); 0 = none yet
  std::string last_error; // why it went down
  uint64_t options_sent = 0;
  uint64_t options_answered = 0;  // any final response
  uint64_t options_failed = 0;    // timeout or transport error
  uint64_t calls_failed_over = 0; // calls that moved on from this target
};

// What the B2BUA does with a call whose INVITE to a target ended this way.
struct FailoverVerdict {
  bool try_next = false; // move on to the next target (or peer)
  bool target_down = false;
  std::optional<std::chrono::seconds> hold; // 503 Retry-After
};

// `code` 0 = no response at all (timeout or transport error).
FailoverVerdict judgeInviteFailure(uint16_t code, std::optional<std::chrono::seconds> retry_after);

// The delta-seconds of a Retry-After value ("120", "120 (maintenance);duration=60"); nullopt when
// it does not start with digits. Capped at one day: a proxy is never skipped for longer.
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value);

class PeerHealth {
public:
  using TimePoint = TargetHealth::TimePoint;

  // Results, each logged when it changes the target's state.
  void recordOptionsSent(std::string_view peer, std::string_view target);
  // A final response to OPTIONS (503 with Retry-After holds the target, any other is "up"; a
  // hold already running is kept).
  void recordOptionsAnswer(std::string_view peer, std::string_view target, uint16_t code,
                           std::optional<std::chrono::seconds> retry_after, TimePoint now);
  void recordOptionsFailure(std::string_view peer, std::string_view target, std::string_view why);
  // A call's INVITE got an answer from the target (a tagged provisional or a final response that
  // is no failure): it is up, without keep-alives too; a running Retry-After hold is kept.
  void recordInviteAnswer(std::string_view peer, std::string_view target, uint16_t code,
                          TimePoint now);
  // A call's INVITE to the target ended with `code` (0 = no response, `why` says what).
  void recordInviteFailure(std::string_view peer, std::string_view target, uint16_t code,
                           std::optional<std::chrono::seconds> retry_after, std::string_view why,
                           TimePoint now);

  // The positions in `targets` a new call tries, in order: targets whose Retry-After still runs
  // are left out; targets known down come last, so that a call still gets a chance when every
  // keep-alive has failed (they may be stale) but never goes to a dead proxy before a live one.
  std::vector<std::size_t> callOrder(std::string_view peer, std::span<const std::string> targets,
                                     TimePoint now) const;

  bool held(std::string_view peer, std::string_view target, TimePoint now) const;
  const TargetHealth* find(std::string_view peer, std::string_view target) const;

  const std::vector<TargetHealth>& all() const { return entries_; }

private:
  TargetHealth& entry(std::string_view peer, std::string_view target);
  void setState(TargetHealth& e, TargetState state, std::string_view why);

  std::vector<TargetHealth> entries_; // a handful of targets: a vector beats a map
};

} // namespace gh::call
