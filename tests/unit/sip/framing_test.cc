#include "sip/parser/framing.h"

#include <string>

#include <gtest/gtest.h>

#include "support/corpus.h"

namespace gh::sip {
namespace {

TEST(FramingTest, CutsMessagesByContentLengthAcrossPartialReads) {
  std::string one = test::readFile(test::sharedPath("corpus/seed/pbx-invite.RECONSTRUCTED.sip"));
  std::string stream = one + one;
  for (std::size_t n = 0; n < one.size(); ++n) {
    auto f = frameStream(std::string_view(stream).substr(0, n));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->kind, StreamFrame::Kind::NeedMore) << n;
  }
  auto f = frameStream(stream);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, StreamFrame::Kind::Message);
  EXPECT_EQ(f->length, one.size());
}

TEST(FramingTest, KeepAlivePing) {
  auto f = frameStream("\r\n\r\nINVITE");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, StreamFrame::Kind::KeepAlive);
  EXPECT_EQ(f->length, 4u);
}

TEST(FramingTest, UnrecoverableFraming) {
  EXPECT_FALSE(frameStream("OPTIONS sip:a@b SIP/2.0\r\nl: -1\r\n\r\n"));
  EXPECT_FALSE(frameStream("OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_FALSE(frameStream("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n"));
  ParseLimits small;
  small.max_message_bytes = 64;
  EXPECT_FALSE(frameStream(std::string(100, 'A'), small));
  EXPECT_FALSE(frameStream("OPTIONS sip:a@b SIP/2.0\r\nl: 1000\r\n\r\n", small));
}

} // namespace
} // namespace gh::sip
