#pragma once
// The SIP ladder `gatehouse demo` prints: every message the simulated PBX and the simulated
// Microsoft peer send or receive, on one time line, as arrows between three lifelines. The
// peers record from their own side of the wire, so the ladder shows what really crossed it.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gh::app::demo {

enum class Party : uint8_t { Pbx, Gatehouse, Microsoft };

class Ladder {
public:
  Ladder();

  // `label`: method or "code reason"; `note`: what matters in it (SDP, To host, a rule ...).
  void add(Party from, Party to, std::string_view label, std::string_view note = {});
  // A remark on one lifeline (a rule check, a TLS handshake ...), not a message.
  void remark(Party at, std::string_view text);

  std::string render(std::string_view pbx_name, std::string_view microsoft_name) const;

private:
  struct Event {
    std::chrono::steady_clock::duration at;
    Party from, to;
    bool is_remark = false;
    std::string label, note;
  };

  std::chrono::steady_clock::time_point start_;
  mutable std::mutex mutex_; // the two peers record from their own threads
  std::vector<Event> events_;
};

} // namespace gh::app::demo
