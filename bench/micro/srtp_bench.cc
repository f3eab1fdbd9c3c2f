// SRTP protect/unprotect of a 172-byte RTP packet (PCMU, 20 ms: 12-byte header + 160 bytes) per
// suite: our OpenSSL EVP transform next to libsrtp2 (Debian's, built on NSS). items_per_second is
// packets per second on one core.
//
//   srtp_bench --benchmark_filter=AES_CM_128_HMAC_SHA1_80

#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <srtp2/srtp.h>

#include "media/srtp/srtp_context.h"

namespace {

using gh::media::SrtpContext;
using gh::media::SrtpDirection;
using gh::media::SrtpSuite;

constexpr std::size_t kRtpSize = 172;
constexpr std::size_t kBufferSize = 256;
constexpr uint32_t kSsrc = 0x5eed1234;
// Unprotect replays a pre-protected run of this many packets, then starts a fresh receiver.
constexpr std::size_t kRun = 1 << 14;

std::vector<uint8_t> masterKey(const SrtpSuite& suite) {
  std::vector<uint8_t> key(suite.masterLength());
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<uint8_t>(i * 37 + 11);
  }
  return key;
}

void writeRtp(uint8_t* p, uint32_t n) {
  std::memset(p, 0xd5, kRtpSize); // PCMU silence
  p[0] = 0x80;
  p[1] = 0x00;
  p[2] = static_cast<uint8_t>(n >> 8);
  p[3] = static_cast<uint8_t>(n);
  const uint32_t ts = n * 160;
  p[4] = static_cast<uint8_t>(ts >> 24);
  p[5] = static_cast<uint8_t>(ts >> 16);
  p[6] = static_cast<uint8_t>(ts >> 8);
  p[7] = static_cast<uint8_t>(ts);
  p[8] = static_cast<uint8_t>(kSsrc >> 24);
  p[9] = static_cast<uint8_t>(kSsrc >> 16);
  p[10] = static_cast<uint8_t>(kSsrc >> 8);
  p[11] = static_cast<uint8_t>(kSsrc);
}

SrtpContext ours(const SrtpSuite& suite, SrtpDirection direction) {
  const auto key = masterKey(suite);
  auto ctx = SrtpContext::create(suite, std::span(key).first(suite.master_key_len),
                                 std::span(key).subspan(suite.master_key_len), direction);
  if (!ctx) {
    std::abort();
  }
  return std::move(*ctx);
}

struct LibsrtpSession {
  srtp_t session = nullptr;

  LibsrtpSession(const SrtpSuite& suite, bool outbound) {
    static const bool initialised = srtp_init() == srtp_err_status_ok;
    if (!initialised) {
      std::abort();
    }
    srtp_policy_t policy{};
    const bool short_tag = suite.rtp_tag_len == 4;
    switch (suite.cipher) {
    case gh::media::SrtpCipher::AesCm128:
      short_tag ? srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
                : srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case gh::media::SrtpCipher::AesCm256:
      short_tag ? srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&policy.rtp)
                : srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtcp);
      break;
    case gh::media::SrtpCipher::AesGcm128:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      break;
    case gh::media::SrtpCipher::AesGcm256:
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
      break;
    }
    auto key = masterKey(suite);
    key.resize(64, 0);
    policy.key = key.data();
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    policy.window_size = 128;
    if (srtp_create(&session, &policy) != srtp_err_status_ok) {
      std::abort();
    }
  }

  ~LibsrtpSession() { srtp_dealloc(session); }

  LibsrtpSession(const LibsrtpSession&) = delete;
  LibsrtpSession& operator=(const LibsrtpSession&) = delete;
};

// kRun protected packets (ours and libsrtp's are identical; the tests prove it), back to back.
const std::vector<uint8_t>& protectedRun(const SrtpSuite& suite, std::size_t& stride) {
  static std::map<const SrtpSuite*, std::vector<uint8_t>> cache;
  stride = kRtpSize + suite.rtp_tag_len;
  auto& run = cache[&suite];
  if (run.empty()) {
    auto tx = ours(suite, SrtpDirection::Outbound);
    run.resize(kRun * stride);
    std::array<uint8_t, kBufferSize> buf{};
    for (uint32_t i = 0; i < kRun; ++i) {
      writeRtp(buf.data(), i);
      auto n = tx.protectRtp(buf, kRtpSize);
      if (!n || *n != stride) {
        std::abort();
      }
      std::memcpy(run.data() + i * stride, buf.data(), stride);
    }
  }
  return run;
}

