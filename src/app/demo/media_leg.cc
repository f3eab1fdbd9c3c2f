#include "app/demo/media_leg.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "media/srtp/srtp_suite.h"

namespace gh::app::demo {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPayload = 160; // 20 ms of PCMU
constexpr std::size_t kHeader = 12;

// What the sender of `ssrc` puts in packet `seq`: any corruption or mix-up between the two
// directions shows as a mismatch.
uint8_t patternByte(uint32_t ssrc, uint16_t seq, std::size_t i) {
  return static_cast<uint8_t>((ssrc >> 3) + seq * 7u + i * 13u);
}

void writeHeader(uint8_t* p, uint16_t seq, uint32_t timestamp, uint32_t ssrc) {
  p[0] = 0x80;
  p[1] = 0; // PCMU
  p[2] = static_cast<uint8_t>(seq >> 8);
  p[3] = static_cast<uint8_t>(seq);
  for (int i = 0; i < 4; ++i) {
    p[4 + i] = static_cast<uint8_t>(timestamp >> (24 - 8 * i));
    p[8 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  }
}

} // namespace

std::string cryptoAttribute(const SdesKey& key) {
  std::string encoded(4 * ((key.key_salt.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                          reinterpret_cast<const unsigned char*>(key.key_salt.data()),
                          static_cast<int>(key.key_salt.size()));
  encoded.resize(static_cast<std::size_t>(n));
  return fmt::format("crypto:1 {} inline:{}", key.suite, encoded);
}

SdesKey randomSdesKey() {
  SdesKey key{.suite = "AES_CM_128_HMAC_SHA1_80", .key_salt = std::string(30, '\0')};
  RAND_bytes(reinterpret_cast<unsigned char*>(key.key_salt.data()), 30);
  return key;
}

std::optional<SdesKey> parseCryptoAttribute(std::string_view value) {
  // "<tag> <suite> inline:<base64>[|lifetime][|mki:len] [session params]"
  std::size_t sp1 = value.find(' ');
  if (sp1 == std::string_view::npos)
    return std::nullopt;
  std::size_t sp2 = value.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos)
    return std::nullopt;
  std::string_view suite = value.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view rest = value.substr(sp2 + 1);
  if (rest.substr(0, 7) != "inline:")
    return std::nullopt;
  rest.remove_prefix(7);
  std::string_view b64 = rest.substr(0, rest.find_first_of("| \r\n"));
  if (b64.empty() || b64.size() % 4 != 0 || b64.size() > 128)
    return std::nullopt;
  std::string raw(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0)
    return std::nullopt;
  std::size_t padding = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
  raw.resize(static_cast<std::size_t>(n) - padding);
  return SdesKey{.suite = std::string(suite), .key_salt = std::move(raw)};
}

std::optional<MediaLeg> MediaLeg::open(std::string_view ip, uint32_t ssrc, std::string& why) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  std::string text(ip);
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::inet_pton(AF_INET, text.c_str(), &addr.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    why = fmt::format("cannot bind a media socket on {}: {}", ip, std::strerror(errno));
    if (fd >= 0)
      ::close(fd);
    return std::nullopt;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return MediaLeg(fd, ntohs(addr.sin_port), ssrc);
}

MediaLeg::MediaLeg(MediaLeg&& other) noexcept
    : fd_(other.fd_), port_(other.port_), ssrc_(other.ssrc_), protect_(std::move(other.protect_)),
      unprotect_(std::move(other.unprotect_)) {
  other.fd_ = -1;
}

MediaLeg& MediaLeg::operator=(MediaLeg&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    port_ = other.port_;
    ssrc_ = other.ssrc_;
    protect_ = std::move(other.protect_);
    unprotect_ = std::move(other.unprotect_);
  }
  return *this;
}

MediaLeg::~MediaLeg() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool MediaLeg::useSrtp(const SdesKey& outbound, const SdesKey& inbound, std::string& why) {
  for (const SdesKey* key : {&outbound, &inbound}) {
    const media::SrtpSuite* suite = media::findSrtpSuite(key->suite);
    if (suite == nullptr || key->key_salt.size() != suite->masterLength()) {
      why = fmt::format("unusable SRTP key ({}, {} bytes)", key->suite, key->key_salt.size());
      return false;
    }
    auto bytes =
        std::span(reinterpret_cast<const uint8_t*>(key->key_salt.data()), key->key_salt.size());
    auto context = media::SrtpContext::create(
        *suite, bytes.first(suite->master_key_len), bytes.subspan(suite->master_key_len),
        key == &outbound ? media::SrtpDirection::Outbound : media::SrtpDirection::Inbound);
    if (!context) {
      why = fmt::format("SRTP context: {}", context.error().what);
      return false;
    }
    (key == &outbound ? protect_ : unprotect_) = std::move(*context);
  }
  return true;
}

MediaFigures MediaLeg::exchange(std::string_view ip, uint16_t port, uint32_t far_ssrc, int count,
                                std::chrono::milliseconds grace) {
  MediaFigures figures;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  std::string text(ip);
  ::inet_pton(AF_INET, text.c_str(), &to.sin_addr);

  std::array<uint8_t, 2048> buf{};
  auto next_send = Clock::now();
  Clock::time_point stop_at = Clock::time_point::max();
  uint16_t seq = static_cast<uint16_t>(ssrc_ & 0x3fff);
  const uint16_t first_seq = seq;
  while (Clock::now() < stop_at) {
    if (figures.sent < static_cast<uint64_t>(count) && Clock::now() >= next_send) {
      writeHeader(buf.data(), seq, static_cast<uint32_t>(seq - first_seq) * 160u, ssrc_);
      for (std::size_t i = 0; i < kPayload; ++i)
        buf[kHeader + i] = patternByte(ssrc_, seq, i);
      std::size_t len = kHeader + kPayload;
      if (protect_) {
        auto n = protect_->protectRtp(buf, len);
        len = n ? *n : 0;
      }
      if (len > 0)
        ::sendto(fd_, buf.data(), len, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      ++figures.sent;
      ++seq;
      next_send += std::chrono::milliseconds(20);
      if (figures.sent == static_cast<uint64_t>(count))
        stop_at = Clock::now() + grace;
    }
    if (figures.sent == static_cast<uint64_t>(count) &&
        figures.received == static_cast<uint64_t>(count))
      break;
    auto wake = figures.sent < static_cast<uint64_t>(count) ? next_send : stop_at;
    int wait_ms = static_cast<int>(std::clamp<int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count(), 0, 20));
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, wait_ms) <= 0)
      continue;
    while (true) {
      ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n <= 0)
        break;
      std::size_t len = static_cast<std::size_t>(n);
      if (len < kHeader || (buf[0] >> 6) != 2 || (buf[1] & 0x7f) >= 72) {
        ++figures.malformed; // RTCP from the relay is not what this side counts
        continue;
      }
      if (unprotect_) {
        auto plain = unprotect_->unprotectRtp(buf, len);
        if (!plain) {
          ++figures.auth_failures;
          continue;
        }
        len = *plain;
      }
      ++figures.received;
      uint16_t got_seq = static_cast<uint16_t>(buf[2] << 8 | buf[3]);
      uint32_t got_ssrc = static_cast<uint32_t>(buf[8]) << 24 |
                          static_cast<uint32_t>(buf[9]) << 16 |
                          static_cast<uint32_t>(buf[10]) << 8 | buf[11];
      bool intact = len == kHeader + kPayload && got_ssrc == far_ssrc;
      for (std::size_t i = 0; intact && i < kPayload; ++i)
        intact = buf[kHeader + i] == patternByte(far_ssrc, got_seq, i);
      if (intact)
        ++figures.payload_intact;
    }
  }
  return figures;
}

} // namespace gh::app::demo
