#include "sdp/base64.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace gh::sdp {
namespace {

std::span<const uint8_t> bytesOf(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string decodeToString(std::string_view text) {
  std::array<uint8_t, 128> out{};
  auto n = base64Decode(text, out);
  if (!n) {
    return "<error>";
  }
  return std::string(reinterpret_cast<const char*>(out.data()), *n);
}

TEST(SdpBase64Test, Rfc4648Vectors) {
  const std::array<std::pair<std::string_view, std::string_view>, 7> vectors = {{
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  }};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64Encode(bytesOf(plain)), encoded);
    EXPECT_EQ(decodeToString(encoded), plain);
    EXPECT_EQ(base64EncodedSize(plain.size()), encoded.size());
  }
}

TEST(SdpBase64Test, AcceptsMissingPadding) {
  EXPECT_EQ(decodeToString("Zg"), "f");
  EXPECT_EQ(decodeToString("Zm8"), "fo");
  EXPECT_EQ(decodeToString("Zm9vYg"), "foob");
}

TEST(SdpBase64Test, RejectsBadInput) {
  std::array<uint8_t, 16> out{};
  auto bad_char = base64Decode("Zm9v!mFy", out);
  ASSERT_FALSE(bad_char);
  EXPECT_EQ(bad_char.error().offset, 4u);
  EXPECT_FALSE(base64Decode("Z", out));
  EXPECT_FALSE(base64Decode("Zm9vY", out));
  EXPECT_FALSE(base64Decode("Zg=", out));
  EXPECT_FALSE(base64Decode("Zg===", out));
  EXPECT_FALSE(base64Decode("Z===", out));
  EXPECT_FALSE(base64Decode("Zm=v", out));
  EXPECT_FALSE(base64Decode("Zm9v YmFy", out));
}

TEST(SdpBase64Test, NeverWritesPastTheBuffer) {
  std::array<uint8_t, 4> out{};
  EXPECT_FALSE(base64Decode("Zm9vYmFy", std::span<uint8_t>(out).first(5 - 1)));
  auto fits = base64Decode("Zm9vYg", out);
  ASSERT_TRUE(fits);
  EXPECT_EQ(*fits, 4u);
  EXPECT_FALSE(base64Decode("Zm9vYmE", out));
  EXPECT_GE(base64DecodedMaxSize(8), 6u);
}

TEST(SdpBase64Test, RoundTripsEveryLength) {
  std::array<uint8_t, 64> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(i * 37 + 11);
  }
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    const std::string text = base64Encode(std::span<const uint8_t>(bytes).first(n));
    std::array<uint8_t, 64> out{};
    auto decoded = base64Decode(text, out);
    ASSERT_TRUE(decoded);
    ASSERT_EQ(*decoded, n);
    EXPECT_TRUE(
        std::equal(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), bytes.begin()));
  }
}

} // namespace
} // namespace gh::sdp
