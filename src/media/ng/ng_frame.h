#pragma once
// NG message framing: "<cookie> <dictionary>" in one datagram, the reply "<cookie> <dictionary>".
// The cookie is opaque to us; it is echoed byte for byte and keys the retransmission cache.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gh::media::ng {

// Longer cookies are not answered: real controllers use a dozen octets, and the cache keeps them.
inline constexpr std::size_t kMaxCookie = 256;

struct NgFrame {
  std::string_view cookie;  // never empty, no SP
  std::string_view payload; // may be empty
};

// Splits at the first SP. nullopt when there is no SP, the cookie is empty or too long: such a
// datagram cannot be answered (a reply must carry the cookie), so it is dropped.
std::optional<NgFrame> splitFrame(std::string_view datagram);

std::string frameReply(std::string_view cookie, std::string_view payload);

} // namespace gh::media::ng
