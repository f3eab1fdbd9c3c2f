#include "unit/media/srtp/srtp_test_util.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace gh::media::test {

std::vector<uint8_t> fromHex(std::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : hex) {
    int v = -1;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    }
    if (v < 0) {
      continue;
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

std::vector<const SrtpSuite*> allSuites() {
  std::vector<const SrtpSuite*> out;
  for (const SrtpSuite& suite : srtpSuites()) {
    out.push_back(&suite);
  }
  return out;
}

std::string suiteTestName(const ::testing::TestParamInfo<const SrtpSuite*>& param_info) {
  return std::string(param_info.param->name);
}

void initLibsrtp() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (srtp_init() != srtp_err_status_ok) {
      std::abort();
    }
  });
}

void setLibsrtpPolicy(const SrtpSuite& suite, srtp_policy_t& policy) {
  switch (suite.cipher) {
  case SrtpCipher::AesCm128:
    if (suite.rtp_tag_len == 4) {
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    } else {
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    }
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    break;
  case SrtpCipher::AesCm256:
    if (suite.rtp_tag_len == 4) {
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&policy.rtp);
    } else {
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtp);
    }
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtcp);
    break;
  case SrtpCipher::AesGcm128:
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    break;
  case SrtpCipher::AesGcm256:
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
    break;
  }
}

LibSrtp::LibSrtp(const SrtpSuite& suite, std::span<const uint8_t> key_and_salt, bool outbound,
                 unsigned long window) {
  initLibsrtp();
  srtp_policy_t policy{};
  setLibsrtpPolicy(suite, policy);
  policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
  std::vector<uint8_t> key(key_and_salt.begin(), key_and_salt.end());
  key.resize(64, 0); // libsrtp reads its full key length; GCM suites carry a 12-byte salt
  policy.key = key.data();
  policy.window_size = window;
  policy.allow_repeat_tx = 0;
  if (srtp_create(&session_, &policy) != srtp_err_status_ok) {
    session_ = nullptr;
  }
}

LibSrtp::~LibSrtp() {
  if (session_ != nullptr) {
    srtp_dealloc(session_);
  }
}

namespace {

template <class Fn>
srtp_err_status_t transform(std::vector<uint8_t>& packet, Fn fn) {
  int len = static_cast<int>(packet.size());
  packet.resize(packet.size() + SRTP_MAX_TRAILER_LEN + 4);
  const srtp_err_status_t status = fn(packet.data(), &len);
  packet.resize(status == srtp_err_status_ok ? static_cast<std::size_t>(len)
                                             : packet.size() - SRTP_MAX_TRAILER_LEN - 4);
  return status;
}

} // namespace

srtp_err_status_t LibSrtp::protectRtp(std::vector<uint8_t>& packet) {
  return transform(packet, [&](uint8_t* p, int* len) { return srtp_protect(session_, p, len); });
}

srtp_err_status_t LibSrtp::unprotectRtp(std::vector<uint8_t>& packet) {
  return transform(packet, [&](uint8_t* p, int* len) { return srtp_unprotect(session_, p, len); });
}

srtp_err_status_t LibSrtp::protectRtcp(std::vector<uint8_t>& packet) {
  return transform(packet,
                   [&](uint8_t* p, int* len) { return srtp_protect_rtcp(session_, p, len); });
}

srtp_err_status_t LibSrtp::unprotectRtcp(std::vector<uint8_t>& packet) {
  return transform(packet,
                   [&](uint8_t* p, int* len) { return srtp_unprotect_rtcp(session_, p, len); });
}

uint32_t LibSrtp::roc(uint32_t ssrc) const {
  uint32_t roc = 0;
  if (srtp_get_stream_roc(session_, ssrc, &roc) != srtp_err_status_ok) {
    return 0xffffffffu;
  }
  return roc;
}

