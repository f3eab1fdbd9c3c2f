#include "media/srtp/srtp_context.h"

#include <algorithm>

#include "media/rtp/rtp_header.h"

namespace gh::media {
namespace {

// One address each, so srtpFailureOf() can classify an Error by its `what` pointer.
const char kLengthExceedsBuffer[] = "SRTP: packet length exceeds the buffer or 65535";
const char kShortRtcp[] = "SRTCP: shorter than the 8-byte RTCP header";
const char kShortForTag[] = "SRTP: packet shorter than its header and tag";
const char kEFlagClear[] = "SRTCP: E flag clear (unencrypted SRTCP was not negotiated)";
const char kNoTailRoom[] = "SRTP: no room after the packet for the tag";
const char kWrongDirection[] = "SRTP: operation does not match the context direction";
const char kAuthFailed[] = "SRTP: authentication failed";
const char kReplayed[] = "SRTP: replayed packet index";
const char kTooOld[] = "SRTP: packet index below the replay window";
const char kSsrcLimit[] = "SRTP: too many SSRCs for this context";
const char kIndexExhausted[] = "SRTCP: index exhausted, the stream needs a new key";
const char kCrypto[] = "SRTP: OpenSSL operation failed";

constexpr uint32_t kSrtcpEFlag = 0x80000000u;
constexpr uint32_t kSrtcpMaxIndex = 0x7fffffffu;

Error error(const char* what, std::size_t offset = 0) {
  return Error{Errc::BadRtp, static_cast<uint32_t>(offset), what};
}

void store32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t load32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). SRTCP uses its 31-bit index
// as i (§4.1.1 via §3.4).
AesBlock aesCmIv(const uint8_t* salt, uint32_t ssrc, uint64_t index) {
  AesBlock iv{};
  store32(iv.data() + 4, ssrc);
  for (int i = 0; i < 6; ++i) {
    iv[static_cast<std::size_t>(13 - i)] = static_cast<uint8_t>(index >> (8 * i));
  }
  for (std::size_t i = 0; i < 14; ++i) {
    iv[i] ^= salt[i];
  }
  return iv;
}

// RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt.
GcmIv gcmRtpIv(const uint8_t* salt, uint32_t ssrc, uint32_t roc, uint16_t seq) {
  GcmIv iv{};
  store32(iv.data() + 2, ssrc);
  store32(iv.data() + 6, roc);
  iv[10] = static_cast<uint8_t>(seq >> 8);
  iv[11] = static_cast<uint8_t>(seq);
  for (std::size_t i = 0; i < iv.size(); ++i) {
    iv[i] ^= salt[i];
  }
  return iv;
}

// RFC 7714 §9.1: IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt.
GcmIv gcmRtcpIv(const uint8_t* salt, uint32_t ssrc, uint32_t index) {
  GcmIv iv{};
  store32(iv.data() + 2, ssrc);
  store32(iv.data() + 8, index);
  for (std::size_t i = 0; i < iv.size(); ++i) {
    iv[i] ^= salt[i];
  }
  return iv;
}

// SRTCP needs only the first 8 bytes in the clear: version and sender SSRC. The first packet's
// length field is not checked, as libsrtp does not: RFC 7714's own SRTCP example (§17.1) carries
// a length one word longer than the packet.
Result<uint32_t> srtcpSsrc(std::span<const uint8_t> packet) {
  if (packet.size() < kRtcpHeaderSize) {
    return fail(Errc::Truncated, static_cast<uint32_t>(packet.size()), kShortRtcp);
  }
  if ((packet[0] >> 6) != kRtpVersion) {
    return fail(Errc::BadRtp, 0, "RTCP: version is not 2");
  }
  return load32(packet.data() + 4);
}

} // namespace

SrtpFailure srtpFailureOf(const Error& e) {
  const char* w = e.what;
  if (w == kNoTailRoom) {
    return SrtpFailure::NoTailRoom;
  }
  if (w == kWrongDirection) {
    return SrtpFailure::WrongDirection;
  }
  if (w == kAuthFailed) {
    return SrtpFailure::AuthFailed;
  }
  if (w == kReplayed) {
    return SrtpFailure::Replayed;
  }
  if (w == kTooOld) {
    return SrtpFailure::TooOld;
  }
  if (w == kSsrcLimit) {
    return SrtpFailure::SsrcLimit;
  }
  if (w == kIndexExhausted) {
    return SrtpFailure::IndexExhausted;
  }
  if (w == kCrypto) {
    return SrtpFailure::Crypto;
  }
  return SrtpFailure::Malformed;
}

