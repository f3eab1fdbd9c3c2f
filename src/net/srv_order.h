#pragma once
// RFC 2782 target selection: lowest priority first, and within one priority a weighted random
// order, so that a peer's load split (e.g. 60/40) holds across many calls.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gh::net {

struct SrvRecord {
  std::string target; // host name; "." means the service is not offered
  uint16_t port = 0;
  uint16_t priority = 0;
  uint16_t weight = 0;
};

// Returns a uniform random number in [0, bound].
using SrvRandom = std::function<uint32_t(uint32_t bound)>;

SrvRandom defaultSrvRandom(); // seeded once per process

std::vector<SrvRecord> orderSrv(std::vector<SrvRecord> records, const SrvRandom& random);

} // namespace gh::net
