// CPU cost per forwarded packet of the media relay on one worker, paced like bench_media.py:
// N streams, each 50 packets/s plain RTP from party A (relayed as SRTP to B) and 50 packets/s
// SRTP from party B (relayed as plain RTP to A), spread over every millisecond. The figure is
// the relay's CPU time (process CPU minus this thread's) divided by the packets it forwarded,
// the same "CPU us/pkt" as bench_media.py's, without the generator on the same clock.
//
//   relay_bench [--relay_seconds=5] [--benchmark_filter=...]

#include "media/relay/relay.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "media/srtp/srtp_context.h"
#include "media/srtp/srtp_suite.h"

namespace {

using namespace gh::media;
using namespace gh::media::relay;

double g_seconds = 5.0;

double cpuSeconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// One UDP socket standing for every party of one side: it sends to all streams and receives
// what the relay forwards (latching makes it every stream's target).
struct Party {
  explicit Party(const char* ip) {
    auto address = gh::net::Endpoint::fromIp(ip, 0);
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int size = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    ::bind(fd, address->sockaddrPtr(), address->sockaddrLength());
    socklen_t length = gh::net::Endpoint::capacity();
    ::getsockname(fd, local.sockaddrPtr(), &length);
  }

  ~Party() { ::close(fd); }

  // Drains what has arrived; returns the count. With `latency_us`, also records each plain
  // packet's time through the relay: kernel receive stamp minus the send time in its payload.
  uint64_t drain(std::vector<double>* latency_us = nullptr) {
    static thread_local std::vector<uint8_t> buffer(64 * 2048);
    static thread_local std::vector<uint8_t> control(64 * 64);
    mmsghdr msgs[64];
    iovec iov[64];
    uint64_t total = 0;
    for (;;) {
      for (std::size_t i = 0; i < 64; ++i) {
        iov[i] = {buffer.data() + i * 2048, 2048};
        msgs[i] = {};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_control = control.data() + i * 64;
        msgs[i].msg_hdr.msg_controllen = 64;
      }
      int n = ::recvmmsg(fd, msgs, 64, MSG_DONTWAIT, nullptr);
      if (n <= 0) {
        return total;
      }
      total += static_cast<uint64_t>(n);
      for (std::size_t i = 0; latency_us != nullptr && i < static_cast<std::size_t>(n); ++i) {
        cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr);
        if (c == nullptr || c->cmsg_type != SCM_TIMESTAMPNS || msgs[i].msg_len < 20) {
          continue;
        }
        timespec stamp{};
        std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
        int64_t sent_ns = 0;
        std::memcpy(&sent_ns, buffer.data() + i * 2048 + 12, sizeof sent_ns);
        int64_t got_ns = int64_t{stamp.tv_sec} * 1'000'000'000 + stamp.tv_nsec;
        latency_us->push_back(static_cast<double>(got_ns - sent_ns) / 1000.0);
      }
    }
  }

  int fd = -1;
  gh::net::Endpoint local;
};

struct Flow {
  StreamPorts ports;
  std::unique_ptr<SrtpContext> b_out; // party B's sender context (what the relay decrypts)
  uint16_t seq = 0;
};

void putRtp(std::vector<uint8_t>& b, uint16_t seq, uint32_t ssrc) {
  b.assign(12 + 160 + 64, 0xd5);
  b[0] = 0x80;
  b[1] = 0;
  b[2] = static_cast<uint8_t>(seq >> 8);
  b[3] = static_cast<uint8_t>(seq);
  uint32_t ts = seq * 160u;
  for (unsigned i = 0; i < 4; ++i) {
    b[4 + i] = static_cast<uint8_t>(ts >> (24 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  }
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now); // what SO_TIMESTAMPNS stamps with
  int64_t sent_ns = int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
  std::memcpy(b.data() + 12, &sent_ns, sizeof sent_ns);
}

// The reference shape (bench/src/refrelay.cpp): one epoll loop, recvmmsg on the readable socket,
// SRTP, sendmmsg out of the peer socket; no latching, stats, RTCP or control. Measured by the same
// generator on the same machine, it is the yardstick the relay's figure is compared with.
class ReferenceLoop {
public:
  struct Leg {
    int fd = -1;
    Leg* other = nullptr;
    gh::net::Endpoint target;
    std::unique_ptr<SrtpContext> rx; // unprotect what arrives
    std::unique_ptr<SrtpContext> tx; // protect what leaves through this leg
  };

  ReferenceLoop() : epoll_(::epoll_create1(0)) {}

  ~ReferenceLoop() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    for (auto& leg : legs_) {
      ::close(leg->fd);
    }
    ::close(epoll_);
  }

  Leg* add(const char* ip, uint16_t port) {
    auto address = gh::net::Endpoint::fromIp(ip, port);
    auto leg = std::make_unique<Leg>();
    leg->fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    ::bind(leg->fd, address->sockaddrPtr(), address->sockaddrLength());
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = leg.get();
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, leg->fd, &ev);
    legs_.push_back(std::move(leg));
    return legs_.back().get();
  }

  void start() {
    thread_ = std::thread([this] { run(); });
  }

  uint64_t forwarded() const { return forwarded_.load(); }

