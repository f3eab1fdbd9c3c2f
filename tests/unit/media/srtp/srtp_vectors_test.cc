// Known-answer tests: RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation), and the
// RFC 7714 §16/§17 AES-GCM SRTP and SRTCP packets.

#include <vector>

#include <gtest/gtest.h>

#include "media/srtp/evp_crypto.h"
#include "media/srtp/srtp_context.h"
#include "media/srtp/srtp_key.h"
#include "unit/media/srtp/srtp_test_util.h"

namespace gh::media {
namespace {

using test::fromHex;

std::vector<uint8_t> bytes(std::span<const uint8_t> s) {
  return {s.begin(), s.end()};
}

TEST(SrtpVectorsTest, Rfc3711B3KeyDerivation) {
  const auto key = fromHex("E1F97A0D3E018BE0D64FA32C06DE4139");
  const auto salt = fromHex("0EC675AD498AFEEBB6960B3AABE6");
  auto kdf = SrtpKdf::create(key, salt);
  ASSERT_TRUE(kdf);
  std::vector<uint8_t> out(16);
  ASSERT_TRUE(kdf->derive(SrtpLabel::RtpEncryption, out));
  EXPECT_EQ(out, fromHex("C61E7A93744F39EE10734AFE3FF7A087"));
  out.resize(14);
  ASSERT_TRUE(kdf->derive(SrtpLabel::RtpSalt, out));
  EXPECT_EQ(out, fromHex("30CBBC08863D8C85D49DB34A9AE1"));
  // B.3 lists 94 bytes of the auth keystream; SRTP uses its first 160 bits.
  out.resize(94);
  ASSERT_TRUE(kdf->derive(SrtpLabel::RtpAuth, out));
  EXPECT_EQ(out, fromHex("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                         "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                         "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"));

  auto keys = deriveSrtpSessionKeys(*findSrtpSuite("AES_CM_128_HMAC_SHA1_80"), key, salt);
  ASSERT_TRUE(keys);
  EXPECT_EQ(bytes(keys->rtp_key.span().first(16)), fromHex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(bytes(keys->rtp_salt.span()), fromHex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(bytes(keys->rtp_auth.span()), fromHex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpVectorsTest, Rfc3711B2AesCmKeystream) {
  const auto session_key = fromHex("2B7E151628AED2A6ABF7158809CF4F3C");
  auto ctr = AesCtr::create(session_key);
  ASSERT_TRUE(ctr);
  // Session salt F0F1...FCFD, SSRC 0, ROC 0, SEQ 0: IV = salt * 2^16.
  AesBlock iv{};
  const auto salt = fromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
  std::copy(salt.begin(), salt.end(), iv.begin());
  std::vector<uint8_t> keystream(16 * 0xff02, 0);
  ASSERT_TRUE(ctr->apply(iv, keystream));
  auto block = [&](std::size_t i) {
    return std::vector<uint8_t>(keystream.begin() + static_cast<std::ptrdiff_t>(16 * i),
                                keystream.begin() + static_cast<std::ptrdiff_t>(16 * i + 16));
  };
  EXPECT_EQ(block(0x0000), fromHex("E03EAD0935C95E80E166B16DD92B4EB4"));
  EXPECT_EQ(block(0x0001), fromHex("D23513162B02D0F72A43A2FE4A5F97AB"));
  EXPECT_EQ(block(0x0002), fromHex("41E95B3BB0A2E8DD477901E4FCA894C0"));
  EXPECT_EQ(block(0xfeff), fromHex("EC8CDF7398607CB0F2D21675EA9EA1E4"));
  EXPECT_EQ(block(0xff00), fromHex("362B7C3C6773516318A077D7FC5073AE"));
  EXPECT_EQ(block(0xff01), fromHex("6A2CC3787889374FBEB4C81B17BA6C44"));
}

// RFC 7714 §16.1 / §17.1: session key and salt used directly (no KDF).
const char kGcmKey128[] = "000102030405060708090a0b0c0d0e0f";
const char kGcmKey256[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const char kGcmSalt[] = "517569642070726f2071756f";
const char kRtpPlain[] = "8040f17b8041f8d35501a0b2 47616c6c696120657374206f6d6e6973"
                         "20646976697361 20696e207061727465732074726573";
const char kRtcpPlain[] = "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
                          "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

struct GcmVector {
  const char* suite;
  const char* key;
  const char* srtp;
  const char* srtcp; // index 0x5d4
};

const GcmVector kGcmVectors[] = {
    {"AEAD_AES_128_GCM", kGcmKey128,
     "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b"
     "36de3adf8833899d7f27beb16a9152cf765ee4390cce",
     "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b46"
     "86303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4"},
    {"AEAD_AES_256_GCM", kGcmKey256,
     "8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f"
     "1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13",
     "81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658"
     "c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4"},
};

SrtpContext gcmContext(const GcmVector& v, SrtpDirection direction) {
  const auto key = fromHex(v.key);
  const auto salt = fromHex(kGcmSalt);
  auto ctx = SrtpContext::createFromSessionKeysForTest(*findSrtpSuite(v.suite), direction, key,
                                                       salt, {}, key, salt, {});
  EXPECT_TRUE(ctx);
  return std::move(*ctx);
}

TEST(SrtpVectorsTest, Rfc7714GcmRtp) {
  for (const GcmVector& v : kGcmVectors) {
    SCOPED_TRACE(v.suite);
    const auto plain = fromHex(kRtpPlain);
    const auto expected = fromHex(v.srtp);

    auto tx = gcmContext(v, SrtpDirection::Outbound);
    std::vector<uint8_t> buf(plain);
    buf.resize(plain.size() + 16);
    auto n = tx.protectRtp(buf, plain.size());
    ASSERT_TRUE(n);
    buf.resize(*n);
    EXPECT_EQ(buf, expected);

    auto rx = gcmContext(v, SrtpDirection::Inbound);
    auto m = rx.unprotectRtp(buf, buf.size());
    ASSERT_TRUE(m);
    buf.resize(*m);
    EXPECT_EQ(buf, plain);
  }
}

TEST(SrtpVectorsTest, Rfc7714GcmRtcp) {
  for (const GcmVector& v : kGcmVectors) {
    SCOPED_TRACE(v.suite);
    const auto plain = fromHex(kRtcpPlain);
    const auto expected = fromHex(v.srtcp);

    auto tx = gcmContext(v, SrtpDirection::Outbound);
    ASSERT_TRUE(tx.setNextSrtcpIndexForTest(0x4d617273, 0x5d4));
    std::vector<uint8_t> buf(plain);
    buf.resize(plain.size() + 20);
    auto n = tx.protectRtcp(buf, plain.size());
    ASSERT_TRUE(n);
    buf.resize(*n);
    EXPECT_EQ(buf, expected);

    auto rx = gcmContext(v, SrtpDirection::Inbound);
    auto m = rx.unprotectRtcp(buf, buf.size());
    ASSERT_TRUE(m);
    buf.resize(*m);
    EXPECT_EQ(buf, plain);
  }
}

} // namespace
} // namespace gh::media