Result<SrtpContext> SrtpContext::create(const SrtpSuite& suite, std::span<const uint8_t> master_key,
                                        std::span<const uint8_t> master_salt,
                                        SrtpDirection direction, const SrtpOptions& options) {
  auto keys = deriveSrtpSessionKeys(suite, master_key, master_salt);
  if (!keys) {
    return fail(keys.error());
  }
  return build(suite, direction, options, *keys);
}

Result<SrtpContext> SrtpContext::create(const SrtpMasterKey& master, SrtpDirection direction,
                                        const SrtpOptions& options) {
  return create(master.suite(), master.key(), master.salt(), direction, options);
}

Result<SrtpContext> SrtpContext::createFromSessionKeysForTest(
    const SrtpSuite& suite, SrtpDirection direction, std::span<const uint8_t> rtp_key,
    std::span<const uint8_t> rtp_salt, std::span<const uint8_t> rtp_auth,
    std::span<const uint8_t> rtcp_key, std::span<const uint8_t> rtcp_salt,
    std::span<const uint8_t> rtcp_auth) {
  const std::size_t auth_len = suite.auth_key_len;
  if (rtp_key.size() != suite.master_key_len || rtcp_key.size() != suite.master_key_len ||
      rtp_salt.size() != suite.session_salt_len || rtcp_salt.size() != suite.session_salt_len ||
      rtp_auth.size() != auth_len || rtcp_auth.size() != auth_len) {
    return fail(Errc::BadRtp, 0, "SRTP: session key lengths do not match the suite");
  }
  SrtpSessionKeys keys;
  std::copy(rtp_key.begin(), rtp_key.end(), keys.rtp_key.data());
  std::copy(rtp_salt.begin(), rtp_salt.end(), keys.rtp_salt.data());
  std::copy(rtp_auth.begin(), rtp_auth.end(), keys.rtp_auth.data());
  std::copy(rtcp_key.begin(), rtcp_key.end(), keys.rtcp_key.data());
  std::copy(rtcp_salt.begin(), rtcp_salt.end(), keys.rtcp_salt.data());
  std::copy(rtcp_auth.begin(), rtcp_auth.end(), keys.rtcp_auth.data());
  return build(suite, direction, {}, keys);
}

Result<SrtpContext> SrtpContext::build(const SrtpSuite& suite, SrtpDirection direction,
                                       const SrtpOptions& options, const SrtpSessionKeys& keys) {
  if (options.replay_window < ReplayWindow::kMinSize ||
      options.replay_window > ReplayWindow::kMaxSize) {
    return fail(Errc::BadRtp, options.replay_window, "SRTP: replay window must be 64..128");
  }
  if (options.max_ssrcs < 1 || options.max_ssrcs > kSrtpMaxSsrcs) {
    return fail(Errc::BadRtp, options.max_ssrcs, "SRTP: max_ssrcs must be 1..16");
  }
  SrtpContext ctx(suite, direction, options);
  const std::size_t key_len = suite.master_key_len;
  if (suite.aead()) {
    const bool encrypt = direction == SrtpDirection::Outbound;
    auto rtp = AesGcm::create(keys.rtp_key.span().first(key_len), encrypt);
    auto rtcp = AesGcm::create(keys.rtcp_key.span().first(key_len), encrypt);
    if (!rtp || !rtcp) {
      return fail(Errc::BadRtp, 0, kCrypto);
    }
    ctx.rtp_gcm_ = std::move(*rtp);
    ctx.rtcp_gcm_ = std::move(*rtcp);
  } else {
    auto rtp = AesCtr::create(keys.rtp_key.span().first(key_len));
    auto rtcp = AesCtr::create(keys.rtcp_key.span().first(key_len));
    auto rtp_mac = HmacSha1::create(keys.rtp_auth.span().first(suite.auth_key_len));
    auto rtcp_mac = HmacSha1::create(keys.rtcp_auth.span().first(suite.auth_key_len));
    if (!rtp || !rtcp || !rtp_mac || !rtcp_mac) {
      return fail(Errc::BadRtp, 0, kCrypto);
    }
    ctx.rtp_ctr_ = std::move(*rtp);
    ctx.rtcp_ctr_ = std::move(*rtcp);
    ctx.rtp_mac_ = std::move(*rtp_mac);
    ctx.rtcp_mac_ = std::move(*rtcp_mac);
  }
  ctx.rtp_salt_ = keys.rtp_salt;
  ctx.rtcp_salt_ = keys.rtcp_salt;
  return ctx;
}

