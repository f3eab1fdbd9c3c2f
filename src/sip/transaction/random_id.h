#pragma once
// Identifiers that must be globally unique (RFC 3261 §8.1.1.7 branch, §19.3 tags, §8.1.1.4
// Call-ID). A fast PRNG seeded once per thread from OpenSSL's RAND_bytes: unpredictable enough
// that an off-path attacker cannot guess the next branch, cheap enough for every request.

#include <cstdint>
#include <string>
#include <string_view>

namespace gh::sip {

// "z9hG4bK" + 22 base-64url-ish characters (128 bits).
std::string makeBranch();
// 16 token characters (96 bits).
std::string makeTag();
// 20 token characters, "@host" appended when host is not empty.
std::string makeCallId(std::string_view host = {});
uint64_t randomU64();

} // namespace gh::sip
