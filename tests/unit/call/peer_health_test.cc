// Target health and the failover rules a call follows across Teams' SIP proxies, on a simulated
// clock: which results move a call on (timeout, 408, 503) and which are final (603 and every
// other 4xx-6xx), how Retry-After holds a target, and the order a new call tries the targets in.

#include "call/peer_health.h"

#include <gtest/gtest.h>

#include "sip/transaction/manual_timer_service.h"

namespace gh::call {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kTargets = {"sip.pstnhub.microsoft.com:5061",
                                           "sip2.pstnhub.microsoft.com:5061",
                                           "sip3.pstnhub.microsoft.com:5061"};

TEST(FailoverVerdict, TimeoutTransportError408And503MoveOnEverythingElseIsFinal) {
  EXPECT_TRUE(judgeInviteFailure(0, std::nullopt).try_next);
  EXPECT_TRUE(judgeInviteFailure(0, std::nullopt).target_down);
  EXPECT_TRUE(judgeInviteFailure(408, std::nullopt).try_next);
  EXPECT_TRUE(judgeInviteFailure(503, std::nullopt).try_next);
  EXPECT_FALSE(judgeInviteFailure(503, std::nullopt).hold);
  EXPECT_EQ(judgeInviteFailure(503, 30s).hold, 30s);
  for (int final_code :
       {300, 302, 400, 403, 404, 480, 486, 487, 488, 500, 502, 504, 600, 603, 604, 606}) {
    EXPECT_FALSE(judgeInviteFailure(static_cast<uint16_t>(final_code), std::nullopt).try_next)
        << final_code;
    EXPECT_FALSE(judgeInviteFailure(static_cast<uint16_t>(final_code), 30s).try_next) << final_code;
  }
}

TEST(RetryAfter, DeltaSecondsWithCommentAndParametersCappedAtADay) {
  EXPECT_EQ(parseRetryAfter("120"), 120s);
  EXPECT_EQ(parseRetryAfter(" 30 (maintenance);duration=60"), 30s);
  EXPECT_EQ(parseRetryAfter("0"), 0s);
  EXPECT_EQ(parseRetryAfter("99999999999999999999"), 86400s);
  EXPECT_FALSE(parseRetryAfter(""));
  EXPECT_FALSE(parseRetryAfter("soon"));
}

TEST(PeerHealth, UnknownTargetsAreTriedInFileOrder) {
  PeerHealth health;
  sip::ManualTimerService clock;
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(PeerHealth, AnyFinalAnswerToOptionsIsUpATimeoutIsDown) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordOptionsSent("teams", kTargets[0]);
  health.recordOptionsAnswer("teams", kTargets[0], 200, std::nullopt, clock.now());
  health.recordOptionsSent("teams", kTargets[1]);
  health.recordOptionsAnswer("teams", kTargets[1], 404, std::nullopt, clock.now());
  health.recordOptionsSent("teams", kTargets[2]);
  health.recordOptionsFailure("teams", kTargets[2], "no response (timeout)");
  EXPECT_EQ(health.find("teams", kTargets[0])->state, TargetState::Up);
  EXPECT_EQ(health.find("teams", kTargets[1])->state, TargetState::Up);
  const TargetHealth* dead = health.find("teams", kTargets[2]);
  EXPECT_EQ(dead->state, TargetState::Down);
  EXPECT_EQ(dead->options_sent, 1U);
  EXPECT_EQ(dead->options_failed, 1U);
  EXPECT_EQ(dead->last_error, "no response (timeout)");
  // An answer later brings it back.
  health.recordOptionsAnswer("teams", kTargets[2], 200, std::nullopt, clock.now());
  EXPECT_EQ(health.find("teams", kTargets[2])->state, TargetState::Up);
  EXPECT_EQ(health.find("teams", kTargets[2])->options_answered, 1U);
}

TEST(PeerHealth, KnownDownTargetsAreTriedLastNeverFirst) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordOptionsFailure("teams", kTargets[0], "transport error");
  health.recordOptionsAnswer("teams", kTargets[1], 200, std::nullopt, clock.now());
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{1, 2, 0}));
  // Every target down (stale keep-alives): a call still tries them, in file order.
  health.recordOptionsFailure("teams", kTargets[1], "transport error");
  health.recordOptionsFailure("teams", kTargets[2], "transport error");
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(PeerHealth, AnInviteAnsweredBringsADownTargetBackWithoutKeepAlives) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordInviteFailure("teams", kTargets[0], 0, std::nullopt, "Timer B", clock.now());
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{1, 2, 0}));
  health.recordInviteAnswer("teams", kTargets[0], 486, clock.now()); // busy, but alive
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 1, 2}));
  // An answer does not cut a Retry-After hold short.
  health.recordInviteFailure("teams", kTargets[1], 503, 30s, "503", clock.now());
  health.recordInviteAnswer("teams", kTargets[1], 180, clock.now());
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 2}));
}

