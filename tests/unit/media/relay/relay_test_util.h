#pragma once
// Test helpers for the relay: loopback UDP peers with bounded waits, RTP/RTCP packet makers, a
// simulated clock and a relay configured on two 127.0.0.x interfaces.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "media/relay/relay.h"
#include "media/srtp/srtp_key.h"
#include "net/endpoint.h"

namespace gh::media::relay::test {

using Bytes = std::vector<uint8_t>;

// A party: one UDP socket on `ip`, ephemeral port.
class Peer {
public:
  explicit Peer(const std::string& ip, uint16_t port = 0);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  const net::Endpoint& local() const { return local_; }

  void send(const net::Endpoint& to, std::span<const uint8_t> packet) const;
  // The next datagram within `wait`, or nullopt.
  std::optional<Bytes> receive(std::chrono::milliseconds wait = std::chrono::milliseconds(2000),
                               net::Endpoint* from = nullptr) const;
  // True when nothing arrives within `wait`.
  bool silent(std::chrono::milliseconds wait = std::chrono::milliseconds(200)) const;

private:
  int fd_ = -1;
  net::Endpoint local_;
};

Bytes makeRtp(uint16_t seq, uint32_t timestamp, uint32_t ssrc, std::size_t payload = 160,
              uint8_t payload_type = 0);
// An RTCP receiver report with one report block (fraction, cumulative, jitter as given).
Bytes makeRtcpRr(uint32_t ssrc, uint8_t fraction = 0, uint32_t cumulative = 0, uint32_t jitter = 0);
// An RTCP sender report without report blocks.
Bytes makeRtcpSr(uint32_t ssrc);

SrtpMasterKey makeKey(const char* suite = "AES_CM_128_HMAC_SHA1_80");

// Simulated time shared with the relay through RelayConfig::clock.
struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> ns = std::make_shared<std::atomic<int64_t>>(1'000'000'000);

  std::function<TimePoint()> function() const {
    auto t = ns;
    return [t] { return TimePoint(std::chrono::nanoseconds(t->load())); };
  }

  void advance(std::chrono::milliseconds by) const {
    ns->fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(by).count());
  }
};

// A port range of `pairs` pairs that no other test process is likely to use at the same time.
uint16_t portBase(unsigned slot);

// Interfaces "a" on 127.0.0.61 and "b" on 127.0.0.62, `pairs` pairs each, `workers` workers.
RelayConfig twoInterfaces(unsigned slot, unsigned pairs = 32, unsigned workers = 1);

std::unique_ptr<Relay> makeRelay(RelayConfig config);

} // namespace gh::media::relay::test