Unexpected<Error> SrtpContext::failed(SrtpFailure kind, const Error& e) {
  switch (kind) {
  case SrtpFailure::Malformed:
  case SrtpFailure::NoTailRoom: ++counters_.malformed; break;
  case SrtpFailure::AuthFailed: ++counters_.auth_failures; break;
  case SrtpFailure::Replayed:
  case SrtpFailure::TooOld: ++counters_.replayed; break;
  case SrtpFailure::SsrcLimit: ++counters_.ssrc_limit; break;
  default: ++counters_.other_failures; break;
  }
  return fail(e);
}

SrtpContext::SsrcState* SrtpContext::find(uint32_t ssrc) {
  SsrcState& last = ssrcs_[last_slot_];
  if (last.in_use && last.ssrc == ssrc) {
    return &last;
  }
  for (uint32_t i = 0; i < options_.max_ssrcs; ++i) {
    if (ssrcs_[i].in_use && ssrcs_[i].ssrc == ssrc) {
      last_slot_ = i;
      return &ssrcs_[i];
    }
  }
  return nullptr;
}

bool SrtpContext::canLearnSsrc() const {
  return used_slots_ < options_.max_ssrcs || options_.evict_least_recent_ssrc;
}

SrtpContext::SsrcState* SrtpContext::claimSlot() {
  uint32_t victim = 0;
  for (uint32_t i = 0; i < options_.max_ssrcs; ++i) {
    if (!ssrcs_[i].in_use) {
      ++used_slots_;
      last_slot_ = i;
      return &ssrcs_[i];
    }
    if (ssrcs_[i].last_used < ssrcs_[victim].last_used) {
      victim = i;
    }
  }
  if (!options_.evict_least_recent_ssrc) {
    return nullptr;
  }
  last_slot_ = victim;
  return &ssrcs_[victim];
}

std::size_t SrtpContext::ssrcCount() const {
  return used_slots_;
}

std::optional<uint32_t> SrtpContext::rolloverCounter(uint32_t ssrc) const {
  for (uint32_t i = 0; i < options_.max_ssrcs; ++i) {
    if (ssrcs_[i].in_use && ssrcs_[i].ssrc == ssrc) {
      return static_cast<uint32_t>(ssrcs_[i].rtp_index >> 16);
    }
  }
  return std::nullopt;
}

bool SrtpContext::setNextSrtcpIndexForTest(uint32_t ssrc, uint32_t next_index) {
  SsrcState* state = find(ssrc);
  if (state == nullptr) {
    state = claimSlot();
    if (state == nullptr) {
      return false;
    }
    *state = SsrcState{};
    state->ssrc = ssrc;
    state->in_use = true;
  }
  state->rtcp_index = next_index - 1;
  return true;
}