void oursProtect(benchmark::State& state, const SrtpSuite* suite) {
  auto tx = ours(*suite, SrtpDirection::Outbound);
  std::array<uint8_t, kBufferSize> buf{};
  uint32_t n = 0;
  for (auto _ : state) {
    writeRtp(buf.data(), n++);
    auto out = tx.protectRtp(buf, kRtpSize);
    if (!out) {
      state.SkipWithError(out.error().what);
      break;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void libsrtpProtect(benchmark::State& state, const SrtpSuite* suite) {
  LibsrtpSession tx(*suite, true);
  std::array<uint8_t, kBufferSize> buf{};
  uint32_t n = 0;
  for (auto _ : state) {
    writeRtp(buf.data(), n++);
    int len = static_cast<int>(kRtpSize);
    if (srtp_protect(tx.session, buf.data(), &len) != srtp_err_status_ok) {
      state.SkipWithError("srtp_protect failed");
      break;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void oursUnprotect(benchmark::State& state, const SrtpSuite* suite) {
  std::size_t stride = 0;
  const auto& run = protectedRun(*suite, stride);
  auto rx = std::make_unique<SrtpContext>(ours(*suite, SrtpDirection::Inbound));
  std::array<uint8_t, kBufferSize> buf{};
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == kRun) {
      state.PauseTiming();
      rx = std::make_unique<SrtpContext>(ours(*suite, SrtpDirection::Inbound));
      i = 0;
      state.ResumeTiming();
    }
    std::memcpy(buf.data(), run.data() + i++ * stride, stride);
    auto out = rx->unprotectRtp(buf, stride);
    if (!out) {
      state.SkipWithError(out.error().what);
      break;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void libsrtpUnprotect(benchmark::State& state, const SrtpSuite* suite) {
  std::size_t stride = 0;
  const auto& run = protectedRun(*suite, stride);
  auto rx = std::make_unique<LibsrtpSession>(*suite, false);
  std::array<uint8_t, kBufferSize> buf{};
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == kRun) {
      state.PauseTiming();
      rx.reset();
      rx = std::make_unique<LibsrtpSession>(*suite, false);
      i = 0;
      state.ResumeTiming();
    }
    std::memcpy(buf.data(), run.data() + i++ * stride, stride);
    int len = static_cast<int>(stride);
    if (srtp_unprotect(rx->session, buf.data(), &len) != srtp_err_status_ok) {
      state.SkipWithError("srtp_unprotect failed");
      break;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// One relay hop's crypto: unprotect from one peer, protect toward the other.
void oursRoundTrip(benchmark::State& state, const SrtpSuite* suite) {
  auto tx = ours(*suite, SrtpDirection::Outbound);
  auto rx = ours(*suite, SrtpDirection::Inbound);
  std::array<uint8_t, kBufferSize> buf{};
  uint32_t n = 0;
  for (auto _ : state) {
    writeRtp(buf.data(), n++);
    auto p = tx.protectRtp(buf, kRtpSize);
    auto u = p ? rx.unprotectRtp(buf, *p) : p;
    if (!u) {
      state.SkipWithError(u.error().what);
      break;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void libsrtpRoundTrip(benchmark::State& state, const SrtpSuite* suite) {
  LibsrtpSession tx(*suite, true);
  LibsrtpSession rx(*suite, false);
  std::array<uint8_t, kBufferSize> buf{};
  uint32_t n = 0;
  for (auto _ : state) {
    writeRtp(buf.data(), n++);
    int len = static_cast<int>(kRtpSize);
    if (srtp_protect(tx.session, buf.data(), &len) != srtp_err_status_ok ||
        srtp_unprotect(rx.session, buf.data(), &len) != srtp_err_status_ok) {
      state.SkipWithError("libsrtp round trip failed");
      break;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

bool registerAll() {
  for (const SrtpSuite& suite : gh::media::srtpSuites()) {
    const std::string name(suite.name);
    benchmark::RegisterBenchmark(("Protect/ours/" + name).c_str(), oursProtect, &suite);
    benchmark::RegisterBenchmark(("Protect/libsrtp/" + name).c_str(), libsrtpProtect, &suite);
    benchmark::RegisterBenchmark(("Unprotect/ours/" + name).c_str(), oursUnprotect, &suite);
    benchmark::RegisterBenchmark(("Unprotect/libsrtp/" + name).c_str(), libsrtpUnprotect, &suite);
    benchmark::RegisterBenchmark(("RoundTrip/ours/" + name).c_str(), oursRoundTrip, &suite);
    benchmark::RegisterBenchmark(("RoundTrip/libsrtp/" + name).c_str(), libsrtpRoundTrip, &suite);
  }
  return true;
}

[[maybe_unused]] const bool kRegistered = registerAll();

} // namespace
