#include "sdp/crypto.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

#include "sdp/base64.h"
#include "sdp/session_description.h"
#include "sdp_test_util.h"

namespace gh::sdp {
namespace {

using testing::readCorpus;

std::string trimLineEnd(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
    line.pop_back();
  }
  return line;
}

TEST(SdpCryptoTest, Rfc4568Section4Attribute) {
  const std::string line = trimLineEnd(readCorpus("sdp/rfc4568/sec4-crypto-attribute.txt"));
  ASSERT_TRUE(line.starts_with("a=crypto:"));
  auto c = parseCrypto(std::string_view(line).substr(9));
  ASSERT_TRUE(c) << c.error().what;
  EXPECT_EQ(c->tag, 1u);
  EXPECT_EQ(c->suite, "AES_CM_128_HMAC_SHA1_80");
  ASSERT_EQ(c->keys.size(), 1u);
  const KeyParamView& k = c->keys[0];
  EXPECT_EQ(k.method, "inline");
  EXPECT_EQ(k.key_salt_base64, "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR");
  EXPECT_EQ(k.keySalt().size(), 30u);
  EXPECT_EQ(k.keySalt()[0], 0x3d); // 'P','S' -> 001111 010010 -> 0x3d
  EXPECT_EQ(k.lifetime, uint64_t{1} << 20);
  EXPECT_TRUE(k.lifetime_power_of_two);
  EXPECT_EQ(k.mki_value, 1u);
  EXPECT_EQ(k.mki_length, 32);
  EXPECT_TRUE(c->session_params.empty());
}

TEST(SdpCryptoTest, Rfc4568Section6KeyParams) {
  const std::string text = readCorpus("sdp/rfc4568/sec6.1-key-params.txt");
  const std::size_t split = text.find("\r\n");
  ASSERT_NE(split, std::string::npos);
  const std::string first = text.substr(0, split);
  const std::string second = trimLineEnd(text.substr(split + 2));
  auto k1 = parseKeyParam(first, kAesCm128HmacSha1_80);
  ASSERT_TRUE(k1) << k1.error().what;
  EXPECT_EQ(k1->keySalt().size(), 30u);
  EXPECT_EQ(k1->lifetime, 1048576u);
  EXPECT_EQ(k1->mki_value, 1u);
  EXPECT_EQ(k1->mki_length, 4);
  // "|1066:4" holds ':' so it is the MKI, and the lifetime stays the default.
  auto k2 = parseKeyParam(second, kAesCm128HmacSha1_80);
  ASSERT_TRUE(k2) << k2.error().what;
  EXPECT_EQ(k2->keySalt().size(), 30u);
  EXPECT_FALSE(k2->lifetime);
  EXPECT_EQ(k2->mki_value, 1066u);
  EXPECT_EQ(k2->mki_length, 4);
}

TEST(SdpCryptoTest, Rfc4568Section7OfferWithTwoKeysAndSessionParams) {
  auto sdp = parse(readCorpus("sdp/rfc4568/sec7.1.5-offer.sdp"));
  ASSERT_TRUE(sdp) << sdp.error().what;
  const auto& attrs = sdp->media()[0].attributes;
  ASSERT_EQ(attrs.size(), 2u);
  auto c1 = parseAttribute(attrs[0], parseCrypto);
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->tag, 1u);
  EXPECT_EQ(c1->session_params, "FEC_ORDER=FEC_SRTP");
  EXPECT_EQ(c1->keys[0].mki_length, 4);
  auto c2 = parseAttribute(attrs[1], parseCrypto);
  ASSERT_TRUE(c2) << c2.error().what;
  EXPECT_EQ(c2->tag, 2u);
  EXPECT_EQ(c2->suite, "F8_128_HMAC_SHA1_80");
  ASSERT_EQ(c2->keys.size(), 2u);
  EXPECT_EQ(c2->keys[0].mki_value, 1u);
  EXPECT_EQ(c2->keys[1].mki_value, 2u);
  EXPECT_EQ(c2->keys[1].keySalt().size(), 30u);
  EXPECT_EQ(c2->session_params, "FEC_ORDER=FEC_SRTP");
}

TEST(SdpCryptoTest, Rfc4568Section45MediaLevelCrypto) {
  auto sdp = parse(readCorpus("sdp/rfc4568/sec4.5-example.sdp"));
  ASSERT_TRUE(sdp) << sdp.error().what;
  ASSERT_EQ(sdp->media().size(), 3u);
  auto video = parseAttribute(sdp->media()[0].attributes[0], parseCrypto);
  ASSERT_TRUE(video);
  EXPECT_EQ(video->suite, "AES_CM_128_HMAC_SHA1_80");
  auto audio = parseAttribute(sdp->media()[1].attributes[0], parseCrypto);
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->suite, "AES_CM_128_HMAC_SHA1_32");
  EXPECT_EQ(audio->keys[0].keySalt().size(), 30u);
  EXPECT_FALSE(sdp->media()[2].hasAttribute("crypto"));
  EXPECT_EQ(sdp->connection()->ttl, 127);
}