Result<std::size_t> SrtpContext::protectRtp(std::span<uint8_t> buf, std::size_t len) {
  if (direction_ != SrtpDirection::Outbound) {
    return failed(SrtpFailure::WrongDirection, error(kWrongDirection));
  }
  if (len > buf.size() || len > kSrtpMaxPacket) {
    return failed(SrtpFailure::Malformed, error(kLengthExceedsBuffer, len));
  }
  auto header = parseRtpHeader(buf.first(len));
  if (!header) {
    return failed(SrtpFailure::Malformed, header.error());
  }
  const std::size_t tag_len = suite_->rtp_tag_len;
  if (buf.size() - len < tag_len) {
    return failed(SrtpFailure::NoTailRoom, error(kNoTailRoom, len));
  }
  SsrcState* state = find(header->ssrc);
  if (state == nullptr) {
    state = claimSlot();
    if (state == nullptr) {
      return failed(SrtpFailure::SsrcLimit, error(kSsrcLimit, 8));
    }
    *state = SsrcState{};
    state->ssrc = header->ssrc;
    state->in_use = true;
  }
  // As libsrtp does, the sender keeps a replay window too: protecting the same index twice would
  // reuse keystream.
  const RtpIndexEstimate est = estimateRtpIndex(state->rtp_index, header->sequence);
  switch (state->rtp_window.check(est.delta, options_.replay_window)) {
  case ReplayWindow::Verdict::Replayed: return failed(SrtpFailure::Replayed, error(kReplayed, 2));
  case ReplayWindow::Verdict::TooOld: return failed(SrtpFailure::TooOld, error(kTooOld, 2));
  case ReplayWindow::Verdict::Fresh: break;
  }
  state->rtp_window.commit(est.delta);
  if (est.delta > 0) {
    state->rtp_index = est.index;
  }
  state->last_used = ++clock_;

  const auto roc = static_cast<uint32_t>(est.index >> 16);
  const std::size_t header_size = header->header_size;
  std::span<uint8_t> payload = buf.subspan(header_size, len - header_size);
  bool ok = false;
  if (suite_->aead()) {
    const GcmIv iv = gcmRtpIv(rtp_salt_.data(), header->ssrc, roc, header->sequence);
    ok = rtp_gcm_.seal(iv, buf.first(header_size), {}, payload,
                       buf.subspan(len).first<kGcmTagLen>());
  } else {
    const AesBlock iv = aesCmIv(rtp_salt_.data(), header->ssrc, est.index);
    uint8_t roc_be[4];
    store32(roc_be, roc);
    std::array<uint8_t, kHmacSha1Len> mac;
    // RFC 3711 §4.2: the tag covers the authenticated portion (header + encrypted payload) || ROC.
    ok = rtp_ctr_.apply(iv, payload) && rtp_mac_.compute(buf.first(len), roc_be, mac);
    std::copy_n(mac.begin(), tag_len, buf.begin() + static_cast<std::ptrdiff_t>(len));
  }
  if (!ok) {
    return failed(SrtpFailure::Crypto, error(kCrypto));
  }
  ++counters_.protected_packets;
  return len + tag_len;
}

Result<std::size_t> SrtpContext::unprotectRtp(std::span<uint8_t> buf, std::size_t len) {
  if (direction_ != SrtpDirection::Inbound) {
    return failed(SrtpFailure::WrongDirection, error(kWrongDirection));
  }
  if (len > buf.size() || len > kSrtpMaxPacket) {
    return failed(SrtpFailure::Malformed, error(kLengthExceedsBuffer, len));
  }
  auto header = parseRtpHeader(buf.first(len));
  if (!header) {
    return failed(SrtpFailure::Malformed, header.error());
  }
  const std::size_t tag_len = suite_->rtp_tag_len;
  const std::size_t header_size = header->header_size;
  if (len - header_size < tag_len) {
    return failed(SrtpFailure::Malformed, error(kShortForTag, len));
  }
  // An unknown SSRC is tried against fresh state and learned only once the packet authenticates,
  // so forged packets cannot fill the table.
  SsrcState fresh;
  SsrcState* state = find(header->ssrc);
  if (state == nullptr) {
    if (!canLearnSsrc()) {
      return failed(SrtpFailure::SsrcLimit, error(kSsrcLimit, 8));
    }
    fresh.ssrc = header->ssrc;
    fresh.in_use = true;
    state = &fresh;
  }
  const RtpIndexEstimate est = estimateRtpIndex(state->rtp_index, header->sequence);
  switch (state->rtp_window.check(est.delta, options_.replay_window)) {
  case ReplayWindow::Verdict::Replayed: return failed(SrtpFailure::Replayed, error(kReplayed, 2));
  case ReplayWindow::Verdict::TooOld: return failed(SrtpFailure::TooOld, error(kTooOld, 2));
  case ReplayWindow::Verdict::Fresh: break;
  }

  const auto roc = static_cast<uint32_t>(est.index >> 16);
  const std::size_t body_end = len - tag_len;
  std::span<uint8_t> payload = buf.subspan(header_size, body_end - header_size);
  if (suite_->aead()) {
    const GcmIv iv = gcmRtpIv(rtp_salt_.data(), header->ssrc, roc, header->sequence);
    if (!rtp_gcm_.open(iv, buf.first(header_size), {}, payload,
                       buf.subspan(body_end).first<kGcmTagLen>())) {
      cleanse(payload); // never leave unauthenticated plaintext behind
      return failed(SrtpFailure::AuthFailed, error(kAuthFailed, body_end));
    }
  } else {
    uint8_t roc_be[4];
    store32(roc_be, roc);
    std::array<uint8_t, kHmacSha1Len> mac;
    if (!rtp_mac_.compute(buf.first(body_end), roc_be, mac)) {
      return failed(SrtpFailure::Crypto, error(kCrypto));
    }
    if (!equalTags(std::span<const uint8_t>(mac).first(tag_len), buf.subspan(body_end, tag_len))) {
      return failed(SrtpFailure::AuthFailed, error(kAuthFailed, body_end));
    }
    const AesBlock iv = aesCmIv(rtp_salt_.data(), header->ssrc, est.index);
    if (!rtp_ctr_.apply(iv, payload)) {
      return failed(SrtpFailure::Crypto, error(kCrypto));
    }
  }

  if (state == &fresh) {
    state = claimSlot();
    if (state == nullptr) {
      return failed(SrtpFailure::SsrcLimit, error(kSsrcLimit, 8));
    }
    *state = fresh;
  }
  state->rtp_window.commit(est.delta);
  if (est.delta > 0) {
    state->rtp_index = est.index;
  }
  state->last_used = ++clock_;
  ++counters_.unprotected_packets;
  return body_end;
}

