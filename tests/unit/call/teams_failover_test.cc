// The B2BUA across a Teams peer's three SIP proxies, on simulated time with a recording
// transport: a 503 with Retry-After fails over and holds the proxy for later calls, no answer
// (Timer B) fails over, 603 Decline and 486 are final (no other proxy sees the call), and the
// INVITE carries the current proxy's FQDN, E.164 with ;user=phone and X-MS-SBC.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "call/b2bua.h"
#include "call/media_hook.h"
#include "call/peer_health.h"
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
name = "pbx"
address = "192.0.2.10"
sip = ["udp:5060"]
allow = ["192.0.2.0/24"]
[[interface]]
name = "external"
address = "198.51.100.10"
sip = ["tls:5061"]
[[peer]]
name = "teams"
profile = "teams-direct-routing"
interface = "external"
x_ms_sbc = "Gatehouse/test"
targets = [
  { fqdn = "sip.pstnhub.microsoft.com",  address = "198.51.100.1" },
  { fqdn = "sip2.pstnhub.microsoft.com", address = "198.51.100.2" },
  { fqdn = "sip3.pstnhub.microsoft.com", address = "198.51.100.3" },
]
[[route]]
name = "to-teams"
match.from_interface = "pbx"
to_peer = "teams"
media.anchor = false
)";

constexpr const char* kSip = "198.51.100.1";
constexpr const char* kSip2 = "198.51.100.2";
constexpr const char* kSip3 = "198.51.100.3";
constexpr const char* kCaller = "192.0.2.20";

class TeamsFailover : public ::testing::Test {
protected:
  TeamsFailover() {
    auto loaded = config::loadString(kConfig, "t.toml", "/etc/gatehouse");
    EXPECT_TRUE(loaded) << (loaded ? "" : config::formatDiagnostics(loaded.error()));
    auto c = std::make_shared<const config::Config>(std::move(*loaded));
    Environment env;
    env.local_endpoint = [](sip::InterfaceIndex i, sip::Transport t) {
      if (i == 0 && t == sip::Transport::Udp)
        return net::Endpoint::parse("192.0.2.10:5060");
      if (i == 1 && t == sip::Transport::Tls)
        return net::Endpoint::parse("198.51.100.10:5061");
      return std::optional<net::Endpoint>{};
    };
    env.send_stateless = [](const sip::Flow&, std::string) {};
    env.health = &health;
    b2bua = std::make_unique<B2bua>(std::make_shared<Policy>(c), env, timers, media);
    layer = std::make_unique<sip::TransactionLayer>(timers, transport, *b2bua);
    b2bua->attach(*layer);
    transport.layer = layer.get();
    transport.clock = &timers;
  }

  ~TeamsFailover() override {
    layer.reset();
    b2bua.reset();
  }

  sip::Flow callerFlow() const {
    sip::Flow f;
    f.transport = sip::Transport::Udp;
    f.interface = 0;
    f.local = *net::Endpoint::parse("192.0.2.10:5060");
    f.remote = *net::Endpoint::parse(fmt::format("{}:5060", kCaller));
    return f;
  }

  void call(std::string_view number) {
    ++calls;
    std::string text = fmt::format("INVITE sip:{0}@192.0.2.10 SIP/2.0\r\n"
                                   "Via: SIP/2.0/UDP {1}:5060;branch=z9hG4bK-caller{2}\r\n"
                                   "Max-Forwards: 70\r\n"
                                   "From: <sip:49309018200@{1}>;tag=a{2}\r\n"
                                   "To: <sip:{0}@192.0.2.10>\r\n"
                                   "Call-ID: call{2}@{1}\r\n"
                                   "CSeq: 1 INVITE\r\n"
                                   "Contact: <sip:caller@{1}:5060>\r\n"
                                   "Content-Length: 0\r\n\r\n",
                                   number, kCaller, calls);
    b2bua->onInbound(sip::test::parse(text), callerFlow());
  }

  std::vector<const FakeTransport::Sent*> invitesTo(std::string_view ip) const {
    std::vector<const FakeTransport::Sent*> out;
    for (const auto& s : transport.sent) {
      if (s.flow.remote.ip() == ip && s.bytes.starts_with("INVITE "))
        out.push_back(&s);
    }
    return out;
  }

  // The final responses the caller got, by status code, in order.
  std::vector<int> callerFinals() const {
    std::vector<int> out;
    for (const auto& s : transport.sent) {
      if (s.flow.remote.ip() == kCaller && s.bytes.starts_with("SIP/2.0 ") &&
          s.bytes.compare(8, 1, "1") != 0)
        out.push_back(std::stoi(s.bytes.substr(8, 3)));
    }
    return out;
  }

  void answer(const FakeTransport::Sent& invite, uint16_t code,
              std::vector<sip::HeaderLine> headers = {}) {
    sip::Message request = sip::test::parse(invite.bytes);
    std::string contact = fmt::format("<sip:proxy@{}:5061;transport=tls>", invite.flow.remote.ip());
    std::string text = sip::buildResponse(
        request, code, {.to_tag = "b1", .contact = contact, .headers = std::move(headers)});
    b2bua->onInbound(sip::test::parse(text), invite.flow);
  }

  sip::ManualTimerService timers;
  FakeTransport transport;
  PeerHealth health;
  PassThroughMedia media;
  std::unique_ptr<B2bua> b2bua;
  std::unique_ptr<sip::TransactionLayer> layer;
  int calls = 0;
};

