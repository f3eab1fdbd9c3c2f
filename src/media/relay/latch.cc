#include "media/relay/stream.h"

namespace gh::media::relay {

namespace {

// Endpoint::operator== goes through family dispatch and port(); this is the per-packet compare.
bool sameSource(const net::Endpoint& a, const net::Endpoint& b) {
  if (a.isV4() && b.isV4()) {
    auto* x = reinterpret_cast<const sockaddr_in*>(a.sockaddrPtr());
    auto* y = reinterpret_cast<const sockaddr_in*>(b.sockaddrPtr());
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  return a == b;
}

} // namespace

bool Latch::accept(const net::Endpoint& source, TimePoint now, const LatchPolicy& policy) {
  if (latched && sameSource(source, target)) {
    if (since_latch != UINT32_MAX) {
      ++since_latch;
    }
    last_accepted = now;
    return true;
  }
  bool may_move = !latched || since_latch < policy.learn_packets ||
                  now - last_accepted >= policy.relatch_after_silence;
  if (!may_move) {
    return false;
  }
  target = source;
  latched = true;
  since_latch = 1;
  last_accepted = now;
  return true;
}

void Latch::reset(const net::Endpoint& sdp_target) {
  target = sdp_target;
  latched = false;
  since_latch = 0;
}

} // namespace gh::media::relay
