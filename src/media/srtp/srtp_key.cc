#include "media/srtp/srtp_key.h"

#include <algorithm>

namespace gh::media {

Result<SrtpMasterKey> SrtpMasterKey::generate(const SrtpSuite& suite) {
  SrtpMasterKey master(suite);
  if (!randomBytes(master.bytes_.span().first(suite.masterLength()))) {
    return fail(Errc::BadRtp, 0, "SRTP: RAND_bytes failed");
  }
  return master;
}

Result<SrtpMasterKey> SrtpMasterKey::fromParts(const SrtpSuite& suite, std::span<const uint8_t> key,
                                               std::span<const uint8_t> salt) {
  if (key.size() != suite.master_key_len) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(key.size()),
                "SRTP: master key length does not match the suite");
  }
  if (salt.size() != suite.master_salt_len) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(salt.size()),
                "SRTP: master salt length does not match the suite");
  }
  SrtpMasterKey master(suite);
  std::copy(key.begin(), key.end(), master.bytes_.data());
  std::copy(salt.begin(), salt.end(), master.bytes_.data() + key.size());
  return master;
}

Result<SrtpMasterKey> SrtpMasterKey::fromConcatenated(const SrtpSuite& suite,
                                                      std::span<const uint8_t> key_and_salt) {
  if (key_and_salt.size() != suite.masterLength()) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(key_and_salt.size()),
                "SRTP: key||salt length does not match the suite");
  }
  return fromParts(suite, key_and_salt.first(suite.master_key_len),
                   key_and_salt.subspan(suite.master_key_len));
}

Result<SrtpKdf> SrtpKdf::create(std::span<const uint8_t> master_key,
                                std::span<const uint8_t> master_salt) {
  if ((master_key.size() != 16 && master_key.size() != 32) ||
      master_salt.size() > kSrtpMaxMasterSaltLen) {
    return fail(Errc::BadRtp, 0, "SRTP: bad master key or salt length for the KDF");
  }
  auto prf = AesCtr::create(master_key);
  if (!prf) {
    return fail(prf.error());
  }
  SrtpKdf kdf;
  kdf.prf_ = std::move(*prf);
  // x = master_salt (right-padded with zeros to 112 bits), IV = x * 2^16.
  std::copy(master_salt.begin(), master_salt.end(), kdf.salt_iv_.data());
  return kdf;
}

bool SrtpKdf::derive(SrtpLabel label, std::span<uint8_t> out) {
  // key_id = label || r with r = 0 (KDR 0): the label lands on byte 7 of the 14-byte x.
  AesBlock iv;
  std::copy(salt_iv_.data(), salt_iv_.data() + 16, iv.begin());
  iv[7] ^= static_cast<uint8_t>(label);
  std::fill(out.begin(), out.end(), uint8_t{0});
  const bool ok = prf_.apply(iv, out);
  cleanse(iv);
  return ok;
}

Result<SrtpSessionKeys> deriveSrtpSessionKeys(const SrtpSuite& suite,
                                              std::span<const uint8_t> master_key,
                                              std::span<const uint8_t> master_salt) {
  if (master_key.size() != suite.master_key_len) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(master_key.size()),
                "SRTP: master key length does not match the suite");
  }
  if (master_salt.size() != suite.master_salt_len) {
    return fail(Errc::BadRtp, static_cast<uint32_t>(master_salt.size()),
                "SRTP: master salt length does not match the suite");
  }
  auto kdf = SrtpKdf::create(master_key, master_salt);
  if (!kdf) {
    return fail(kdf.error());
  }
  SrtpSessionKeys keys;
  const std::size_t key_len = suite.master_key_len;
  const std::size_t salt_len = suite.session_salt_len;
  bool ok = kdf->derive(SrtpLabel::RtpEncryption, keys.rtp_key.span().first(key_len)) &&
            kdf->derive(SrtpLabel::RtpSalt, keys.rtp_salt.span().first(salt_len)) &&
            kdf->derive(SrtpLabel::RtcpEncryption, keys.rtcp_key.span().first(key_len)) &&
            kdf->derive(SrtpLabel::RtcpSalt, keys.rtcp_salt.span().first(salt_len));
  if (ok && !suite.aead()) {
    ok = kdf->derive(SrtpLabel::RtpAuth, keys.rtp_auth.span().first(suite.auth_key_len)) &&
         kdf->derive(SrtpLabel::RtcpAuth, keys.rtcp_auth.span().first(suite.auth_key_len));
  }
  if (!ok) {
    return fail(Errc::BadRtp, 0, "SRTP: key derivation failed");
  }
  return keys;
}

} // namespace gh::media
