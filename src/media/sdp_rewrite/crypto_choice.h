#pragma once
// SDES (RFC 4568) decisions for a relay that terminates SRTP: which a=crypto lines we offer toward
// an SRTP side, and which offered line we accept when we answer one. Keys always come from the
// injected KeySource, so production uses a CSPRNG and tests pin the bytes.
//
//   CryptoSupport support{.suites = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"}};
//   auto ours = makeCryptoOffer(policy.srtp_suites, keys);      // tags 1..n, one key each
//   auto pick = chooseCrypto(offer.crypto, support);            // RFC 4568 §7.1.2
//   if (pick) auto line = answerCrypto(offer.crypto[*pick], keys);   // same tag, our key

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "media/sdp_rewrite/sdp_info.h"

namespace gh::media {

inline constexpr std::string_view kDefaultSrtpSuite = "AES_CM_128_HMAC_SHA1_80";

// Fills `out` (the suite's key||salt length) with fresh key material; false when it cannot.
using KeySource = std::function<bool(std::string_view suite, std::span<uint8_t> out)>;

// One a=crypto line of ours. `key_salt` is the key we encrypt toward the receiver of the SDP with.
struct SdesKey {
  uint32_t tag = 1;
  std::string suite;
  std::vector<uint8_t> key_salt;
};

// What our SRTP implementation can decrypt. The suite names are the SDES names; the relay's SRTP
// module is the authority (media/service fills this from media::srtpSuites()).
struct CryptoSupport {
  std::vector<std::string> suites;
  bool allow_mki = false; // our SRTP contexts carry no MKI field
};

// True when we can use the offered line to decrypt: a supported suite, one inline key of the
// suite's length, no MKI (unless allowed) and no session parameter that changes the transform
// (RFC 4568 §7.1.2: an answerer must skip a line whose parameters it does not support).
bool cryptoAcceptable(const CryptoOffer& offer, const CryptoSupport& support);

// Our offer: one line per suite in `suites` (kDefaultSrtpSuite when empty), tags 1..n. Fails on a
// suite of unknown key length or when the key source fails.
Result<std::vector<SdesKey>> makeCryptoOffer(std::span<const std::string> suites,
                                             const KeySource& keys);

// The first acceptable offered line, as RFC 4568 §7.1.2 asks; nullopt when none is.
std::optional<std::size_t> chooseCrypto(std::span<const CryptoOffer> offered,
                                        const CryptoSupport& support);

// Our answer to `chosen`: its tag and suite with a fresh key of ours.
Result<SdesKey> answerCrypto(const CryptoOffer& chosen, const KeySource& keys);

} // namespace gh::media