TEST(SdpCryptoTest, RejectsBadValuesWithOffsets) {
  // 39 base64 characters cannot decode to a whole number of bytes.
  auto odd =
      parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code, Errc::BadSdp);
  // 28 bytes is a GCM key, not a 30-byte AES-CM one.
  auto short_key =
      parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3OA==");
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().offset, 33u);
  auto gcm = parseCrypto("1 AEAD_AES_128_GCM inline:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3OA==");
  ASSERT_TRUE(gcm);
  EXPECT_EQ(gcm->keys[0].keySalt().size(), 28u);
  auto bad_char =
      parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFC*nVmcjkpPywjNWhcYD0mXXtxaVBR");
  ASSERT_FALSE(bad_char);
  EXPECT_EQ(bad_char.error().offset, 33u + 12u);
  const std::string_view key = "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";
  const std::string suite = "1 AES_CM_128_HMAC_SHA1_80 ";
  EXPECT_FALSE(parseCrypto("x AES_CM_128_HMAC_SHA1_80 " + std::string(key)));
  EXPECT_FALSE(parseCrypto("1234567890 AES_CM_128_HMAC_SHA1_80 " + std::string(key)));
  EXPECT_FALSE(parseCrypto("1 AES-CM " + std::string(key)));
  EXPECT_FALSE(parseCrypto("1 AES_CM_128_HMAC_SHA1_80"));
  EXPECT_FALSE(parseCrypto(suite + "inline:"));
  EXPECT_FALSE(parseCrypto(suite + "inline"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|2^64"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|2^"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|0"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|1:0"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|1:129"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|1:4|2^20"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|2^20|2^20"));
  EXPECT_FALSE(parseCrypto(suite + std::string(key) + "|"));
  EXPECT_TRUE(parseCrypto(suite + std::string(key) + "|2^48|7:4 UNKNOWN_PARAM"));
  EXPECT_TRUE(parseCrypto(suite + std::string(key) + "|1000"));
}

TEST(SdpCryptoTest, UnknownSuitesAndMethodsAreNotErrors) {
  auto unknown = parseCrypto("5 FUTURE_SUITE_1 inline:Zm9vYmFy");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->keys[0].keySalt().size(), 6u);
  auto method = parseCrypto("5 AES_CM_128_HMAC_SHA1_80 mikey:opaque|stuff");
  ASSERT_TRUE(method);
  EXPECT_EQ(method->keys[0].method, "mikey");
  EXPECT_EQ(method->keys[0].info, "opaque|stuff");
  EXPECT_EQ(cryptoSuiteKeySaltSize("AES_256_CM_HMAC_SHA1_80"), 46u);
  EXPECT_FALSE(cryptoSuiteKeySaltSize("F9"));
}

TEST(SdpCryptoTest, BoundsKeyParams) {
  std::string value = "1 F8_128_HMAC_SHA1_80 ";
  for (int i = 0; i < 17; ++i) {
    value += (i ? ";" : "");
    value += "inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|" + std::to_string(i + 1) + ":4";
  }
  EXPECT_FALSE(parseCrypto(value));
}

TEST(SdpCryptoTest, FormatsAndParsesBack) {
  std::array<uint8_t, 30> key_salt{};
  for (std::size_t i = 0; i < key_salt.size(); ++i) {
    key_salt[i] = static_cast<uint8_t>(i);
  }
  const std::string plain = formatCrypto({.tag = 1, .key_salt = key_salt});
  EXPECT_EQ(plain, "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd");
  const std::string full = formatCrypto({.tag = 7,
                                         .suite = kAesCm128HmacSha1_32,
                                         .key_salt = key_salt,
                                         .lifetime = uint64_t{1} << 31,
                                         .mki_value = 3,
                                         .mki_length = 4,
                                         .session_params = "UNENCRYPTED_SRTCP"});
  EXPECT_EQ(full,
            "7 AES_CM_128_HMAC_SHA1_32 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^31|3:4 "
            "UNENCRYPTED_SRTCP");
  auto back = parseCrypto(full);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->tag, 7u);
  EXPECT_TRUE(std::equal(key_salt.begin(), key_salt.end(), back->keys[0].keySalt().begin()));
  EXPECT_EQ(back->keys[0].lifetime, uint64_t{1} << 31);
  EXPECT_EQ(back->keys[0].mki_value, 3u);
  EXPECT_EQ(back->session_params, "UNENCRYPTED_SRTCP");
  EXPECT_EQ(formatCrypto({.key_salt = key_salt, .lifetime = 1000}).substr(73), "|1000");
}

TEST(SdpCryptoTest, SeedKeysDecode) {
  for (const char* path : {"seed/seed-invite.sip", "seed/seed-200ok.sip"}) {
    auto sdp = parse(testing::sipBody(readCorpus(path)));
    ASSERT_TRUE(sdp) << path;
    const Attribute* crypto = sdp->media()[0].findAttribute("crypto");
    ASSERT_NE(crypto, nullptr);
    auto c = parseAttribute(*crypto, parseCrypto);
    ASSERT_TRUE(c) << path;
    EXPECT_EQ(c->suite, kAesCm128HmacSha1_80);
    EXPECT_EQ(c->keys[0].keySalt().size(), 30u);
    EXPECT_FALSE(c->keys[0].lifetime);
    EXPECT_FALSE(c->keys[0].mki_value);
  }
}

} // namespace
} // namespace gh::sdp
