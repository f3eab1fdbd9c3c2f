#include "net/dns_resolver.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <gtest/gtest.h>

namespace gh::net {
namespace {

using namespace std::chrono_literals;

constexpr const char* kDnsmasq = "/usr/sbin/dnsmasq";
constexpr const char* kDnsAddress = "127.0.0.53";

// A UDP socket bound to `ip`:0; its port, and the socket itself (-1 when closed).
struct UdpPort {
  int fd = -1;
  uint16_t port = 0;
};

UdpPort bindUdp(const char* ip, uint16_t port = 0) {
  auto e = *Endpoint::fromIp(ip, port);
  UdpPort out;
  out.fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (::bind(out.fd, e.sockaddrPtr(), e.sockaddrLength()) != 0) {
    ::close(out.fd);
    out.fd = -1;
    return out;
  }
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  ::getsockname(out.fd, reinterpret_cast<sockaddr*>(&bound), &length);
  out.port = ntohs(bound.sin_port);
  return out;
}

// dnsmasq on loopback with the zone the tests ask about, started per test suite and stopped
// by its PID.
class DnsResolverTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (::access(kDnsmasq, X_OK) != 0) {
      return;
    }
    UdpPort probe = bindUdp(kDnsAddress);
    ASSERT_GE(probe.fd, 0);
    port_ = probe.port;
    ::close(probe.fd);
    std::vector<std::string> args{
        kDnsmasq,
        "--no-daemon",
        "--conf-file=/dev/null",
        "--pid-file=",
        "--port=" + std::to_string(port_),
        std::string("--listen-address=") + kDnsAddress,
        "--bind-interfaces",
        "--no-resolv",
        "--no-hosts",
        "--local=/example.test/", // authoritative: unknown names are NXDOMAIN, not REFUSED
        "--srv-host=_sip._udp.example.test,host1.example.test,5070,10,60",
        "--srv-host=_sip._udp.example.test,host2.example.test,5071,10,40",
        "--srv-host=_sip._udp.example.test,host3.example.test,5072,5,0",
        "--srv-host=_sip._udp.example.test,backup.example.test,5073,20,0",
        "--srv-host=_sips._tcp.example.test,host1.example.test,5061,10,0",
        "--srv-host=_sip._udp.dangling.example.test,missing.example.test,5060,10,0",
        "--host-record=host1.example.test,127.0.0.71",
        "--host-record=host2.example.test,127.0.0.72",
        "--host-record=host3.example.test,127.0.0.73",
        "--host-record=backup.example.test,127.0.0.74",
        "--host-record=plain.example.test,127.0.0.75",
        "--host-record=dual.example.test,127.0.0.76,::1",
    };
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) {
        argv.push_back(a.data());
      }
      argv.push_back(nullptr);
      ::execv(kDnsmasq, argv.data());
      ::_exit(127);
    }
    ASSERT_GT(pid_, 0);
    // Up once its port is taken (bounded: 5 s).
    for (int i = 0; i < 500; ++i) {
      UdpPort again = bindUdp(kDnsAddress, port_);
      if (again.fd < 0) {
        return;
      }
      ::close(again.fd);
      int status = 0;
      ASSERT_EQ(::waitpid(pid_, &status, WNOHANG), 0) << "dnsmasq exited early";
      std::this_thread::sleep_for(10ms);
    }
    FAIL() << "dnsmasq did not start";
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

  void SetUp() override {
    if (pid_ <= 0) {
      GTEST_SKIP() << kDnsmasq << " is not installed";
    }
  }

  std::unique_ptr<DnsResolver> resolver(DnsSettings settings = {}) {
    if (settings.servers.empty()) {
      settings.servers = std::string(kDnsAddress) + ":" + std::to_string(port_);
    }
    settings.timeout = 500ms;
    auto r = DnsResolver::create(io_, settings);
    EXPECT_TRUE(r) << r.error().text;
    return r ? std::move(*r) : nullptr;
  }

  template <class T>
  NetResult<T> wait(std::optional<NetResult<T>>& result) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!result && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(10ms);
    }
    EXPECT_TRUE(result) << "no answer within 5 s";
    return result ? *result : NetResult<T>(Unexpected(NetError{NetErrc::Timeout, "test"}));
  }

  NetResult<std::vector<ResolvedTarget>> resolve(DnsResolver& r, ServiceQuery query) {
    std::optional<NetResult<std::vector<ResolvedTarget>>> result;
    r.resolve(query, [&](NetResult<std::vector<ResolvedTarget>> got) { result = std::move(got); });
    EXPECT_FALSE(result) << "callbacks never run inside the call";
    return wait(result);
  }

  static pid_t pid_;
  static uint16_t port_;
  asio::io_context io_;
};

pid_t DnsResolverTest::pid_ = -1;
uint16_t DnsResolverTest::port_ = 0;

std::vector<std::string> endpoints(const std::vector<ResolvedTarget>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) {
    out.push_back(t.endpoint.toString());
  }
  return out;
}

