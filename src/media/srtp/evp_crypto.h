#pragma once
// Thin RAII wrappers over the OpenSSL 3 EVP primitives the SRTP transform is composed of. No
// cryptography is implemented here: AES-CTR, AES-GCM and HMAC-SHA1 are OpenSSL's. Each wrapper
// owns one context keyed once at creation; per packet only the IV is reset (EVP_CipherInit_ex with
// a NULL cipher and key) or the MAC re-initialised with its stored key, so the packet path makes
// no call that fetches an algorithm or expands a key.
//
// Every per-packet method returns false only when OpenSSL itself fails (or, for AesGcm::open,
// when the tag does not verify); callers turn that into an error value.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include <openssl/types.h>

#include "common/error.h"

namespace gh::media {

namespace detail {
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const;
};

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const;
};
} // namespace detail

using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, detail::CipherCtxFree>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, detail::MacCtxFree>;

using AesBlock = std::array<uint8_t, 16>;
using GcmIv = std::array<uint8_t, 12>;
constexpr std::size_t kGcmTagLen = 16;
constexpr std::size_t kHmacSha1Len = 20;

// AES in counter mode. RFC 3711 AES-CM is exactly this for packets under 2^16 blocks: the IV's low
// 16 bits start at zero, so OpenSSL's 128-bit increment never carries past them.
class AesCtr {
public:
  AesCtr() = default;
  static Result<AesCtr> create(std::span<const uint8_t> key); // 16 or 32 bytes

  // XORs the keystream starting at counter block `iv` into `data`, in place.
  bool apply(const AesBlock& iv, std::span<uint8_t> data);

  explicit operator bool() const { return ctx_ != nullptr; }

private:
  EvpCipherCtxPtr ctx_;
};

// AES-GCM with a 12-byte IV and a 16-byte tag (RFC 7714). A context seals or opens, never both.
class AesGcm {
public:
  AesGcm() = default;
  static Result<AesGcm> create(std::span<const uint8_t> key, bool encrypt); // 16 or 32 bytes

  // Encrypts `data` in place; the associated data is `aad` followed by `aad_tail`.
  bool seal(const GcmIv& iv, std::span<const uint8_t> aad, std::span<const uint8_t> aad_tail,
            std::span<uint8_t> data, std::span<uint8_t, kGcmTagLen> tag);
  // Decrypts `data` in place and verifies `tag`. On false the data holds unauthenticated bytes,
  // which the caller must discard.
  bool open(const GcmIv& iv, std::span<const uint8_t> aad, std::span<const uint8_t> aad_tail,
            std::span<uint8_t> data, std::span<const uint8_t, kGcmTagLen> tag);

  explicit operator bool() const { return ctx_ != nullptr; }

private:
  EvpCipherCtxPtr ctx_;
};

// HMAC-SHA1 through EVP_MAC, keyed once. OpenSSL 3.0 re-initialises HMAC by copying the keyed
// digest state, which allocates inside libcrypto (two small blocks per MAC); no OpenSSL 3.0 API
// avoids that (EVP_MAC_CTX_dup and HMAC_CTX cost more). Measured: ~250 ns for 176 bytes.
class HmacSha1 {
public:
  HmacSha1() = default;
  static Result<HmacSha1> create(std::span<const uint8_t> key);

  // HMAC over `data` followed by `tail` (the RTP ROC, RFC 3711 §4.2).
  bool compute(std::span<const uint8_t> data, std::span<const uint8_t> tail,
               std::span<uint8_t, kHmacSha1Len> out);

  explicit operator bool() const { return ctx_ != nullptr; }

private:
  EvpMacCtxPtr ctx_;
};

// Constant-time comparison (CRYPTO_memcmp), for authentication tags.
bool equalTags(std::span<const uint8_t> a, std::span<const uint8_t> b);

// Overwrites `bytes` with zeros in a way the compiler keeps (OPENSSL_cleanse).
void cleanse(std::span<uint8_t> bytes);

// Fills `out` from OpenSSL's CSPRNG (RAND_bytes); false if the generator is not seeded.
bool randomBytes(std::span<uint8_t> out);

} // namespace gh::media