TEST_F(TeamsFailover, FirstProxyGetsTheInviteWithFqdnE164AndXMsSbc) {
  call("14255550100");
  auto sent = invitesTo(kSip);
  ASSERT_EQ(sent.size(), 1U);
  const sip::Message m = sip::test::parse(sent[0]->bytes);
  EXPECT_EQ(m.requestUriText(),
            "sip:+14255550100@sip.pstnhub.microsoft.com:5061;user=phone;transport=tls");
  EXPECT_NE(sent[0]->bytes.find("\r\nTo: <sip:+14255550100@192.0.2.10;user=phone>\r\n"),
            std::string::npos)
      << sent[0]->bytes;
  EXPECT_NE(sent[0]->bytes.find("\r\nFrom: <sip:+49309018200@sbc.example.com;user=phone>;tag="),
            std::string::npos)
      << sent[0]->bytes;
  EXPECT_NE(sent[0]->bytes.find("\r\nContact: <sip:sbc.example.com:5061;transport=tls>\r\n"),
            std::string::npos);
  EXPECT_NE(sent[0]->bytes.find("\r\nX-MS-SBC: Gatehouse/test\r\n"), std::string::npos);
  EXPECT_EQ(sent[0]->flow.transport, sip::Transport::Tls);
  EXPECT_TRUE(invitesTo(kSip2).empty());
}

TEST_F(TeamsFailover, RetryAfterFailsOverAndHoldsTheProxyForLaterCalls) {
  call("14255550100");
  answer(*invitesTo(kSip)[0], 503, {{"Retry-After", "30"}});
  auto second = invitesTo(kSip2);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(sip::test::parse(second[0]->bytes).requestUriText(),
            "sip:+14255550100@sip2.pstnhub.microsoft.com:5061;user=phone;transport=tls");
  answer(*second[0], 200);
  EXPECT_EQ(callerFinals(), (std::vector<int>{200}));
  EXPECT_EQ(b2bua->activeCalls(), 1U);

  // While the Retry-After runs, new calls go to sip2 first.
  call("14255550101");
  EXPECT_EQ(invitesTo(kSip).size(), 1U);
  ASSERT_EQ(invitesTo(kSip2).size(), 2U);
  answer(*invitesTo(kSip2)[1], 486);
  EXPECT_EQ(callerFinals(), (std::vector<int>{200, 486}));
  EXPECT_TRUE(invitesTo(kSip3).empty()); // 486 is final

  // After it, sip (down since its 503, no OPTIONS answer) comes last.
  timers.advance(30s);
  call("14255550102");
  EXPECT_EQ(invitesTo(kSip).size(), 1U);
  EXPECT_EQ(invitesTo(kSip2).size(), 3U);
  health.recordOptionsAnswer("teams", "sip.pstnhub.microsoft.com:5061", 200, std::nullopt,
                             timers.now());
  call("14255550103");
  EXPECT_EQ(invitesTo(kSip).size(), 2U); // up again: first again
}

TEST_F(TeamsFailover, NoAnswerFailsOverAfterTimerB) {
  call("14255550100");
  ASSERT_EQ(invitesTo(kSip).size(), 1U);
  timers.advance(31s);
  EXPECT_TRUE(invitesTo(kSip2).empty());
  timers.advance(1s); // 64*T1
  ASSERT_EQ(invitesTo(kSip2).size(), 1U);
  EXPECT_EQ(health.find("teams", "sip.pstnhub.microsoft.com:5061")->state, TargetState::Down);
  answer(*invitesTo(kSip2)[0], 503);
  ASSERT_EQ(invitesTo(kSip3).size(), 1U);
  answer(*invitesTo(kSip3)[0], 503);
  // The last proxy's 503 goes to the caller; nothing else is tried.
  EXPECT_EQ(callerFinals(), (std::vector<int>{503}));
  EXPECT_EQ(b2bua->activeCalls(), 0U);
  EXPECT_EQ(invitesTo(kSip).size() + invitesTo(kSip2).size() + invitesTo(kSip3).size(), 3U);
}

TEST_F(TeamsFailover, DeclineIsFinalAndNeverRetried) {
  call("14255550603");
  answer(*invitesTo(kSip)[0], 603);
  EXPECT_EQ(callerFinals(), (std::vector<int>{603}));
  timers.advance(60s);
  EXPECT_TRUE(invitesTo(kSip2).empty());
  EXPECT_TRUE(invitesTo(kSip3).empty());
  EXPECT_EQ(b2bua->activeCalls(), 0U);
  // And the proxy that declined is up and still the first choice.
  const auto* sip = health.find("teams", "sip.pstnhub.microsoft.com:5061");
  ASSERT_NE(sip, nullptr);
  EXPECT_EQ(sip->state, TargetState::Up);
  EXPECT_EQ(sip->last_code, 603);
}

TEST_F(TeamsFailover, EveryProxyHeldMeans503AtOnce) {
  for (const char* t : {"sip.pstnhub.microsoft.com:5061", "sip2.pstnhub.microsoft.com:5061",
                        "sip3.pstnhub.microsoft.com:5061"}) {
    health.recordInviteFailure("teams", t, 503, 60s, "503", timers.now());
  }
  call("14255550100");
  EXPECT_EQ(callerFinals(), (std::vector<int>{503}));
  EXPECT_EQ(transport.count("INVITE "), 0U);
  EXPECT_EQ(b2bua->activeCalls(), 0U);
}

} // namespace
} // namespace gh::call
