#pragma once
// The audio of one simulated peer in `gatehouse demo`: it sends a numbered run of 20 ms PCMU
// packets toward Gatehouse and checks every packet that comes back, byte for byte, against what
// the far peer sent. With keys it speaks SDES-SRTP (protect outbound, authenticate and decrypt
// inbound); without, plain RTP.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "media/srtp/srtp_context.h"

namespace gh::app::demo {

// The two simulated peers' SSRCs: each checks that it hears the other one.
inline constexpr uint32_t kPbxSsrc = 0x43554d31;       // "CUM1"
inline constexpr uint32_t kMicrosoftSsrc = 0x4d53554d; // "MSUM"

struct MediaFigures {
  uint64_t sent = 0;
  uint64_t received = 0;       // packets that parsed (and authenticated, for SRTP)
  uint64_t payload_intact = 0; // of those, carrying exactly the bytes the far peer sent
  uint64_t auth_failures = 0;  // SRTP packets that failed authentication or replay checks
  uint64_t malformed = 0;      // not RTP at all
};

// A parsed `a=crypto` key: suite name plus master key and salt.
struct SdesKey {
  std::string suite;
  std::string key_salt; // raw bytes
};

// The a=crypto line (without "a=") that announces `key` with tag 1.
std::string cryptoAttribute(const SdesKey& key);
// A fresh random key for AES_CM_128_HMAC_SHA1_80.
SdesKey randomSdesKey();
// Parses "a=crypto:<tag> <suite> inline:<base64>[|...]" (the value after "a=crypto:").
std::optional<SdesKey> parseCryptoAttribute(std::string_view value);

class MediaLeg {
public:
  // Binds a UDP socket on `ip` (any port). `ssrc` and the payload pattern identify this side.
  static std::optional<MediaLeg> open(std::string_view ip, uint32_t ssrc, std::string& why);
  MediaLeg(MediaLeg&& other) noexcept;
  MediaLeg& operator=(MediaLeg&& other) noexcept;
  MediaLeg(const MediaLeg&) = delete;
  MediaLeg& operator=(const MediaLeg&) = delete;
  ~MediaLeg();

  uint16_t port() const { return port_; }

  // SRTP: we protect with `outbound` (the key we announced) and check with `inbound` (the key
  // the far side announced). Plain RTP when never called.
  bool useSrtp(const SdesKey& outbound, const SdesKey& inbound, std::string& why);

  // Sends `count` packets 20 ms apart (the first `delay` later) to ip:port, expecting as many
  // from `far_ssrc`; returns once all arrived or `grace` after the last send.
  MediaFigures exchange(std::string_view ip, uint16_t port, uint32_t far_ssrc, int count,
                        std::chrono::milliseconds grace);

private:
  MediaLeg(int fd, uint16_t port, uint32_t ssrc) : fd_(fd), port_(port), ssrc_(ssrc) {}

  int fd_ = -1;
  uint16_t port_ = 0;
  uint32_t ssrc_ = 0;
  std::optional<media::SrtpContext> protect_, unprotect_;
};

} // namespace gh::app::demo
