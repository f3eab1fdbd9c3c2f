// OPTIONS keep-alives toward a Teams peer's three SIP proxies on simulated time: one OPTIONS per
// target per interval with the FQDN Contact and X-MS-SBC, and each target's health from what
// comes back (200 up, 503 + Retry-After held, no answer down), as the calls then see it.

#include "call/options_pinger.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "sip/transaction/manual_timer_service.h"
#include "sip/transaction/response_builder.h"
#include "unit/sip/transaction/support.h"

namespace gh::call {
namespace {

using namespace std::chrono_literals;
using sip::test::FakeTransport;

constexpr std::string_view kConfig = R"([sbc]
fqdn = "sbc.example.com"
[tls]
certificate = "sbc.crt"
private_key = "sbc.key"
[[interface]]
name = "external"
address = "10.0.0.5"
sip = ["tls:5061"]
[[peer]]
name = "teams"
profile = "teams-direct-routing"
targets = [
  { fqdn = "sip.pstnhub.microsoft.com",  address = "192.0.2.1" },
  { fqdn = "sip2.pstnhub.microsoft.com", address = "192.0.2.2" },
  { fqdn = "sip3.pstnhub.microsoft.com", address = "192.0.2.3" },
]
x_ms_sbc = "Gatehouse/test"
)";

// Client transaction events to the pinger, as app/txn_dispatch.h does in `run`.
class PingerTu final : public sip::TransactionUser {
public:
  OptionsPinger* pinger = nullptr;

  void onRequest(sip::TxnId, const sip::Message&, const sip::Flow&) override {}

  void onAck(const sip::Message&, const sip::Flow&) override {}

  void onCancel(sip::TxnId, const sip::Message&) override {}

  void onResponse(sip::TxnId id, const sip::Message& m, const sip::Flow&) override {
    pinger->onResponse(id, m);
  }

  void onStrayResponse(const sip::Message&, const sip::Flow&) override {}

  void onTimeout(sip::TxnId id) override { pinger->onFailure(id, "no response (timeout)"); }

  void onTransportError(sip::TxnId id) override { pinger->onFailure(id, "transport error"); }

  void onTerminated(sip::TxnId id, sip::TxnKind) override { pinger->onTerminated(id); }
};

class OptionsPingerTest : public ::testing::Test {
protected:
  OptionsPingerTest() {
    auto loaded = config::loadString(kConfig, "t.toml", "/etc/gatehouse");
    EXPECT_TRUE(loaded) << (loaded ? "" : config::formatDiagnostics(loaded.error()));
    config = std::make_shared<const config::Config>(std::move(*loaded));
    Environment env;
    env.local_endpoint = [](sip::InterfaceIndex, sip::Transport) {
      return net::Endpoint::parse("10.0.0.5:5061");
    };
    pinger = std::make_unique<OptionsPinger>(timers, health, env);
    tu.pinger = pinger.get();
    layer = std::make_unique<sip::TransactionLayer>(timers, transport, tu);
    transport.layer = layer.get();
    transport.clock = &timers;
    pinger->attach(*layer);
  }

  ~OptionsPingerTest() override {
    layer.reset();
    pinger.reset();
  }

  // The OPTIONS sent to `ip` most recently.
  const FakeTransport::Sent* lastTo(std::string_view ip) const {
    for (auto it = transport.sent.rbegin(); it != transport.sent.rend(); ++it) {
      if (it->flow.remote.ip() == ip && it->bytes.starts_with("OPTIONS "))
        return &*it;
    }
    return nullptr;
  }

  void answer(const FakeTransport::Sent& sent, uint16_t code,
              std::vector<sip::HeaderLine> headers = {}) {
    sip::Message request = sip::test::parse(sent.bytes);
    std::string text =
        sip::buildResponse(request, code, {.to_tag = "t1", .headers = std::move(headers)});
    layer->handleMessage(sip::test::parse(text), sent.flow);
  }

  TargetState state(std::string_view target) const {
    const TargetHealth* h = health.find("teams", target);
    return h == nullptr ? TargetState::Unknown : h->state;
  }

