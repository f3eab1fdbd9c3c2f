#pragma once
// Helpers for the media service tests: loopback UDP parties with bounded waits, RTP packets, SDP
// like the benchmark's PBX and Microsoft sides, and a service on two 127.0.0.x interfaces.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "media/service/media_service.h"
#include "media/srtp/srtp_context.h"
#include "net/endpoint.h"
#include "sdp/base64.h"
#include "sdp/session_description.h"

namespace gh::media::testing {

using Bytes = std::vector<uint8_t>;

class Peer {
public:
  explicit Peer(const std::string& ip) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    auto bind_to = net::Endpoint::fromIp(ip, 0);
    EXPECT_EQ(::bind(fd_, bind_to->sockaddrPtr(), bind_to->sockaddrLength()), 0);
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    local_ = *net::Endpoint::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  }

  ~Peer() { ::close(fd_); }

  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  const net::Endpoint& local() const { return local_; }

  void send(const net::Endpoint& to, std::span<const uint8_t> packet) const {
    ASSERT_EQ(::sendto(fd_, packet.data(), packet.size(), 0, to.sockaddrPtr(), to.sockaddrLength()),
              static_cast<ssize_t>(packet.size()));
  }

  std::optional<Bytes> receive(std::chrono::milliseconds wait = std::chrono::milliseconds(2000)) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) {
      return std::nullopt;
    }
    Bytes buf(2048);
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) {
      return std::nullopt;
    }
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }

private:
  int fd_ = -1;
  net::Endpoint local_;
};

inline Bytes makeRtp(uint16_t seq, uint32_t ssrc, uint8_t fill = 0x55) {
  Bytes p(12 + 160, fill);
  p[0] = 0x80;
  p[1] = 0; // PCMU
  p[2] = static_cast<uint8_t>(seq >> 8);
  p[3] = static_cast<uint8_t>(seq);
  const uint32_t ts = seq * 160u;
  for (int i = 0; i < 4; ++i) {
    p[static_cast<std::size_t>(4 + i)] = static_cast<uint8_t>(ts >> (24 - 8 * i));
    p[static_cast<std::size_t>(8 + i)] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  }
  return p;
}

// As the benchmark's make_sdp(): PCMU + telephone-event, optionally SDES.
inline std::string makeSdp(const net::Endpoint& at, uint64_t session_id,
                           const std::string& srtp_key_b64 = {}, uint32_t tag = 1,
                           const std::string& direction = "sendrecv") {
  std::string proto = srtp_key_b64.empty() ? "RTP/AVP" : "RTP/SAVP";
  std::string s = "v=0\r\no=- " + std::to_string(session_id) + " 1 IN IP4 " + at.ip() +
                  "\r\ns=bench\r\nc=IN IP4 " + at.ip() + "\r\nt=0 0\r\nm=audio " +
                  std::to_string(at.port()) + " " + proto +
                  " 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                  "a=fmtp:101 0-15\r\na=ptime:20\r\na=" +
                  direction + "\r\n";
  if (!srtp_key_b64.empty()) {
    s += "a=crypto:" + std::to_string(tag) + " AES_CM_128_HMAC_SHA1_80 inline:" + srtp_key_b64 +
         "\r\n";
  }
  return s;
}

inline std::string freshKeyB64(uint8_t seed) {
  std::array<uint8_t, 30> k{};
  for (std::size_t i = 0; i < k.size(); ++i) {
    k[i] = static_cast<uint8_t>(seed * 7 + i * 13);
  }
  return sdp::base64Encode(k);
}

inline SrtpMasterKey keyFromB64(const std::string& b64) {
  std::array<uint8_t, 64> bytes{};
  auto n = sdp::base64Decode(b64, bytes);
  EXPECT_TRUE(n);
  auto key = SrtpMasterKey::fromConcatenated(defaultSrtpSuite(), std::span(bytes.data(), *n));
  EXPECT_TRUE(key);
  return std::move(*key);
}

// What a party reads from our SDP: where to send, which proto, our first crypto line.
struct SdpView {
  net::Endpoint target;
  std::string proto;
  std::string origin;
  bool rtcp_mux = false;
  bool ice = false;
  std::optional<CryptoOffer> crypto;
  std::size_t crypto_count = 0;
  sdp::Direction direction = sdp::Direction::SendRecv;
};

inline SdpView readSdp(const std::string& text) {
  SdpView v;
  auto parsed = sdp::parse(text);
  EXPECT_TRUE(parsed) << text;
  if (!parsed) {
    return v;
  }
  auto info = extractSdpInfo(*parsed);
  EXPECT_TRUE(info);
  const MediaInfo& m = info->media.at(0);
  if (m.rtp) {
    v.target = *m.rtp;
  }
  v.proto = m.proto;
  v.origin = std::string(parsed->lines()[1].value);
  v.rtcp_mux = m.rtcp_mux;
  v.ice = m.ice;
  v.crypto_count = m.crypto.size();
  if (!m.crypto.empty()) {
    v.crypto = m.crypto[0];
  }
  v.direction = m.direction;
  return v;
}

} // namespace gh::media::testing
