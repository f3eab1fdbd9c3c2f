#include "media/sdp_rewrite/crypto_choice.h"

#include <algorithm>

#include "sdp/crypto.h"

namespace gh::media {

namespace {

// RFC 4568 §6.3: FEC_ORDER=FEC_SRTP is the default order and a window size hint changes nothing
// on the wire; every other parameter (UNENCRYPTED_*, UNAUTHENTICATED_SRTP, KDR, FEC_KEY) alters the
// transform our SRTP contexts implement.
bool sessionParamsSupported(std::string_view params) {
  while (!params.empty()) {
    const std::size_t space = params.find(' ');
    std::string_view one = params.substr(0, space);
    params = space == std::string_view::npos ? std::string_view() : params.substr(space + 1);
    if (one.empty() || one == "FEC_ORDER=FEC_SRTP" || one.starts_with("WSH=")) {
      continue;
    }
    return false;
  }
  return true;
}

Result<SdesKey> freshKey(uint32_t tag, std::string_view suite, const KeySource& keys) {
  const std::optional<std::size_t> size = sdp::cryptoSuiteKeySaltSize(suite);
  if (!size) {
    return fail(Errc::BadSdp, 0, "SRTP suite of unknown key length");
  }
  SdesKey key{.tag = tag, .suite = std::string(suite), .key_salt = std::vector<uint8_t>(*size)};
  if (!keys || !keys(suite, key.key_salt)) {
    return fail(Errc::BadSdp, 0, "no SRTP key material");
  }
  return key;
}

} // namespace

bool cryptoAcceptable(const CryptoOffer& offer, const CryptoSupport& support) {
  if (std::find(support.suites.begin(), support.suites.end(), offer.suite) ==
      support.suites.end()) {
    return false;
  }
  const std::optional<std::size_t> size = sdp::cryptoSuiteKeySaltSize(offer.suite);
  if (!size || offer.key_salt.size() != *size) {
    return false;
  }
  if ((offer.has_mki || offer.key_count != 1) && !support.allow_mki) {
    return false;
  }
  return sessionParamsSupported(offer.session_params);
}

Result<std::vector<SdesKey>> makeCryptoOffer(std::span<const std::string> suites,
                                             const KeySource& keys) {
  std::vector<SdesKey> out;
  if (suites.empty()) {
    Result<SdesKey> key = freshKey(1, kDefaultSrtpSuite, keys);
    if (!key) {
      return fail(key.error());
    }
    out.push_back(std::move(*key));
    return out;
  }
  uint32_t tag = 1;
  for (const std::string& suite : suites) {
    Result<SdesKey> key = freshKey(tag++, suite, keys);
    if (!key) {
      return fail(key.error());
    }
    out.push_back(std::move(*key));
  }
  return out;
}

std::optional<std::size_t> chooseCrypto(std::span<const CryptoOffer> offered,
                                        const CryptoSupport& support) {
  for (std::size_t i = 0; i < offered.size(); ++i) {
    if (cryptoAcceptable(offered[i], support)) {
      return i;
    }
  }
  return std::nullopt;
}

Result<SdesKey> answerCrypto(const CryptoOffer& chosen, const KeySource& keys) {
  return freshKey(chosen.tag, chosen.suite, keys);
}

} // namespace gh::media