TEST_F(DnsResolverTest, SrvTargetsComeInPriorityOrderWithTheirAddresses) {
  auto r = resolver();
  auto targets = resolve(*r, {"example.test", std::nullopt, "_sip._udp", 5060});
  ASSERT_TRUE(targets) << targets.error().text;
  auto got = endpoints(*targets);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "127.0.0.73:5072"); // priority 5
  std::vector<std::string> middle{got[1], got[2]};
  std::sort(middle.begin(), middle.end());
  EXPECT_EQ(middle, (std::vector<std::string>{"127.0.0.71:5070", "127.0.0.72:5071"}));
  EXPECT_EQ(got[3], "127.0.0.74:5073"); // priority 20
  EXPECT_EQ((*targets)[0].host, "host3.example.test");
  EXPECT_EQ((*targets)[0].priority, 5);
}

TEST_F(DnsResolverTest, WeightsDecideTheOrderWithinAPriority) {
  auto r = resolver();
  r->setRandomForTest([](uint32_t) { return 0u; });
  auto low = resolve(*r, {"example.test", std::nullopt, "_sip._udp", 5060});
  r->setRandomForTest([](uint32_t bound) { return bound; });
  auto high = resolve(*r, {"example.test", std::nullopt, "_sip._udp", 5060});
  ASSERT_TRUE(low && high);
  ASSERT_EQ(low->size(), 4u);
  ASSERT_EQ(high->size(), 4u);
  EXPECT_NE((*low)[1].host, (*high)[1].host)
      << "the lowest and the highest draw pick different records of priority 10";
}

TEST_F(DnsResolverTest, SipsOverTcpUsesItsOwnService) {
  auto r = resolver();
  auto targets = resolve(*r, {"example.test", std::nullopt, "_sips._tcp", 5061});
  ASSERT_TRUE(targets) << targets.error().text;
  EXPECT_EQ(endpoints(*targets), std::vector<std::string>{"127.0.0.71:5061"});
}

TEST_F(DnsResolverTest, FallsBackToAddressRecordsWithoutSrv) {
  auto r = resolver();
  auto targets = resolve(*r, {"plain.example.test", std::nullopt, "_sip._tcp", 5060});
  ASSERT_TRUE(targets) << targets.error().text;
  EXPECT_EQ(endpoints(*targets), std::vector<std::string>{"127.0.0.75:5060"});
}

TEST_F(DnsResolverTest, AnExplicitPortSkipsSrv) {
  auto r = resolver();
  // example.test has SRV records but no address: with a port only A/AAAA count.
  auto none = resolve(*r, {"example.test", 5080, "_sip._udp", 5060});
  EXPECT_FALSE(none);
  auto targets = resolve(*r, {"dual.example.test", 5080, "_sip._udp", 5060});
  ASSERT_TRUE(targets) << targets.error().text;
  EXPECT_EQ(endpoints(*targets), (std::vector<std::string>{"127.0.0.76:5080", "[::1]:5080"}));
}

TEST_F(DnsResolverTest, AnIpLiteralNeverAsksDns) {
  auto r = resolver({.servers = "127.0.0.1:9"}); // nothing there: a query would fail
  auto targets = resolve(*r, {"127.0.0.9", std::nullopt, "_sip._udp", 5060});
  ASSERT_TRUE(targets) << targets.error().text;
  EXPECT_EQ(endpoints(*targets), std::vector<std::string>{"127.0.0.9:5060"});
  auto v6 = resolve(*r, {"[::1]", 5062, "_sip._udp", 5060});
  ASSERT_TRUE(v6);
  EXPECT_EQ(endpoints(*v6), std::vector<std::string>{"[::1]:5062"});
}

TEST_F(DnsResolverTest, NxdomainIsNotFound) {
  auto r = resolver();
  auto targets = resolve(*r, {"nothing.example.test", std::nullopt, "_sip._udp", 5060});
  ASSERT_FALSE(targets);
  EXPECT_EQ(targets.error().code, NetErrc::NotFound) << targets.error().text;
  EXPECT_NE(targets.error().text.find("nothing.example.test"), std::string::npos);
  EXPECT_NE(targets.error().text.find("NXDOMAIN"), std::string::npos);
}

TEST_F(DnsResolverTest, ASrvTargetWithoutAddressFails) {
  auto r = resolver();
  auto targets = resolve(*r, {"dangling.example.test", std::nullopt, "_sip._udp", 5060});
  ASSERT_FALSE(targets);
  EXPECT_EQ(targets.error().code, NetErrc::NotFound) << targets.error().text;
}

TEST_F(DnsResolverTest, ASilentServerTimesOut) {
  UdpPort silent = bindUdp("127.0.0.54"); // bound and never read: queries go unanswered
  ASSERT_GE(silent.fd, 0);
  DnsSettings settings;
  settings.servers = "127.0.0.54:" + std::to_string(silent.port);
  settings.tries = 1;
  auto r = resolver(settings);
  auto started = std::chrono::steady_clock::now();
  auto targets = resolve(*r, {"example.test", std::nullopt, "_sip._udp", 5060});
  ::close(silent.fd);
  ASSERT_FALSE(targets);
  EXPECT_EQ(targets.error().code, NetErrc::Timeout) << targets.error().text;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST_F(DnsResolverTest, ABadServerListIsRefusedAtCreation) {
  auto r = DnsResolver::create(io_, {.servers = "not an address"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, NetErrc::BadAddress);
}

} // namespace
} // namespace gh::net
