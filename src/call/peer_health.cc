#include "call/peer_health.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/log.h"

namespace gh::call {

namespace {

constexpr std::chrono::seconds kMaxHold{86400};

} // namespace

std::string_view targetStateName(TargetState state) {
  switch (state) {
  case TargetState::Unknown: return "unknown";
  case TargetState::Up: return "up";
  case TargetState::Down: return "down";
  }
  return "?";
}

FailoverVerdict judgeInviteFailure(uint16_t code, std::optional<std::chrono::seconds> retry_after) {
  FailoverVerdict v;
  if (code == 0 || code == 408) {
    // No answer from this proxy (Timer B, or our 408 for it): another one may be alive.
    v.try_next = true;
    v.target_down = code == 0;
  } else if (code == 503) {
    // The proxy is overloaded or in maintenance; with Retry-After it says for how long.
    v.try_next = true;
    v.hold = retry_after;
  }
  // Everything else (3xx-6xx, 603 Decline above all) is the far end's answer: final.
  return v;
}

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  uint64_t seconds = 0;
  std::size_t digits = 0;
  for (char c : value) {
    if (c < '0' || c > '9')
      break;
    seconds = std::min<uint64_t>(seconds * 10 + static_cast<uint64_t>(c - '0'), 10 * 86400);
    ++digits;
  }
  if (digits == 0)
    return std::nullopt;
  return std::min(std::chrono::seconds(static_cast<int64_t>(seconds)), kMaxHold);
}

TargetHealth& PeerHealth::entry(std::string_view peer, std::string_view target) {
  for (TargetHealth& e : entries_) {
    if (e.peer == peer && e.target == target)
      return e;
  }
  TargetHealth& e = entries_.emplace_back();
  e.peer = std::string(peer);
  e.target = std::string(target);
  return e;
}

const TargetHealth* PeerHealth::find(std::string_view peer, std::string_view target) const {
  for (const TargetHealth& e : entries_) {
    if (e.peer == peer && e.target == target)
      return &e;
  }
  return nullptr;
}

void PeerHealth::setState(TargetHealth& e, TargetState state, std::string_view why) {
  if (e.state == state)
    return;
  const TargetState before = e.state;
  e.state = state;
  if (state == TargetState::Down) {
    GH_LOG_WARN(Module::Call, "peer '{}' target {} is down (was {}): {}", e.peer, e.target,
                targetStateName(before), why);
  } else {
    GH_LOG_INFO(Module::Call, "peer '{}' target {} is {} (was {}): {}", e.peer, e.target,
                targetStateName(state), targetStateName(before), why);
  }
}

void PeerHealth::recordOptionsSent(std::string_view peer, std::string_view target) {
  ++entry(peer, target).options_sent;
}

void PeerHealth::recordOptionsAnswer(std::string_view peer, std::string_view target, uint16_t code,
                                     std::optional<std::chrono::seconds> retry_after,
                                     TimePoint now) {
  TargetHealth& e = entry(peer, target);
  ++e.options_answered;
  e.last_code = code;
  if (code == 503 && retry_after) {
    e.hold_until = now + *retry_after;
    e.last_error = "503 with Retry-After " + std::to_string(retry_after->count()) + " s";
    setState(e, TargetState::Down, e.last_error);
    return;
  }
  // Alive, but a Retry-After still running keeps calls away (RFC 3261 §21.5.4): a proxy may
  // answer OPTIONS while it refuses INVITEs.
  if (e.hold_until <= now)
    e.last_error.clear();
  setState(e, TargetState::Up, "OPTIONS answered " + std::to_string(code));
}

void PeerHealth::recordInviteAnswer(std::string_view peer, std::string_view target, uint16_t code,
                                    TimePoint now) {
  TargetHealth& e = entry(peer, target);
  e.last_code = code;
  if (e.hold_until <= now)
    e.last_error.clear();
  if (e.state != TargetState::Up)
    setState(e, TargetState::Up, "INVITE answered " + std::to_string(code));
}

void PeerHealth::recordOptionsFailure(std::string_view peer, std::string_view target,
                                      std::string_view why) {
  TargetHealth& e = entry(peer, target);
  ++e.options_failed;
  e.last_code = 0;
  e.last_error = std::string(why);
  setState(e, TargetState::Down, "OPTIONS: " + std::string(why));
}

void PeerHealth::recordInviteFailure(std::string_view peer, std::string_view target, uint16_t code,
                                     std::optional<std::chrono::seconds> retry_after,
                                     std::string_view why, TimePoint now) {
  FailoverVerdict v = judgeInviteFailure(code, retry_after);
  if (!v.try_next)
    return;
  TargetHealth& e = entry(peer, target);
  ++e.calls_failed_over;
  if (code != 0)
    e.last_code = code;
  if (v.hold) {
    e.hold_until = now + *v.hold;
    e.last_error = "INVITE answered 503 with Retry-After " + std::to_string(v.hold->count()) + " s";
    setState(e, TargetState::Down, e.last_error);
  } else if (v.target_down) {
    e.last_error = "INVITE: " + std::string(why);
    setState(e, TargetState::Down, e.last_error);
  }
}

bool PeerHealth::held(std::string_view peer, std::string_view target, TimePoint now) const {
  const TargetHealth* e = find(peer, target);
  return e != nullptr && e->hold_until > now;
}

std::vector<std::size_t> PeerHealth::callOrder(std::string_view peer,
                                               std::span<const std::string> targets,
                                               TimePoint now) const {
  std::vector<std::size_t> live, dead;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const TargetHealth* e = find(peer, targets[i]);
    if (e != nullptr && e->hold_until > now)
      continue;
    (e != nullptr && e->state == TargetState::Down ? dead : live).push_back(i);
  }
  live.insert(live.end(), dead.begin(), dead.end());
  return live;
}

} // namespace gh::call
