#pragma once
// SRTP and SRTCP (RFC 3711; RFC 7714 for AES-GCM) for one direction of one media stream, composed
// from OpenSSL EVP (see evp_crypto.h). Packets are transformed in place in the caller's buffer.
//
//   auto tx = SrtpContext::create(suite, key, salt, SrtpDirection::Outbound);
//   // buffer holds an RTP packet of `len` bytes and has at least rtpOverhead() bytes after it
//   auto n = tx->protectRtp(buffer, len);
//   if (!n) { ++drops; return; }     // n.error().what says why; srtpFailureOf() classifies it
//   send(buffer.first(*n));
//
// Failures: every method returns an Error (code Errc::BadRtp or Errc::Truncated) and counts it in
// counters(). A packet that fails authentication is never returned; its buffer must be dropped.
// After an error the buffer content is unspecified (a failed AES-GCM open wipes the payload).
//
// State: up to options.max_ssrcs SSRCs per context, each with its own ROC, highest index and RTP
// and SRTCP replay windows. Inbound, an SSRC is only learned from a packet that authenticated.
// Nothing on the packet path allocates or locks (OpenSSL 3.0's HMAC re-init allocates inside
// libcrypto, see evp_crypto.h).
//
// Threads: a context belongs to one media worker thread; it has no locks and must not be shared.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/error.h"
#include "media/srtp/evp_crypto.h"
#include "media/srtp/srtp_key.h"
#include "media/srtp/srtp_replay.h"
#include "media/srtp/srtp_suite.h"

namespace gh::media {

// Outbound contexts protect (we are the sender); inbound contexts unprotect. The two never share
// a key (RFC 3711 §8.1), so one context serving both ways would only mix up two streams' state.
enum class SrtpDirection : uint8_t { Outbound, Inbound };

constexpr std::size_t kSrtpMaxSsrcs = 16;
// Largest packet accepted: a UDP payload.
constexpr std::size_t kSrtpMaxPacket = 65535;

struct SrtpOptions {
  uint32_t replay_window = ReplayWindow::kMaxSize; // 64..128 packets, RTP and SRTCP alike
  uint32_t max_ssrcs = 4;                          // 1..kSrtpMaxSsrcs
  // When every slot is taken: reject packets of a new SSRC (default), or forget the least
  // recently used one. Eviction resets that SSRC's replay state, so it stays off by default.
  bool evict_least_recent_ssrc = false;
};

enum class SrtpFailure : uint8_t {
  None,
  Malformed,      // not RTP/RTCP, too short, or too long
  NoTailRoom,     // buffer lacks room for the tag (and SRTCP trailer)
  WrongDirection, // protect on an inbound context or unprotect on an outbound one
  AuthFailed,     // tag mismatch: forged, corrupted or wrong key
  Replayed,       // index already seen (inbound) or already sent (outbound)
  TooOld,         // index below the replay window
  SsrcLimit,      // a new SSRC with every slot taken
  IndexExhausted, // SRTCP index reached 2^31-1: the stream needs a new key
  Crypto,         // OpenSSL failed
};

SrtpFailure srtpFailureOf(const Error& error);

struct SrtpCounters {
  uint64_t protected_packets = 0;
  uint64_t unprotected_packets = 0;
  uint64_t malformed = 0;
  uint64_t auth_failures = 0;
  uint64_t replayed = 0; // Replayed and TooOld
  uint64_t ssrc_limit = 0;
  uint64_t other_failures = 0;
};

class SrtpContext {
public:
  static Result<SrtpContext> create(const SrtpSuite& suite, std::span<const uint8_t> master_key,
                                    std::span<const uint8_t> master_salt, SrtpDirection direction,
                                    const SrtpOptions& options = {});
  static Result<SrtpContext> create(const SrtpMasterKey& master, SrtpDirection direction,
                                    const SrtpOptions& options = {});
  // RFC test vectors give session keys, not master keys. Keys are taken as derived: `salt` has
  // suite.session_salt_len bytes, `auth` suite.auth_key_len (empty for AEAD).
  static Result<SrtpContext>
  createFromSessionKeysForTest(const SrtpSuite& suite, SrtpDirection direction,
                               std::span<const uint8_t> rtp_key, std::span<const uint8_t> rtp_salt,
                               std::span<const uint8_t> rtp_auth, std::span<const uint8_t> rtcp_key,
                               std::span<const uint8_t> rtcp_salt,
                               std::span<const uint8_t> rtcp_auth);