Result<std::size_t> SrtpContext::protectRtcp(std::span<uint8_t> buf, std::size_t len) {
  if (direction_ != SrtpDirection::Outbound) {
    return failed(SrtpFailure::WrongDirection, error(kWrongDirection));
  }
  if (len > buf.size() || len > kSrtpMaxPacket) {
    return failed(SrtpFailure::Malformed, error(kLengthExceedsBuffer, len));
  }
  auto ssrc = srtcpSsrc(buf.first(len));
  if (!ssrc) {
    return failed(SrtpFailure::Malformed, ssrc.error());
  }
  const std::size_t tag_len = suite_->rtcp_tag_len;
  if (buf.size() - len < kSrtcpTrailerLen + tag_len) {
    return failed(SrtpFailure::NoTailRoom, error(kNoTailRoom, len));
  }
  SsrcState* state = find(*ssrc);
  if (state == nullptr) {
    state = claimSlot();
    if (state == nullptr) {
      return failed(SrtpFailure::SsrcLimit, error(kSsrcLimit, 4));
    }
    *state = SsrcState{};
    state->ssrc = *ssrc;
    state->in_use = true;
  }
  if (state->rtcp_index >= kSrtcpMaxIndex) {
    return failed(SrtpFailure::IndexExhausted, error(kIndexExhausted));
  }
  // libsrtp's first SRTCP index is 1; matching it keeps our output identical.
  const uint32_t index = ++state->rtcp_index;
  state->last_used = ++clock_;

  uint8_t trailer[kSrtcpTrailerLen];
  store32(trailer, kSrtcpEFlag | index);
  std::span<uint8_t> payload = buf.subspan(kRtcpHeaderSize, len - kRtcpHeaderSize);
  bool ok = false;
  if (suite_->aead()) {
    // RFC 7714 §9.2 / §17: header || ciphertext || tag || E+index; AAD = header || E+index.
    const GcmIv iv = gcmRtcpIv(rtcp_salt_.data(), *ssrc, index);
    ok = rtcp_gcm_.seal(iv, buf.first(kRtcpHeaderSize), trailer, payload,
                        buf.subspan(len).first<kGcmTagLen>());
    std::copy_n(trailer, kSrtcpTrailerLen,
                buf.begin() + static_cast<std::ptrdiff_t>(len + tag_len));
  } else {
    // RFC 3711 §3.4: header || ciphertext || E+index || tag; the tag covers all before it.
    const AesBlock iv = aesCmIv(rtcp_salt_.data(), *ssrc, index);
    ok = rtcp_ctr_.apply(iv, payload);
    std::copy_n(trailer, kSrtcpTrailerLen, buf.begin() + static_cast<std::ptrdiff_t>(len));
    std::array<uint8_t, kHmacSha1Len> mac;
    ok = ok && rtcp_mac_.compute(buf.first(len + kSrtcpTrailerLen), {}, mac);
    std::copy_n(mac.begin(), tag_len,
                buf.begin() + static_cast<std::ptrdiff_t>(len + kSrtcpTrailerLen));
  }
  if (!ok) {
    return failed(SrtpFailure::Crypto, error(kCrypto));
  }
  ++counters_.protected_packets;
  return len + kSrtcpTrailerLen + tag_len;
}

