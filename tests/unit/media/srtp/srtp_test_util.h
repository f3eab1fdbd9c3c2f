#pragma once
// Test helpers: libsrtp2 as the oracle (RAII around srtp_t), random RTP/RTCP packet makers and
// hex parsing. libsrtp2 appears only in tests and benchmarks, never in src/.

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <srtp2/srtp.h>

#include "media/srtp/srtp_suite.h"

namespace gh::media::test {

std::vector<uint8_t> fromHex(std::string_view hex); // whitespace ignored

// Every suite, for INSTANTIATE_TEST_SUITE_P, and the test name for one.
std::vector<const SrtpSuite*> allSuites();
std::string suiteTestName(const ::testing::TestParamInfo<const SrtpSuite*>& param_info);

// srtp_init() once per process.
void initLibsrtp();

// One libsrtp2 session keyed like an SrtpContext: ssrc_any_outbound or ssrc_any_inbound, a
// single master key, no MKI, replay window `window`.
class LibSrtp {
public:
  LibSrtp(const SrtpSuite& suite, std::span<const uint8_t> key_and_salt, bool outbound,
          unsigned long window = 128);
  ~LibSrtp();
  LibSrtp(const LibSrtp&) = delete;
  LibSrtp& operator=(const LibSrtp&) = delete;

  bool ok() const { return session_ != nullptr; }

  // In place on a vector that is resized to the new length; returns libsrtp's status.
  srtp_err_status_t protectRtp(std::vector<uint8_t>& packet);
  srtp_err_status_t unprotectRtp(std::vector<uint8_t>& packet);
  srtp_err_status_t protectRtcp(std::vector<uint8_t>& packet);
  srtp_err_status_t unprotectRtcp(std::vector<uint8_t>& packet);
  uint32_t roc(uint32_t ssrc) const;

private:
  srtp_t session_ = nullptr;
};

// Sets libsrtp crypto policies matching the suite (the _32 suites keep an 80-bit SRTCP tag).
void setLibsrtpPolicy(const SrtpSuite& suite, srtp_policy_t& policy);

struct RtpShape {
  uint16_t seq = 0;
  uint32_t ssrc = 0;
  uint32_t timestamp = 0;
  std::size_t csrcs = 0;
  bool extension = false;
  std::size_t extension_words = 0;
  std::size_t payload = 160;
  std::size_t padding = 0; // 0: P bit clear
  bool marker = false;
  uint8_t payload_type = 0;
};

std::vector<uint8_t> makeRtp(const RtpShape& shape, std::mt19937& rng);
// A random shape of total size 12..max_size with random CSRCs, extension and padding.
RtpShape randomRtpShape(std::mt19937& rng, uint16_t seq, uint32_t ssrc, std::size_t max_size);

// A compound RTCP packet (SR + optional RR/SDES-like second packet), 8..max_size bytes.
std::vector<uint8_t> makeRandomRtcp(std::mt19937& rng, uint32_t ssrc, std::size_t max_size);

} // namespace gh::media::test