private:
  void run() {
    constexpr int kBatch = 32;
    std::vector<uint8_t> buffer(kBatch * 2048);
    mmsghdr rm[kBatch];
    mmsghdr sm[kBatch];
    iovec riov[kBatch];
    iovec siov[kBatch];
    epoll_event events[128];
    while (!stop_) {
      int n = ::epoll_wait(epoll_, events, 128, 100);
      for (int e = 0; e < n; ++e) {
        auto* in = static_cast<Leg*>(events[e].data.ptr);
        Leg* out = in->other;
        for (int j = 0; j < kBatch; ++j) {
          riov[j] = {buffer.data() + j * 2048, 2048 - 64};
          rm[j] = {};
          rm[j].msg_hdr.msg_iov = &riov[j];
          rm[j].msg_hdr.msg_iovlen = 1;
        }
        int got = ::recvmmsg(in->fd, rm, kBatch, MSG_DONTWAIT, nullptr);
        int ns = 0;
        for (int j = 0; j < got; ++j) {
          std::span<uint8_t> buf(buffer.data() + j * 2048, 2048);
          std::size_t len = rm[j].msg_len;
          if (in->rx) {
            auto r = in->rx->unprotectRtp(buf, len);
            if (!r) {
              continue;
            }
            len = *r;
          }
          if (out->tx) {
            auto r = out->tx->protectRtp(buf, len);
            if (!r) {
              continue;
            }
            len = *r;
          }
          siov[ns] = {buf.data(), len};
          sm[ns] = {};
          sm[ns].msg_hdr.msg_iov = &siov[ns];
          sm[ns].msg_hdr.msg_iovlen = 1;
          sm[ns].msg_hdr.msg_name = const_cast<sockaddr*>(out->target.sockaddrPtr());
          sm[ns].msg_hdr.msg_namelen = out->target.sockaddrLength();
          ++ns;
        }
        if (ns > 0) {
          int sent = ::sendmmsg(out->fd, sm, static_cast<unsigned>(ns), 0);
          if (sent > 0) {
            forwarded_.fetch_add(static_cast<uint64_t>(sent), std::memory_order_relaxed);
          }
        }
      }
    }
  }

  int epoll_;
  std::vector<std::unique_ptr<Leg>> legs_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> forwarded_{0};
};

