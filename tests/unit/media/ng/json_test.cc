#include "media/ng/json.h"

#include <gtest/gtest.h>

#include "media/ng/ng_writer.h"

namespace gh::media::ng {
namespace {

TEST(JsonTest, DecodesAnNgRequest) {
  auto doc = decodeJson(
      R"( {"command":"offer", "flags":["trust-address"], "limit": -5, "ok": true, "n": null,
           "sdp":"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n", "u":"\u00e9\ud83d\ude00"} )");
  ASSERT_TRUE(doc.has_value()) << doc.error().what << " at " << doc.error().offset;
  BValue r = doc->root();
  EXPECT_EQ(r.find("command")->str(), "offer");
  EXPECT_EQ(r.find("flags")->size(), 1u);
  EXPECT_EQ(r.find("limit")->integer(), -5);
  EXPECT_EQ(r.find("ok")->integer(), 1);
  EXPECT_EQ(r.find("n")->str(), "");
  EXPECT_EQ(r.find("sdp")->str(), "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n");
  EXPECT_EQ(r.find("u")->str(), "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(JsonTest, Rejects) {
  for (std::string_view bad :
       {"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{1:2}", "{\"a\":1.5}", "01",
        "\"\\ud800\"", "\"a\nb\"", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "tru", "[,]"}) {
    EXPECT_FALSE(decodeJson(bad).has_value()) << bad;
  }
  EXPECT_TRUE(decodeJson("[]").has_value());
  EXPECT_TRUE(decodeJson("{}").has_value());
}

TEST(NgWriterTest, JsonEscapesAndSeparates) {
  NgWriter w(Encoding::Json);
  w.beginDict().entry("sdp", "v=0\r\n\"x\"").key("l").beginList().integer(1).string("a");
  w.beginDict().end().end().entry("n", int64_t{-3}).end();
  EXPECT_EQ(w.take(), R"({"sdp":"v=0\r\n\"x\"","l":[1,"a",{}],"n":-3})");
}

} // namespace
} // namespace gh::media::ng
