#pragma once
// Key material: master key and salt per direction (RFC 3711 §8.1: never shared between
// directions), generated from OpenSSL's CSPRNG, and the RFC 3711 §4.3 key derivation. Every
// buffer that holds a secret is wiped with OPENSSL_cleanse when it dies.
//
//   auto ours = gh::media::SrtpMasterKey::generate(gh::media::defaultSrtpSuite());
//   sdes.inline_key = base64(ours->concatenated());   // RFC 4568 §6.1: key || salt

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/error.h"
#include "media/srtp/evp_crypto.h"
#include "media/srtp/srtp_suite.h"

namespace gh::media {

// A fixed-size secret that wipes itself on destruction (and on copy/move assignment targets).
template <std::size_t N>
class SecretBytes {
public:
  SecretBytes() = default;
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;

  ~SecretBytes() { cleanse(bytes_); }

  std::span<uint8_t, N> span() { return bytes_; }

  std::span<const uint8_t, N> span() const { return bytes_; }

  uint8_t* data() { return bytes_.data(); }

  const uint8_t* data() const { return bytes_.data(); }

  static constexpr std::size_t size() { return N; }

private:
  std::array<uint8_t, N> bytes_{};
};

class SrtpMasterKey {
public:
  static constexpr std::size_t kMaxLength = kSrtpMaxMasterKeyLen + kSrtpMaxMasterSaltLen;

  // Fresh key and salt from RAND_bytes.
  static Result<SrtpMasterKey> generate(const SrtpSuite& suite);
  static Result<SrtpMasterKey> fromParts(const SrtpSuite& suite, std::span<const uint8_t> key,
                                         std::span<const uint8_t> salt);
  // The RFC 4568 inline form: key || salt, exactly suite.masterLength() bytes.
  static Result<SrtpMasterKey> fromConcatenated(const SrtpSuite& suite,
                                                std::span<const uint8_t> key_and_salt);

  const SrtpSuite& suite() const { return *suite_; }

  std::span<const uint8_t> key() const { return bytes_.span().first(suite_->master_key_len); }

  std::span<const uint8_t> salt() const {
    return bytes_.span().subspan(suite_->master_key_len, suite_->master_salt_len);
  }

  std::span<const uint8_t> concatenated() const {
    return bytes_.span().first(suite_->masterLength());
  }

private:
  explicit SrtpMasterKey(const SrtpSuite& suite) : suite_(&suite) {}

  const SrtpSuite* suite_;
  SecretBytes<kMaxLength> bytes_;
};

// RFC 3711 §4.3.3 labels.
enum class SrtpLabel : uint8_t {
  RtpEncryption = 0x00,
  RtpAuth = 0x01,
  RtpSalt = 0x02,
  RtcpEncryption = 0x03,
  RtcpAuth = 0x04,
  RtcpSalt = 0x05,
};

// The AES-CM PRF of RFC 3711 §4.3 with key_derivation_rate 0 (the SDES default, so r = 0 and the
// index never enters): keystream under the master key at IV = (salt XOR label << 48) << 16. AES-GCM
// suites use the same PRF with their 96-bit salt zero-extended to 112 bits (RFC 7714 §11).
class SrtpKdf {
public:
  static Result<SrtpKdf> create(std::span<const uint8_t> master_key,
                                std::span<const uint8_t> master_salt);
  bool derive(SrtpLabel label, std::span<uint8_t> out);

private:
  AesCtr prf_;
  SecretBytes<16> salt_iv_;
};

// Everything one context needs, derived once.
struct SrtpSessionKeys {
  SecretBytes<kSrtpMaxMasterKeyLen> rtp_key;
  SecretBytes<kSrtpMaxMasterSaltLen> rtp_salt;
  SecretBytes<kHmacSha1Len> rtp_auth;
  SecretBytes<kSrtpMaxMasterKeyLen> rtcp_key;
  SecretBytes<kSrtpMaxMasterSaltLen> rtcp_salt;
  SecretBytes<kHmacSha1Len> rtcp_auth;
};

Result<SrtpSessionKeys> deriveSrtpSessionKeys(const SrtpSuite& suite,
                                              std::span<const uint8_t> master_key,
                                              std::span<const uint8_t> master_salt);

} // namespace gh::media
