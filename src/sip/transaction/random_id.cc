#include "sip/transaction/random_id.h"

#include <array>
#include <cstring>

#include <openssl/rand.h>

#include "common/assert.h"
#include "sip/message/via.h"

namespace gh::sip {
namespace {

// xoshiro256** (Blackman & Vigna): 4 words of state, far faster than RAND_bytes per call.
class Xoshiro {
public:
  Xoshiro() {
    // A PRNG seeded from a predictable source would make branches guessable: fail hard.
    GH_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(s_.data()), sizeof(s_)) == 1);
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) {
      s_[0] = 1;
    }
  }

  uint64_t next() {
    uint64_t result = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<uint64_t, 4> s_{};
};

Xoshiro& rng() {
  thread_local Xoshiro instance;
  return instance;
}

// Token characters only (RFC 3261 §25.1), so the ids need no quoting anywhere.
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.";

void appendRandom(std::string& out, std::size_t chars) {
  uint64_t bits = 0;
  int left = 0;
  for (std::size_t i = 0; i < chars; ++i) {
    if (left < 6) {
      bits = rng().next();
      left = 64;
    }
    out.push_back(kAlphabet[bits & 63U]);
    bits >>= 6;
    left -= 6;
  }
}

} // namespace

uint64_t randomU64() {
  return rng().next();
}

std::string makeBranch() {
  std::string out(kMagicCookie);
  appendRandom(out, 22);
  return out;
}

std::string makeTag() {
  std::string out;
  appendRandom(out, 16);
  return out;
}

std::string makeCallId(std::string_view host) {
  std::string out;
  appendRandom(out, 20);
  if (!host.empty()) {
    out.push_back('@');
    out.append(host);
  }
  return out;
}

} // namespace gh::sip
