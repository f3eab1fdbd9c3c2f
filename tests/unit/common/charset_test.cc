#include "common/charset.h"

#include <gtest/gtest.h>

namespace gh {
namespace {

constexpr CharSet kToken = chars::kAlnum | CharSet("-.!%*_+`'~");

static_assert(kToken.contains('~'));
static_assert(!kToken.contains(','));

TEST(CharSetTest, RangesUnionsAndRemoval) {
  EXPECT_TRUE(chars::kHexDigit.contains('F'));
  EXPECT_FALSE(chars::kHexDigit.contains('g'));
  EXPECT_TRUE(kToken.contains('A'));
  EXPECT_FALSE(kToken.without("A").contains('A'));
  EXPECT_FALSE(kToken.contains('\0'));
  EXPECT_FALSE(kToken.contains(static_cast<char>(0xff)));
}

} // namespace
} // namespace gh