Result<std::size_t> SrtpContext::unprotectRtcp(std::span<uint8_t> buf, std::size_t len) {
  if (direction_ != SrtpDirection::Inbound) {
    return failed(SrtpFailure::WrongDirection, error(kWrongDirection));
  }
  if (len > buf.size() || len > kSrtpMaxPacket) {
    return failed(SrtpFailure::Malformed, error(kLengthExceedsBuffer, len));
  }
  const std::size_t tag_len = suite_->rtcp_tag_len;
  const std::size_t overhead = kSrtcpTrailerLen + tag_len;
  if (len < kRtcpHeaderSize + overhead) {
    return failed(SrtpFailure::Malformed, error(kShortForTag, len));
  }
  const std::size_t body_end = len - overhead;
  auto ssrc = srtcpSsrc(buf.first(body_end));
  if (!ssrc) {
    return failed(SrtpFailure::Malformed, ssrc.error());
  }
  const bool aead = suite_->aead();
  const std::size_t trailer_at = aead ? len - kSrtcpTrailerLen : body_end;
  const std::size_t tag_at = aead ? body_end : body_end + kSrtcpTrailerLen;
  const uint32_t trailer = load32(buf.data() + trailer_at);
  if ((trailer & kSrtcpEFlag) == 0) {
    return failed(SrtpFailure::Malformed, error(kEFlagClear, trailer_at));
  }
  const uint32_t index = trailer & kSrtcpMaxIndex;

  SsrcState fresh;
  SsrcState* state = find(*ssrc);
  if (state == nullptr) {
    if (!canLearnSsrc()) {
      return failed(SrtpFailure::SsrcLimit, error(kSsrcLimit, 4));
    }
    fresh.ssrc = *ssrc;
    fresh.in_use = true;
    state = &fresh;
  }
  const int64_t delta = int64_t{index} - int64_t{state->rtcp_index};
  switch (state->rtcp_window.check(delta, options_.replay_window)) {
  case ReplayWindow::Verdict::Replayed:
    return failed(SrtpFailure::Replayed, error(kReplayed, trailer_at));
  case ReplayWindow::Verdict::TooOld:
    return failed(SrtpFailure::TooOld, error(kTooOld, trailer_at));
  case ReplayWindow::Verdict::Fresh: break;
  }

  std::span<uint8_t> payload = buf.subspan(kRtcpHeaderSize, body_end - kRtcpHeaderSize);
  if (aead) {
    const GcmIv iv = gcmRtcpIv(rtcp_salt_.data(), *ssrc, index);
    if (!rtcp_gcm_.open(iv, buf.first(kRtcpHeaderSize), buf.subspan(trailer_at, kSrtcpTrailerLen),
                        payload, buf.subspan(tag_at).first<kGcmTagLen>())) {
      cleanse(payload);
      return failed(SrtpFailure::AuthFailed, error(kAuthFailed, tag_at));
    }
  } else {
    std::array<uint8_t, kHmacSha1Len> mac;
    if (!rtcp_mac_.compute(buf.first(tag_at), {}, mac)) {
      return failed(SrtpFailure::Crypto, error(kCrypto));
    }
    if (!equalTags(std::span<const uint8_t>(mac).first(tag_len), buf.subspan(tag_at, tag_len))) {
      return failed(SrtpFailure::AuthFailed, error(kAuthFailed, tag_at));
    }
    const AesBlock iv = aesCmIv(rtcp_salt_.data(), *ssrc, index);
    if (!rtcp_ctr_.apply(iv, payload)) {
      return failed(SrtpFailure::Crypto, error(kCrypto));
    }
  }

  if (state == &fresh) {
    state = claimSlot();
    if (state == nullptr) {
      return failed(SrtpFailure::SsrcLimit, error(kSsrcLimit, 4));
    }
    *state = fresh;
  }
  state->rtcp_window.commit(delta);
  if (delta > 0) {
    state->rtcp_index = index;
  }
  state->last_used = ++clock_;
  ++counters_.unprotected_packets;
  return body_end;
}

} // namespace gh::media
