#pragma once
// Typed views of common a= attributes. Each parser takes the attribute value (the text after
// "a=<name>:") and returns views into it, or Errc::BadSdp with an offset relative to that value.
// A garbled attribute never fails the whole SDP: it stays in the description verbatim and only
// its typed parse fails.
//
//   AttributeView a = splitAttribute("rtpmap:101 telephone-event/8000");
//   Result<RtpmapView> r = parseRtpmap(a.value);   // r->payload_type == 101, r->clock_rate == 8000

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.h"

namespace gh::sdp {

namespace attr {
inline constexpr std::string_view kRtpmap = "rtpmap";
inline constexpr std::string_view kFmtp = "fmtp";
inline constexpr std::string_view kPtime = "ptime";
inline constexpr std::string_view kRtcp = "rtcp";               // RFC 3605
inline constexpr std::string_view kRtcpMux = "rtcp-mux";        // RFC 5761
inline constexpr std::string_view kCrypto = "crypto";           // RFC 4568
inline constexpr std::string_view kFingerprint = "fingerprint"; // RFC 8122
inline constexpr std::string_view kSetup = "setup";             // RFC 4145
inline constexpr std::string_view kTlsId = "tls-id";            // RFC 8842
} // namespace attr

// a=<name> or a=<name>:<value>
struct AttributeView {
  std::string_view name;
  std::string_view value; // empty for a flag
  bool has_value = false; // tells "a=x" from "a=x:"
};

// Splits at the first ':'. Never fails: validating the name is left to whoever cares.
AttributeView splitAttribute(std::string_view line_value);

// Attribute names compare case-insensitively here: a peer that refuses ICE refuses "ICE-UFRAG"
// as well, so the strip helpers must not miss it.
bool attributeNameIs(std::string_view name, std::string_view expected);

// RFC 8866 section 6.7. Media-level overrides session-level; neither means SendRecv.
enum class Direction : uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };
std::optional<Direction> directionFromName(std::string_view name);
std::string_view directionName(Direction direction);

inline bool isDirectionAttribute(std::string_view name) {
  return directionFromName(name).has_value();
}

// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
struct RtpmapView {
  uint8_t payload_type = 0;  // 0..127
  std::string_view encoding; // "PCMU", "telephone-event"
  uint32_t clock_rate = 0;
  std::optional<uint32_t> channels; // audio encoding parameter
};

Result<RtpmapView> parseRtpmap(std::string_view value);

// a=fmtp:<format> <format specific parameters>
struct FmtpView {
  std::string_view format;
  std::string_view
      params; // as written, e.g. "0-15" or "profile-level-id=42e01f;packetization-mode=1"
  std::optional<uint8_t> payloadType() const;
  // The value of `name` in a ';'-separated key=value list; nullopt when absent.
  std::optional<std::string_view> param(std::string_view name) const;
};

Result<FmtpView> parseFmtp(std::string_view value);

// a=ptime:<milliseconds>. A fraction ("20.0") is accepted and dropped.
Result<uint32_t> parsePtime(std::string_view value);

// RFC 3605: a=rtcp:<port> [<nettype> <addrtype> <connection-address>]
struct RtcpView {
  uint16_t port = 0;
  std::string_view nettype; // empty when only the port is given
  std::string_view addrtype;
  std::string_view address;
};

Result<RtcpView> parseRtcp(std::string_view value);

// RFC 4145 section 4: a=setup:<role>
enum class Setup : uint8_t { Active, Passive, ActPass, HoldConn };
Result<Setup> parseSetup(std::string_view value);
std::string_view setupName(Setup setup);

// RFC 8122 section 5: a=fingerprint:<hash-func> <hex pairs separated by ':'>
struct FingerprintView {
  std::string_view hash_function; // "sha-256"
  std::string_view fingerprint;   // "4A:AD:..."
};

Result<FingerprintView> parseFingerprint(std::string_view value);

// DTLS-SRTP attributes (fingerprint, setup, tls-id) that a relay terminating SDES must drop.
bool isDtlsAttribute(std::string_view name);

} // namespace gh::sdp