std::vector<uint8_t> makeRtp(const RtpShape& s, std::mt19937& rng) {
  std::vector<uint8_t> p;
  p.push_back(
      static_cast<uint8_t>(0x80 | (s.padding > 0 ? 0x20 : 0) | (s.extension ? 0x10 : 0) | s.csrcs));
  p.push_back(static_cast<uint8_t>((s.marker ? 0x80 : 0) | s.payload_type));
  p.push_back(static_cast<uint8_t>(s.seq >> 8));
  p.push_back(static_cast<uint8_t>(s.seq));
  for (int shift = 24; shift >= 0; shift -= 8) {
    p.push_back(static_cast<uint8_t>(s.timestamp >> shift));
  }
  for (int shift = 24; shift >= 0; shift -= 8) {
    p.push_back(static_cast<uint8_t>(s.ssrc >> shift));
  }
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t i = 0; i < 4 * s.csrcs; ++i) {
    p.push_back(static_cast<uint8_t>(byte(rng)));
  }
  if (s.extension) {
    p.push_back(0xbe);
    p.push_back(0xde);
    p.push_back(static_cast<uint8_t>(s.extension_words >> 8));
    p.push_back(static_cast<uint8_t>(s.extension_words));
    for (std::size_t i = 0; i < 4 * s.extension_words; ++i) {
      p.push_back(static_cast<uint8_t>(byte(rng)));
    }
  }
  for (std::size_t i = 0; i < s.payload; ++i) {
    p.push_back(static_cast<uint8_t>(byte(rng)));
  }
  for (std::size_t i = 0; i < s.padding; ++i) {
    p.push_back(i + 1 == s.padding ? static_cast<uint8_t>(s.padding) : 0);
  }
  return p;
}

RtpShape randomRtpShape(std::mt19937& rng, uint16_t seq, uint32_t ssrc, std::size_t max_size) {
  auto pick = [&rng](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
  };
  RtpShape s;
  s.seq = seq;
  s.ssrc = ssrc;
  s.timestamp = static_cast<uint32_t>(rng());
  s.marker = pick(0, 9) == 0;
  s.payload_type = static_cast<uint8_t>(pick(0, 127));
  const std::size_t total = pick(12, max_size);
  std::size_t room = total - 12;
  if (pick(0, 3) == 0) {
    s.csrcs = std::min(pick(1, 15), room / 4);
    room -= 4 * s.csrcs;
  }
  if (room >= 4 && pick(0, 3) == 0) {
    s.extension = true;
    s.extension_words = std::min(pick(0, 8), (room - 4) / 4);
    room -= 4 + 4 * s.extension_words;
  }
  if (room >= 1 && pick(0, 4) == 0) {
    s.padding = std::min(pick(1, 255), room);
    room -= s.padding;
  }
  s.payload = room;
  return s;
}

std::vector<uint8_t> makeRandomRtcp(std::mt19937& rng, uint32_t ssrc, std::size_t max_size) {
  auto pick = [&rng](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
  };
  std::vector<uint8_t> p;
  const std::size_t first_words = pick(1, std::min<std::size_t>(max_size / 4 - 1, 60));
  auto header = [&p](uint8_t count, uint8_t type, std::size_t words) {
    p.push_back(static_cast<uint8_t>(0x80 | count));
    p.push_back(type);
    p.push_back(static_cast<uint8_t>(words >> 8));
    p.push_back(static_cast<uint8_t>(words));
  };
  header(static_cast<uint8_t>(pick(0, 31)), 200, first_words);
  for (int shift = 24; shift >= 0; shift -= 8) {
    p.push_back(static_cast<uint8_t>(ssrc >> shift));
  }
  for (std::size_t i = 8; i < (first_words + 1) * 4; ++i) {
    p.push_back(static_cast<uint8_t>(rng()));
  }
  const std::size_t left = max_size - p.size();
  if (left >= 8 && pick(0, 1) == 0) {
    const std::size_t words = pick(1, std::min<std::size_t>(left / 4 - 1, 60));
    header(1, 202, words);
    for (std::size_t i = 4; i < (words + 1) * 4; ++i) {
      p.push_back(static_cast<uint8_t>(rng()));
    }
  }
  return p;
}

} // namespace gh::media::test
