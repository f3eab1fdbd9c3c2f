#include "media/srtp/evp_crypto.h"

#include <algorithm>
#include <climits>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace gh::media {

void detail::CipherCtxFree::operator()(EVP_CIPHER_CTX* ctx) const {
  EVP_CIPHER_CTX_free(ctx);
}

void detail::MacCtxFree::operator()(EVP_MAC_CTX* ctx) const {
  EVP_MAC_CTX_free(ctx);
}

namespace {

struct CipherFree {
  void operator()(EVP_CIPHER* cipher) const { EVP_CIPHER_free(cipher); }
};

struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};

Unexpected<Error> cryptoFailure(const char* what) {
  return fail(Errc::BadRtp, 0, what);
}

// A context keeps its own reference to the fetched cipher, so the fetch handle is released as soon
// as the key is set; fetching happens once per context, never per packet.
Result<EvpCipherCtxPtr> keyedCipher(const char* name, std::span<const uint8_t> key, bool encrypt) {
  std::unique_ptr<EVP_CIPHER, CipherFree> cipher(EVP_CIPHER_fetch(nullptr, name, nullptr));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!cipher || !ctx) {
    return cryptoFailure("SRTP: OpenSSL cipher unavailable");
  }
  if (static_cast<std::size_t>(EVP_CIPHER_get_key_length(cipher.get())) != key.size()) {
    return cryptoFailure("SRTP: cipher key length mismatch");
  }
  if (EVP_CipherInit_ex2(ctx.get(), cipher.get(), key.data(), nullptr, encrypt ? 1 : 0, nullptr) !=
      1) {
    return cryptoFailure("SRTP: OpenSSL cipher init failed");
  }
  return ctx;
}

bool fitsInt(std::size_t n) {
  return n <= static_cast<std::size_t>(INT_MAX);
}

bool update(EVP_CIPHER_CTX* ctx, uint8_t* out, const uint8_t* in, std::size_t n) {
  if (n == 0) {
    return true;
  }
  int out_len = 0;
  return fitsInt(n) && EVP_CipherUpdate(ctx, out, &out_len, in, static_cast<int>(n)) == 1;
}

} // namespace

Result<AesCtr> AesCtr::create(std::span<const uint8_t> key) {
  const char* name = key.size() == 32 ? "AES-256-CTR" : "AES-128-CTR";
  auto ctx = keyedCipher(name, key, true);
  if (!ctx) {
    return fail(ctx.error());
  }
  AesCtr ctr;
  ctr.ctx_ = std::move(*ctx);
  return ctr;
}

bool AesCtr::apply(const AesBlock& iv, std::span<uint8_t> data) {
  if (EVP_CipherInit_ex(ctx_.get(), nullptr, nullptr, nullptr, iv.data(), -1) != 1) {
    return false;
  }
  return update(ctx_.get(), data.data(), data.data(), data.size());
}

Result<AesGcm> AesGcm::create(std::span<const uint8_t> key, bool encrypt) {
  const char* name = key.size() == 32 ? "AES-256-GCM" : "AES-128-GCM";
  auto ctx = keyedCipher(name, key, encrypt);
  if (!ctx) {
    return fail(ctx.error());
  }
  AesGcm gcm;
  gcm.ctx_ = std::move(*ctx);
  return gcm;
}

bool AesGcm::seal(const GcmIv& iv, std::span<const uint8_t> aad, std::span<const uint8_t> aad_tail,
                  std::span<uint8_t> data, std::span<uint8_t, kGcmTagLen> tag) {
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int out_len = 0;
  uint8_t final_block[16];
  return EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), -1) == 1 &&
         update(ctx, nullptr, aad.data(), aad.size()) &&
         update(ctx, nullptr, aad_tail.data(), aad_tail.size()) &&
         update(ctx, data.data(), data.data(), data.size()) &&
         EVP_CipherFinal_ex(ctx, final_block, &out_len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kGcmTagLen),
                             tag.data()) == 1;
}

bool AesGcm::open(const GcmIv& iv, std::span<const uint8_t> aad, std::span<const uint8_t> aad_tail,
                  std::span<uint8_t> data, std::span<const uint8_t, kGcmTagLen> tag) {
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int out_len = 0;
  uint8_t final_block[16];
  // EVP_CTRL_AEAD_SET_TAG copies the tag; its void* parameter is not written through.
  std::array<uint8_t, kGcmTagLen> expected;
  std::copy(tag.begin(), tag.end(), expected.begin());
  return EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), -1) == 1 &&
         update(ctx, nullptr, aad.data(), aad.size()) &&
         update(ctx, nullptr, aad_tail.data(), aad_tail.size()) &&
         update(ctx, data.data(), data.data(), data.size()) &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kGcmTagLen),
                             expected.data()) == 1 &&
         EVP_CipherFinal_ex(ctx, final_block, &out_len) == 1;
}

Result<HmacSha1> HmacSha1::create(std::span<const uint8_t> key) {
  std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) {
    return cryptoFailure("SRTP: OpenSSL HMAC unavailable");
  }
  EvpMacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) {
    return cryptoFailure("SRTP: OpenSSL HMAC unavailable");
  }
  char digest[] = "SHA1";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) {
    return cryptoFailure("SRTP: OpenSSL HMAC init failed");
  }
  HmacSha1 hmac;
  hmac.ctx_ = std::move(ctx);
  return hmac;
}

bool HmacSha1::compute(std::span<const uint8_t> data, std::span<const uint8_t> tail,
                       std::span<uint8_t, kHmacSha1Len> out) {
  EVP_MAC_CTX* ctx = ctx_.get();
  std::size_t out_len = 0;
  // A NULL key re-initialises with the key given at creation.
  return EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
         EVP_MAC_update(ctx, data.data(), data.size()) == 1 &&
         EVP_MAC_update(ctx, tail.data(), tail.size()) == 1 &&
         EVP_MAC_final(ctx, out.data(), &out_len, out.size()) == 1 && out_len == kHmacSha1Len;
}

bool equalTags(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void cleanse(std::span<uint8_t> bytes) {
  OPENSSL_cleanse(bytes.data(), bytes.size());
}

bool randomBytes(std::span<uint8_t> out) {
  return fitsInt(out.size()) && RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
}

} // namespace gh::media