  SrtpContext(SrtpContext&&) noexcept = default;
  SrtpContext& operator=(SrtpContext&&) noexcept = default;
  SrtpContext(const SrtpContext&) = delete;
  SrtpContext& operator=(const SrtpContext&) = delete;
  ~SrtpContext() = default;

  // `buf` is the whole buffer, the packet its first `len` bytes. Return the new length.
  Result<std::size_t> protectRtp(std::span<uint8_t> buf, std::size_t len);
  Result<std::size_t> unprotectRtp(std::span<uint8_t> buf, std::size_t len);
  Result<std::size_t> protectRtcp(std::span<uint8_t> buf, std::size_t len);
  Result<std::size_t> unprotectRtcp(std::span<uint8_t> buf, std::size_t len);

  // Bytes protect adds: the RTP tag; the SRTCP trailer plus tag.
  std::size_t rtpOverhead() const { return suite_->rtp_tag_len; }

  std::size_t rtcpOverhead() const { return kSrtcpTrailerLen + suite_->rtcp_tag_len; }

  const SrtpSuite& suite() const { return *suite_; }

  SrtpDirection direction() const { return direction_; }

  const SrtpCounters& counters() const { return counters_; }

  std::size_t ssrcCount() const;

  // Rollover counter of an SSRC's highest RTP index, if that SSRC is known.
  std::optional<uint32_t> rolloverCounter(uint32_t ssrc) const;
  // Makes the next SRTCP packet of `ssrc` (outbound) carry index `next_index`.
  bool setNextSrtcpIndexForTest(uint32_t ssrc, uint32_t next_index);

private:
  struct SsrcState {
    uint32_t ssrc = 0;
    bool in_use = false;
    uint64_t last_used = 0;
    uint64_t rtp_index = 0; // highest RTP index accepted or sent
    ReplayWindow rtp_window;
    uint32_t rtcp_index = 0; // outbound: last SRTCP index sent; inbound: highest accepted
    ReplayWindow rtcp_window;
  };

  SrtpContext(const SrtpSuite& suite, SrtpDirection direction, const SrtpOptions& options)
      : suite_(&suite), direction_(direction), options_(options) {}

  static Result<SrtpContext> build(const SrtpSuite& suite, SrtpDirection direction,
                                   const SrtpOptions& options, const SrtpSessionKeys& keys);

  SsrcState* find(uint32_t ssrc);
  bool canLearnSsrc() const;
  // A slot for a new SSRC: a free one, the least recently used (if allowed), or nullptr.
  SsrcState* claimSlot();
  Unexpected<Error> failed(SrtpFailure kind, const Error& error);

  const SrtpSuite* suite_;
  SrtpDirection direction_;
  SrtpOptions options_;
  // AES-CM suites use the CTR ciphers and HMACs, AEAD suites the GCM ciphers.
  AesCtr rtp_ctr_;
  AesCtr rtcp_ctr_;
  HmacSha1 rtp_mac_;
  HmacSha1 rtcp_mac_;
  AesGcm rtp_gcm_;
  AesGcm rtcp_gcm_;
  SecretBytes<kSrtpMaxMasterSaltLen> rtp_salt_;
  SecretBytes<kSrtpMaxMasterSaltLen> rtcp_salt_;
  std::array<SsrcState, kSrtpMaxSsrcs> ssrcs_{};
  uint32_t last_slot_ = 0; // most packets belong to the SSRC of the one before
  uint32_t used_slots_ = 0;
  uint64_t clock_ = 0; // packet counter ordering slots for eviction
  SrtpCounters counters_;
};

} // namespace gh::media