  sip::ManualTimerService timers;
  FakeTransport transport;
  PingerTu tu;
  PeerHealth health;
  std::unique_ptr<OptionsPinger> pinger;
  std::unique_ptr<sip::TransactionLayer> layer;
  std::shared_ptr<const config::Config> config;
};

TEST_F(OptionsPingerTest, OneOptionsPerTargetWithTheFqdnContactAndXMsSbc) {
  pinger->start(config);
  timers.advance(1s);
  ASSERT_EQ(transport.count("OPTIONS "), 3U);
  const char* ips[] = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  const char* fqdns[] = {"sip.pstnhub.microsoft.com", "sip2.pstnhub.microsoft.com",
                         "sip3.pstnhub.microsoft.com"};
  for (int i = 0; i < 3; ++i) {
    const FakeTransport::Sent* sent = lastTo(ips[i]);
    ASSERT_NE(sent, nullptr) << ips[i];
    EXPECT_EQ(sent->flow.transport, sip::Transport::Tls);
    EXPECT_EQ(sent->flow.remote.port(), 5061);
    const sip::Message m = sip::test::parse(sent->bytes);
    EXPECT_EQ(m.requestUriText(), fmt::format("sip:{}:5061;transport=tls", fqdns[i]));
    EXPECT_NE(sent->bytes.find("\r\nContact: <sip:sbc.example.com:5061;transport=tls>\r\n"),
              std::string::npos)
        << sent->bytes;
    EXPECT_NE(sent->bytes.find("\r\nVia: SIP/2.0/TLS sbc.example.com:5061;branch=z9hG4bK"),
              std::string::npos)
        << sent->bytes;
    EXPECT_NE(sent->bytes.find("\r\nX-MS-SBC: Gatehouse/test\r\n"), std::string::npos);
    EXPECT_NE(sent->bytes.find("\r\nFrom: <sip:sbc.example.com>;tag="), std::string::npos);
  }
  EXPECT_EQ(pinger->sent(), 3U);
}

TEST_F(OptionsPingerTest, HealthFromAnswersRetryAfterAndTimeouts) {
  pinger->start(config);
  timers.advance(1s);
  answer(*lastTo("192.0.2.1"), 200);
  answer(*lastTo("192.0.2.2"), 503, {{"Retry-After", "120"}});
  EXPECT_EQ(state("sip.pstnhub.microsoft.com:5061"), TargetState::Up);
  EXPECT_EQ(state("sip2.pstnhub.microsoft.com:5061"), TargetState::Down);
  EXPECT_EQ(state("sip3.pstnhub.microsoft.com:5061"), TargetState::Unknown);
  // sip3 never answers: Timer F (64*T1 = 32 s) marks it down.
  timers.advance(32s);
  EXPECT_EQ(state("sip3.pstnhub.microsoft.com:5061"), TargetState::Down);
  EXPECT_EQ(layer->size(), 0U);
  std::vector<std::string> keys = {"sip.pstnhub.microsoft.com:5061",
                                   "sip2.pstnhub.microsoft.com:5061",
                                   "sip3.pstnhub.microsoft.com:5061"};
  // A call now: sip first, sip3 (down) last, sip2 not at all (Retry-After runs).
  EXPECT_EQ(health.callOrder("teams", keys, timers.now()), (std::vector<std::size_t>{0, 2}));
  // The next round, 60 s after the first: sip3 answers now and is back.
  timers.advance(28s);
  ASSERT_EQ(transport.count("OPTIONS "), 6U);
  answer(*lastTo("192.0.2.3"), 200);
  EXPECT_EQ(state("sip3.pstnhub.microsoft.com:5061"), TargetState::Up);
  const TargetHealth* sip3 = health.find("teams", "sip3.pstnhub.microsoft.com:5061");
  EXPECT_EQ(sip3->options_sent, 2U);
  EXPECT_EQ(sip3->options_failed, 1U);
  EXPECT_EQ(sip3->options_answered, 1U);
}

TEST_F(OptionsPingerTest, OneOptionsAtATimePerTargetAndStopEndsThem) {
  pinger->start(config);
  timers.advance(1s);
  // Nothing answers; the next interval finds them still pending only if Timer F were longer
  // than the interval: here they time out at 32 s and the next round goes at 60 s.
  timers.advance(60s);
  EXPECT_EQ(transport.count("OPTIONS "), 6U);
  pinger->stop();
  timers.advance(600s);
  EXPECT_EQ(transport.count("OPTIONS "), 6U);
}

TEST_F(OptionsPingerTest, PeersWithoutKeepAliveGetNone) {
  auto loaded = config::loadString(std::string(kConfig) + "options_interval_s = 0\n", "t.toml",
                                   "/etc/gatehouse");
  ASSERT_TRUE(loaded) << config::formatDiagnostics(loaded.error());
  pinger->start(std::make_shared<const config::Config>(std::move(*loaded)));
  timers.advance(120s);
  EXPECT_EQ(transport.count("OPTIONS "), 0U);
}

} // namespace
} // namespace gh::call