void BM_RelayRtpSrtp(benchmark::State& state) {
  const auto streams = static_cast<unsigned>(state.range(0));
  const bool srtp = state.range(1) != 0;
  const bool reference = state.range(2) != 0;
  Party a("127.0.0.203");
  Party b("127.0.0.204");
  const SrtpSuite& suite = defaultSrtpSuite();
  std::vector<Flow> flows(streams);
  std::unique_ptr<Relay> relay;
  std::unique_ptr<ReferenceLoop> loop;
  if (reference) {
    loop = std::make_unique<ReferenceLoop>();
    for (unsigned i = 0; i < streams; ++i) {
      auto port = static_cast<uint16_t>(40000 + 2 * i);
      ReferenceLoop::Leg* leg_a = loop->add("127.0.0.205", port);
      ReferenceLoop::Leg* leg_b = loop->add("127.0.0.206", port);
      leg_a->other = leg_b;
      leg_b->other = leg_a;
      leg_a->target = a.local;
      leg_b->target = b.local;
      flows[i].ports.a.rtp = *gh::net::Endpoint::fromIp("127.0.0.205", port);
      flows[i].ports.b.rtp = *gh::net::Endpoint::fromIp("127.0.0.206", port);
      if (srtp) {
        auto from_b = SrtpMasterKey::generate(suite);
        auto to_b = SrtpMasterKey::generate(suite);
        leg_b->rx = std::make_unique<SrtpContext>(
            std::move(*SrtpContext::create(*from_b, SrtpDirection::Inbound)));
        leg_b->tx = std::make_unique<SrtpContext>(
            std::move(*SrtpContext::create(*to_b, SrtpDirection::Outbound)));
        flows[i].b_out = std::make_unique<SrtpContext>(
            std::move(*SrtpContext::create(*from_b, SrtpDirection::Outbound)));
      }
    }
    loop->start();
  } else {
    RelayConfig config;
    config.workers = 1;
    config.coalesce = std::chrono::microseconds(state.range(3));
    config.interfaces.push_back({"int", "127.0.0.201", "", 30000, 39999});
    config.interfaces.push_back({"ext", "127.0.0.202", "", 30000, 39999});
    auto created = Relay::create(config);
    if (!created) {
      state.SkipWithError(created.error().reason.c_str());
      return;
    }
    relay = std::move(*created);
    for (unsigned i = 0; i < streams; ++i) {
      auto ports = relay->allocate({.interface_a = "int", .interface_b = "ext"});
      if (!ports) {
        state.SkipWithError(ports.error().reason.c_str());
        return;
      }
      flows[i].ports = *ports;
      SideParams side_b{.remote_rtp = b.local};
      if (srtp) {
        auto from_b = SrtpMasterKey::generate(suite);
        auto to_b = SrtpMasterKey::generate(suite);
        side_b.decrypt = *from_b;
        side_b.encrypt = *to_b;
        flows[i].b_out = std::make_unique<SrtpContext>(
            std::move(*SrtpContext::create(*from_b, SrtpDirection::Outbound)));
      }
      (void)relay->update(ports->id, Side::A, {.remote_rtp = a.local});
      (void)relay->update(ports->id, Side::B, side_b);
    }
    relay->sync();
  }
  auto forwarded = [&] { return reference ? loop->forwarded() : relay->stats().packets_relayed; };

  std::vector<uint8_t> packet;
  std::vector<double> latency; // B -> A (SRTP -> RTP, or plain), microseconds
  latency.reserve(1 << 20);
  uint64_t received = 0;
  uint64_t sent = 0;
  // Each millisecond, 1/20 of the streams send one packet each way: 50 packets/s per stream
  // and direction, spread as evenly as a 20 ms packetisation clock spreads real calls.
  auto tick = [&](unsigned slice) {
    for (unsigned i = slice; i < streams; i += 20) {
      Flow& f = flows[i];
      ++f.seq;
      putRtp(packet, f.seq, 0x1000 + i);
      ::sendto(a.fd, packet.data(), 172, 0, f.ports.a.rtp.sockaddrPtr(),
               f.ports.a.rtp.sockaddrLength());
      putRtp(packet, f.seq, 0x8000 + i);
      std::size_t len = 172;
      if (f.b_out) {
        len = *f.b_out->protectRtp(packet, 172);
      }
      ::sendto(b.fd, packet.data(), len, 0, f.ports.b.rtp.sockaddrPtr(),
               f.ports.b.rtp.sockaddrLength());
      sent += 2;
    }
    received += a.drain(&latency) + b.drain();
  };
  // Warm up (latching, first batches), then measure.
  auto next = std::chrono::steady_clock::now();
  for (unsigned ms = 0; ms < 200; ++ms) {
    tick(ms % 20);
    next += std::chrono::milliseconds(1);
    std::this_thread::sleep_until(next);
  }
  // Let the warm-up's packets land so that loss counts only measured ones.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  a.drain();
  b.drain();
  received = 0;
  sent = 0;
  latency.clear();
  next = std::chrono::steady_clock::now();
  const uint64_t relayed_before = forwarded();
  const auto wall0 = std::chrono::steady_clock::now();
  const double process0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  const double self0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  for (auto _ : state) {
    for (unsigned ms = 0; ms < 20; ++ms) {
      tick(ms);
      next += std::chrono::milliseconds(1);
      std::this_thread::sleep_until(next);
    }
  }
  const double relay_cpu = (cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0) -
                           (cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - self0);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const auto relayed = static_cast<double>(forwarded() - relayed_before);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  received += a.drain() + b.drain();
  if (!latency.empty()) {
    std::sort(latency.begin(), latency.end());
    state.counters["p50_us"] = latency[latency.size() / 2];
    state.counters["p99_us"] = latency[latency.size() * 99 / 100];
  }
  state.counters["cpu_us_per_pkt"] = relayed > 0 ? relay_cpu * 1e6 / relayed : 0;
  state.counters["relay_cpu_pct"] = 100.0 * relay_cpu / wall;
  state.counters["pps"] = relayed / wall;
  state.counters["loss_pct"] =
      sent > 0 ? 100.0 * (static_cast<double>(sent) - static_cast<double>(received)) /
                     static_cast<double>(sent)
               : 0;
  if (relay) {
    auto stats = relay->stats();
    state.counters["drops"] = static_cast<double>(stats.dropped + stats.srtp_auth_failures);
  }
}

} // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--relay_seconds=", 16) == 0) {
      g_seconds = std::atof(argv[i] + 16);
    } else {
      rest.push_back(argv[i]);
    }
  }
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  auto iterations = static_cast<benchmark::IterationCount>(std::max(1.0, g_seconds * 50));
  // (streams, srtp, reference, coalesce µs): RTP<->SRTP at 500 and 1000 streams and plain at
  // 500, each through the relay (without and with coalescing) and through the reference loop.
  const std::vector<std::vector<int64_t>> cases = {
      {500, 1, 0, 0},     {500, 1, 0, 2000}, {500, 1, 1, 0}, {1000, 1, 0, 0},
      {1000, 1, 0, 2000}, {1000, 1, 1, 0},   {500, 0, 0, 0}, {500, 0, 1, 0}};
  for (const auto& args : cases) {
    benchmark::RegisterBenchmark("BM_RelayRtpSrtp", BM_RelayRtpSrtp)
        ->Args(args)
        ->ArgNames({"streams", "srtp", "ref", "coalesce_us"})
        ->Iterations(iterations)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  int count = static_cast<int>(rest.size());
  benchmark::Initialize(&count, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
