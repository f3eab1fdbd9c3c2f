#pragma once
// Glue between the SDES vocabulary of sdp_rewrite and the SRTP module: fresh keys from OpenSSL's
// CSPRNG, the suites our SRTP contexts implement, and a=crypto keys turned into master keys for
// the relay.

#include <optional>
#include <span>
#include <string_view>

#include "media/sdp_rewrite/crypto_choice.h"
#include "media/srtp/srtp_key.h"

namespace gh::media {

// Keys from RAND_bytes (SrtpMasterKey::generate).
KeySource randomKeySource();

// Every suite media/srtp implements, by SDES name; MKI is not supported.
CryptoSupport srtpSupport();

// The master key for an SDES key||salt of `suite`; nullopt for an unknown suite or a bad length.
std::optional<SrtpMasterKey> masterKeyOf(std::string_view suite, std::span<const uint8_t> key_salt);

} // namespace gh::media
