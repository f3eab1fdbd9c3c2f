#include "media/ng/bencode.h"

#include <gtest/gtest.h>

#include "media/ng/bencode_writer.h"

namespace gh::media::ng {
namespace {

TEST(BencodeTest, DecodesEachType) {
  auto doc = decodeBencode("d1:ai-7e1:b3:xyz1:cli1ei2ee1:dd1:xdeee");
  ASSERT_TRUE(doc.has_value());
  BValue root = doc->root();
  ASSERT_TRUE(root.isDict());
  EXPECT_EQ(root.size(), 4u);
  EXPECT_EQ(root.find("a")->integer(), -7);
  EXPECT_EQ(root.find("b")->str(), "xyz");
  EXPECT_EQ(root.find("c")->size(), 2u);
  EXPECT_TRUE(root.find("d")->find("x")->isDict());
  EXPECT_FALSE(root.find("zz").has_value());
  EXPECT_FALSE(root.find("a")->find("a").has_value()); // not a dictionary
}

TEST(BencodeTest, ViewsPointIntoTheInput) {
  const std::string input = "d3:sdp5:v=0\r\ne";
  auto doc = decodeBencode(input);
  ASSERT_TRUE(doc.has_value());
  std::string_view sdp = doc->root().find("sdp")->str();
  EXPECT_EQ(sdp, "v=0\r\n");
  EXPECT_GE(sdp.data(), input.data());
  EXPECT_LE(sdp.data() + sdp.size(), input.data() + input.size());
}

TEST(BencodeTest, IteratesEntriesInWireOrder) {
  auto doc = decodeBencode("d1:bi1e1:ai2ee");
  ASSERT_TRUE(doc.has_value());
  std::string keys;
  doc->root().forEachEntry([&](std::string_view k, BValue) { keys.append(k); });
  EXPECT_EQ(keys, "ba");
}

struct Rejected {
  const char* input;
  Errc code;
};

class BencodeRejectTest : public ::testing::TestWithParam<Rejected> {};

TEST_P(BencodeRejectTest, Rejects) {
  auto doc = decodeBencode(GetParam().input);
  ASSERT_FALSE(doc.has_value()) << GetParam().input;
  EXPECT_EQ(doc.error().code, GetParam().code) << doc.error().what;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, BencodeRejectTest,
    ::testing::Values(Rejected{"i9223372036854775808e", Errc::BadNumber},
                      Rejected{"i-9223372036854775809e", Errc::BadNumber},
                      Rejected{"i99999999999999999999e", Errc::BadNumber},
                      Rejected{"i-e", Errc::BadBencode}, Rejected{"i--1e", Errc::BadBencode},
                      Rejected{"i00e", Errc::BadBencode}, Rejected{"i-01e", Errc::BadBencode},
                      Rejected{"i1", Errc::Truncated}, Rejected{"5:abc", Errc::Truncated},
                      Rejected{"99999999999999999999999:x", Errc::Truncated},
                      Rejected{"d1:ai1e1:ai2ee", Errc::BadBencode},
                      Rejected{"d1:bi1e1:ai2e1:bi3ee", Errc::BadBencode},
                      Rejected{"dli1eei1ee", Errc::BadBencode}, Rejected{"l", Errc::Truncated},
                      Rejected{"le ", Errc::BadBencode}, Rejected{"x", Errc::BadBencode}));

TEST(BencodeTest, DuplicateKeysOnlyMatterWithinOneDictionary) {
  EXPECT_TRUE(decodeBencode("d1:ad1:ai1ee1:bd1:ai1eee").has_value());
}

TEST(BencodeTest, LimitsAreEnforced) {
  BencodeLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(decodeBencode("llleee", limits).has_value());
  EXPECT_EQ(decodeBencode("lllleeee", limits).error().code, Errc::TooLarge);

  limits = {};
  limits.max_nodes = 3;
  EXPECT_TRUE(decodeBencode("li1ei2ee", limits).has_value());
  EXPECT_EQ(decodeBencode("li1ei2ei3ee", limits).error().code, Errc::TooLarge);

  limits = {};
  limits.max_string = 4;
  EXPECT_TRUE(decodeBencode("4:abcd", limits).has_value());
  EXPECT_EQ(decodeBencode("5:abcde", limits).error().code, Errc::TooLarge);

  limits = {};
  limits.max_input = 4;
  EXPECT_EQ(decodeBencode("5:abcde", limits).error().code, Errc::TooLarge);
}

TEST(BencodeTest, HostileNestingIsRejectedWithoutRecursion) {
  std::string deep(1'000'000, 'l');
  deep.append(1'000'000, 'e');
  BencodeLimits limits;
  limits.max_input = deep.size();
  EXPECT_EQ(decodeBencode(deep, limits).error().code, Errc::TooLarge);
}

TEST(BencodeTest, StreamModeStopsAfterOneValue) {
  auto doc = decodeBencode("d1:ai1eec2 d", {}, Trailing::Allow);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->consumed(), 8u);
}

TEST(BencodeWriterTest, WritesEveryType) {
  BencodeWriter w;
  w.beginDict().key("i").integer(-42).key("l").beginList().string("").integer(0).end();
  w.key("s").string(std::string_view("a\0b", 3)).end();
  EXPECT_EQ(w.str(), std::string("d1:ii-42e1:ll0:i0ee1:s3:a\0be", 28));
}

TEST(BencodeWriterTest, RoundTripsExtremes) {
  for (int64_t v : {INT64_MIN, int64_t{-1}, int64_t{0}, INT64_MAX}) {
    BencodeWriter w;
    w.integer(v);
    auto doc = decodeBencode(w.str());
    ASSERT_TRUE(doc.has_value()) << w.str();
    EXPECT_EQ(doc->root().integer(), v);
  }
  std::string big(70000, '\r');
  BencodeWriter w;
  w.beginList().string(big).end();
  auto doc = decodeBencode(w.str());
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ((*doc->root().begin()).str(), big);
}

TEST(BencodeWriterTest, ReencodesDecodedDocuments) {
  for (std::string_view in : {"de", "le", "i0e", "0:", "d1:bli1e0:de1:xlee1:ai3ee"}) {
    auto doc = decodeBencode(in);
    ASSERT_TRUE(doc.has_value()) << in;
    EXPECT_EQ(BencodeWriter().value(doc->root()).str(), in);
  }
}

} // namespace
} // namespace gh::media::ng
