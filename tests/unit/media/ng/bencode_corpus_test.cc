// Every bencode vector of the shared corpus gets the verdict its manifest states; every accepted
// one re-encodes to its exact octets (the writer keeps wire order, so unsorted keys survive too).
#include <deque>

#include <gtest/gtest.h>

#include "media/ng/bencode.h"
#include "media/ng/bencode_writer.h"
#include "support/corpus.h"

namespace gh::media::ng {
namespace {

std::string vector(const std::string& file) {
  return gh::test::readFile(gh::test::sharedPath("corpus/bencode/" + file));
}

// Decoded views point into the input, so the input must outlive the document.
std::string_view kept(const std::string& file) {
  static std::deque<std::string> inputs;
  return inputs.emplace_back(vector(file));
}

TEST(BencodeCorpusTest, EveryVectorGetsItsVerdict) {
  auto rows = gh::test::readTsv(gh::test::sharedPath("corpus/bencode/manifest.tsv"));
  ASSERT_GE(rows.size(), 40u);
  int valid = 0, invalid = 0, other = 0;
  for (const auto& row : rows) {
    const std::string& file = row[0];
    const std::string& category = row[1];
    SCOPED_TRACE(file + ": " + row[3]);
    const std::string bytes = vector(file);
    ASSERT_EQ(bytes.size(), std::stoul(row[2]));
    auto doc = decodeBencode(bytes);
    if (category == "valid") {
      ++valid;
      ASSERT_TRUE(doc.has_value()) << doc.error().what << " at " << doc.error().offset;
      EXPECT_EQ(doc->consumed(), bytes.size());
      EXPECT_EQ(BencodeWriter().value(doc->root()).str(), bytes);
    } else if (category == "invalid") {
      ++invalid;
      ASSERT_FALSE(doc.has_value());
      EXPECT_LE(doc.error().offset, bytes.size());
    } else if (file == "ambiguous/a01-duplicate-key.bencode") {
      ++other;
      EXPECT_FALSE(doc.has_value()) << "duplicate keys are rejected (see README)";
    } else if (file == "ambiguous/a02-non-utf8-in-key.bencode") {
      ++other;
      ASSERT_TRUE(doc.has_value()) << "keys are byte strings; NG ignores the unknown key";
      EXPECT_TRUE(doc->root().isDict());
    } else if (category == "stress") {
      ++other;
      ASSERT_FALSE(doc.has_value()) << "100k nesting is beyond the depth limit";
      EXPECT_EQ(doc.error().code, Errc::TooLarge);
    } else {
      ADD_FAILURE() << "unknown category " << category;
    }
  }
  EXPECT_EQ(valid, 16);
  EXPECT_EQ(invalid, 22);
  EXPECT_EQ(other, 3);
}

TEST(BencodeCorpusTest, ValidVectorsDecodeToTheirValues) {
  auto ping = decodeBencode(kept("valid/v02-ping.bencode"));
  ASSERT_TRUE(ping.has_value());
  EXPECT_EQ(ping->root().find("command")->str(), "ping");

  auto max = decodeBencode(kept("valid/v06-int64-max.bencode"));
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->root().integer(), INT64_MAX);
  auto min = decodeBencode(kept("valid/v07-int64-min.bencode"));
  ASSERT_TRUE(min.has_value());
  EXPECT_EQ(min->root().integer(), INT64_MIN);

  auto binary = decodeBencode(kept("valid/v09-binary-string.bencode"));
  ASSERT_TRUE(binary.has_value());
  EXPECT_EQ(binary->root().str(), std::string_view("\x00\xff\r\na\x00", 6));

  auto nested = decodeBencode(kept("valid/v11-nested.bencode"));
  ASSERT_TRUE(nested.has_value());
  auto list = nested->root().find("list");
  ASSERT_TRUE(list && list->isList());
  EXPECT_EQ(list->size(), 3u);
  EXPECT_EQ(nested->root().find("dict")->find("a")->integer(), 1);

  auto unsorted = decodeBencode(kept("valid/v13-unsorted-keys.bencode"));
  ASSERT_TRUE(unsorted.has_value());
  EXPECT_EQ(unsorted->root().find("command")->str(), "offer");
  EXPECT_EQ(unsorted->root().find("from-tag")->str(), "xyz");

  auto deep = decodeBencode(kept("valid/v16-deep-nesting-64.bencode"));
  ASSERT_TRUE(deep.has_value());
}

} // namespace
} // namespace gh::media::ng
