// Arbitrary bytes through the RTP/RTCP header views and through SRTP/SRTCP unprotect and protect
// on fixed-key contexts (AES-CM and AES-GCM). Nothing may crash, read out of bounds or abort; the
// only invariant checked is that a successful transform stays inside the buffer.

#include "media/rtp/rtp_header.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/srtp/srtp_context.h"

namespace {

using gh::media::SrtpContext;
using gh::media::SrtpDirection;

// The seed corpus (fuzz/corpus/rtp_header) holds packets protected under these keys, so the
// fuzzer starts past authentication.
constexpr std::array<uint8_t, 32> kKey = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
constexpr std::array<uint8_t, 14> kSalt = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
                                           0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad};

struct Contexts {
  std::vector<SrtpContext> inbound;
  std::vector<SrtpContext> outbound;
};

Contexts& contexts() {
  static Contexts all = [] {
    Contexts c;
    gh::media::SrtpOptions options;
    options.evict_least_recent_ssrc = true; // keep exercising crypto on new SSRCs
    for (const char* name : {"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"}) {
      const gh::media::SrtpSuite& suite = *gh::media::findSrtpSuite(name);
      const auto key = std::span(kKey).first(suite.master_key_len);
      const auto salt = std::span(kSalt).first(suite.master_salt_len);
      auto in = SrtpContext::create(suite, key, salt, SrtpDirection::Inbound, options);
      auto out = SrtpContext::create(suite, key, salt, SrtpDirection::Outbound, options);
      if (!in || !out) {
        std::abort();
      }
      c.inbound.push_back(std::move(*in));
      c.outbound.push_back(std::move(*out));
    }
    return c;
  }();
  return all;
}

template <class Fn>
void run(std::span<const uint8_t> input, Fn fn) {
  static std::array<uint8_t, gh::media::kSrtpMaxPacket + 64> buf;
  const std::size_t len = std::min(input.size(), gh::media::kSrtpMaxPacket);
  std::copy_n(input.begin(), len, buf.begin());
  // Alternate between ample tail room and none at all.
  const std::size_t room = (len % 2 == 0) ? 64 : 0;
  auto n = fn(std::span<uint8_t>(buf.data(), len + room), len);
  if (n && *n > len + room) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  if (auto rtp = gh::media::parseRtpHeader(input)) {
    if (rtp->header_size > size) {
      std::abort();
    }
    (void)gh::media::rtpPaddingSize(input, *rtp);
  }
  if (auto rtcp = gh::media::parseRtcpHeader(input)) {
    if (rtcp->packetSize() > size) {
      std::abort();
    }
  }
  (void)gh::media::looksLikeRtcp(input);

  Contexts& c = contexts();
  for (SrtpContext& rx : c.inbound) {
    run(input, [&](std::span<uint8_t> b, std::size_t n) { return rx.unprotectRtp(b, n); });
    run(input, [&](std::span<uint8_t> b, std::size_t n) { return rx.unprotectRtcp(b, n); });
  }
  for (SrtpContext& tx : c.outbound) {
    run(input, [&](std::span<uint8_t> b, std::size_t n) { return tx.protectRtp(b, n); });
    run(input, [&](std::span<uint8_t> b, std::size_t n) { return tx.protectRtcp(b, n); });
  }
  return 0;
}
