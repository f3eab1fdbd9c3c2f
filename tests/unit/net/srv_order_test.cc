#include "net/srv_order.h"

#include <gtest/gtest.h>

namespace gh::net {
namespace {

TEST(SrvOrder, LowestPriorityFirst) {
  auto out = orderSrv({{"c", 1, 30, 5}, {"a", 1, 10, 5}, {"b", 1, 20, 5}}, defaultSrvRandom());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].target, "a");
  EXPECT_EQ(out[1].target, "b");
  EXPECT_EQ(out[2].target, "c");
}

TEST(SrvOrder, WeightsSplitTheFirstPickInProportion) {
  auto random = defaultSrvRandom();
  int heavy_first = 0;
  constexpr int kRuns = 10000;
  for (int i = 0; i < kRuns; ++i) {
    auto out = orderSrv({{"light", 1, 10, 40}, {"heavy", 1, 10, 60}}, random);
    ASSERT_EQ(out.size(), 2u);
    heavy_first += out[0].target == "heavy" ? 1 : 0;
  }
  // 60 % expected; five standard deviations is about +-2.5 %.
  EXPECT_GT(heavy_first, kRuns * 57 / 100);
  EXPECT_LT(heavy_first, kRuns * 63 / 100);
}

TEST(SrvOrder, ZeroWeightGoesFirstOnlyWhenTheDrawIsZero) {
  std::vector<SrvRecord> records{{"weighted", 1, 10, 100}, {"zero", 1, 10, 0}};
  auto low = orderSrv(records, [](uint32_t) { return 0u; });
  EXPECT_EQ(low[0].target, "zero");
  auto high = orderSrv(records, [](uint32_t bound) { return bound; });
  EXPECT_EQ(high[0].target, "weighted");
  EXPECT_EQ(high[1].target, "zero");
}

} // namespace
} // namespace gh::net