TEST(PeerHealth, RetryAfterHoldsATargetForExactlyThatLong) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordInviteFailure("teams", kTargets[0], 503, 30s, "503", clock.now());
  EXPECT_EQ(health.find("teams", kTargets[0])->state, TargetState::Down);
  EXPECT_EQ(health.find("teams", kTargets[0])->calls_failed_over, 1U);
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{1, 2}));
  // The proxy answers OPTIONS meanwhile: alive, but the Retry-After still keeps calls away.
  health.recordOptionsAnswer("teams", kTargets[0], 200, std::nullopt, clock.now());
  EXPECT_EQ(health.find("teams", kTargets[0])->state, TargetState::Up);
  clock.advance(29s);
  EXPECT_TRUE(health.held("teams", kTargets[0], clock.now()));
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{1, 2}));
  clock.advance(1s);
  EXPECT_FALSE(health.held("teams", kTargets[0], clock.now()));
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 1, 2}));
  // Held by an INVITE's 503 with no OPTIONS answer since: down, so tried last once it runs out.
  health.recordInviteFailure("teams", kTargets[0], 503, 5s, "503", clock.now());
  clock.advance(5s);
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{1, 2, 0}));
}

TEST(PeerHealth, OptionsAnswered503WithRetryAfterHoldsToo) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordOptionsAnswer("teams", kTargets[1], 503, 60s, clock.now());
  EXPECT_EQ(health.find("teams", kTargets[1])->state, TargetState::Down);
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 2}));
  // Without Retry-After, 503 is an answer: the proxy is alive.
  health.recordOptionsAnswer("teams", kTargets[2], 503, std::nullopt, clock.now());
  EXPECT_EQ(health.find("teams", kTargets[2])->state, TargetState::Up);
  // Every target held: no call goes anywhere until one runs out.
  health.recordInviteFailure("teams", kTargets[0], 503, 10s, "503", clock.now());
  health.recordInviteFailure("teams", kTargets[2], 503, 10s, "503", clock.now());
  EXPECT_TRUE(health.callOrder("teams", kTargets, clock.now()).empty());
  clock.advance(10s);
  EXPECT_EQ(health.callOrder("teams", kTargets, clock.now()), (std::vector<std::size_t>{0, 2}));
}

TEST(PeerHealth, A603OrAnyOtherFinalAnswerLeavesTheTargetAlone) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordOptionsAnswer("teams", kTargets[0], 200, std::nullopt, clock.now());
  for (int code : {486, 603, 404, 500}) {
    health.recordInviteFailure("teams", kTargets[0], static_cast<uint16_t>(code), 30s, "final",
                               clock.now());
  }
  const TargetHealth* t = health.find("teams", kTargets[0]);
  EXPECT_EQ(t->state, TargetState::Up);
  EXPECT_EQ(t->calls_failed_over, 0U);
  EXPECT_FALSE(health.held("teams", kTargets[0], clock.now()));
}

TEST(PeerHealth, PeersAreKeptApart) {
  PeerHealth health;
  sip::ManualTimerService clock;
  health.recordOptionsFailure("a", kTargets[0], "timeout");
  EXPECT_EQ(health.callOrder("b", kTargets, clock.now()), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(health.all().size(), 1U);
}

} // namespace
} // namespace gh::call
