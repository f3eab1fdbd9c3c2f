#include "common/log.h"

#include <gtest/gtest.h>

namespace gh::log {
namespace {

TEST(LogTest, LevelsPerModule) {
  setLevel(Module::Sip, Level::Warn);
  EXPECT_FALSE(enabled(Module::Sip, Level::Info));
  EXPECT_TRUE(enabled(Module::Sip, Level::Error));
  setLevel(Module::Sip, Level::Info);
  EXPECT_TRUE(enabled(Module::Sip, Level::Info));
}

TEST(LogTest, NamesRoundTrip) {
  EXPECT_EQ(moduleFromName("SIP"), Module::Sip);
  EXPECT_FALSE(moduleFromName("nope"));
  EXPECT_EQ(levelFromName("warning"), Level::Warn);
  EXPECT_EQ(levelName(Level::Debug), "debug");
}

} // namespace
} // namespace gh::log
