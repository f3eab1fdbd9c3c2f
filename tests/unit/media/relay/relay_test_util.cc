#include "unit/media/relay/relay_test_util.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "media/srtp/srtp_suite.h"

namespace gh::media::relay::test {

Peer::Peer(const std::string& ip, uint16_t port) {
  auto address = net::Endpoint::fromIp(ip, port);
  EXPECT_TRUE(address.has_value());
  fd_ = ::socket(address->family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  EXPECT_GE(fd_, 0);
  EXPECT_EQ(::bind(fd_, address->sockaddrPtr(), address->sockaddrLength()), 0)
      << std::strerror(errno);
  socklen_t length = net::Endpoint::capacity();
  ::getsockname(fd_, local_.sockaddrPtr(), &length);
}

Peer::~Peer() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void Peer::send(const net::Endpoint& to, std::span<const uint8_t> packet) const {
  auto n = ::sendto(fd_, packet.data(), packet.size(), 0, to.sockaddrPtr(), to.sockaddrLength());
  EXPECT_EQ(n, static_cast<ssize_t>(packet.size())) << std::strerror(errno);
}

std::optional<Bytes> Peer::receive(std::chrono::milliseconds wait, net::Endpoint* from) const {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) {
    return std::nullopt;
  }
  Bytes buffer(4096);
  net::Endpoint source;
  socklen_t length = net::Endpoint::capacity();
  auto n = ::recvfrom(fd_, buffer.data(), buffer.size(), 0, source.sockaddrPtr(), &length);
  if (n < 0) {
    return std::nullopt;
  }
  buffer.resize(static_cast<std::size_t>(n));
  if (from != nullptr) {
    *from = source;
  }
  return buffer;
}

bool Peer::silent(std::chrono::milliseconds wait) const {
  return !receive(wait).has_value();
}

namespace {

void put16(Bytes& b, std::size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

void put32(Bytes& b, std::size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    b[at + static_cast<std::size_t>(i)] = static_cast<uint8_t>(v >> (24 - 8 * i));
  }
}

} // namespace

Bytes makeRtp(uint16_t seq, uint32_t timestamp, uint32_t ssrc, std::size_t payload,
              uint8_t payload_type) {
  Bytes b(12 + payload);
  b[0] = 0x80;
  b[1] = payload_type;
  put16(b, 2, seq);
  put32(b, 4, timestamp);
  put32(b, 8, ssrc);
  for (std::size_t i = 0; i < payload; ++i) {
    b[12 + i] = static_cast<uint8_t>(i * 7 + seq);
  }
  return b;
}

Bytes makeRtcpRr(uint32_t ssrc, uint8_t fraction, uint32_t cumulative, uint32_t jitter) {
  Bytes b(32);
  b[0] = 0x81; // V=2, RC=1
  b[1] = 201;
  put16(b, 2, 7); // 8 words - 1
  put32(b, 4, ssrc);
  put32(b, 8, 0x12345678); // reportee
  put32(b, 12, (uint32_t{fraction} << 24) | (cumulative & 0xffffff));
  put32(b, 16, 1000);
  put32(b, 20, jitter);
  return b;
}

Bytes makeRtcpSr(uint32_t ssrc) {
  Bytes b(28);
  b[0] = 0x80;
  b[1] = 200;
  put16(b, 2, 6);
  put32(b, 4, ssrc);
  put32(b, 8, 0xdeadbeef); // NTP
  put32(b, 20, 42);        // packet count
  return b;
}

SrtpMasterKey makeKey(const char* suite) {
  auto key = SrtpMasterKey::generate(*findSrtpSuite(suite));
  EXPECT_TRUE(key.has_value());
  return *key;
}

uint16_t portBase(unsigned slot) {
  // 40 slots of 250 ports per process, 20000..59999, spread by pid.
  unsigned process = static_cast<unsigned>(::getpid()) % 4;
  return static_cast<uint16_t>(20000 + (process * 40 + slot % 40) * 250);
}

RelayConfig twoInterfaces(unsigned slot, unsigned pairs, unsigned workers) {
  RelayConfig config;
  uint16_t base = portBase(slot);
  auto last = static_cast<uint16_t>(base + pairs * 2 - 1);
  config.interfaces.push_back({"a", "127.0.0.61", "203.0.113.61", base, last});
  config.interfaces.push_back({"b", "127.0.0.62", "", base, last});
  config.workers = workers;
  return config;
}

std::unique_ptr<Relay> makeRelay(RelayConfig config) {
  auto relay = Relay::create(std::move(config));
  EXPECT_TRUE(relay.has_value()) << (relay ? "" : relay.error().reason);
  return relay ? std::move(*relay) : nullptr;
}

} // namespace gh::media::relay::test
