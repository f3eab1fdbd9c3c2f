#pragma once
// RFC 8839 ICE attributes: candidate, remote-candidates, ice-ufrag, ice-pwd, ice-options, and the
// list of every ICE attribute name a relay strips when its peer refuses ICE.
//
//   Result<CandidateView> c =
//       parseCandidate("2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998");
//   // c->type == "srflx", *c->related_port == 8998

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gh::sdp {

namespace attr {
inline constexpr std::string_view kCandidate = "candidate";
inline constexpr std::string_view kRemoteCandidates = "remote-candidates";
inline constexpr std::string_view kIceUfrag = "ice-ufrag";
inline constexpr std::string_view kIcePwd = "ice-pwd";
inline constexpr std::string_view kIceOptions = "ice-options";
inline constexpr std::string_view kIceLite = "ice-lite";
inline constexpr std::string_view kIceMismatch = "ice-mismatch";
inline constexpr std::string_view kIcePacing = "ice-pacing";
inline constexpr std::string_view kEndOfCandidates = "end-of-candidates"; // RFC 8840
} // namespace attr

inline constexpr std::array<std::string_view, 9> kIceAttributeNames = {
    attr::kCandidate,   attr::kRemoteCandidates, attr::kIceUfrag,
    attr::kIcePwd,      attr::kIceOptions,       attr::kIceLite,
    attr::kIceMismatch, attr::kIcePacing,        attr::kEndOfCandidates};

// True for any name in kIceAttributeNames, compared case-insensitively.
bool isIceAttribute(std::string_view name);

// a=candidate:<foundation> <component-id> <transport> <priority> <connection-address> <port>
//   typ <cand-type> [raddr <connection-address>] [rport <port>] *(<ext-name> <ext-value>)
struct CandidateView {
  std::string_view foundation; // 1*32 ice-char
  uint16_t component = 0;      // 1..256
  std::string_view transport;  // "UDP", "TCP", ...
  uint32_t priority = 0;
  std::string_view address; // IP4, IP6 (no brackets) or FQDN
  uint16_t port = 0;
  std::string_view type;            // "host", "srflx", "prflx", "relay" or an extension
  std::string_view related_address; // empty when absent
  std::optional<uint16_t> related_port;
  std::string_view extensions; // name/value pairs as written, e.g. "tcptype active generation 0"

  std::optional<std::string_view> extension(std::string_view name) const;
};

Result<CandidateView> parseCandidate(std::string_view value);

// a=remote-candidates:<component-id> <address> <port> *( ...)
struct RemoteCandidateView {
  uint16_t component = 0;
  std::string_view address;
  uint16_t port = 0;
};

Result<std::vector<RemoteCandidateView>> parseRemoteCandidates(std::string_view value);

// a=ice-ufrag: 4*256 ice-char; a=ice-pwd: 22*256 ice-char. Return the value when it is valid.
Result<std::string_view> parseIceUfrag(std::string_view value);
Result<std::string_view> parseIcePwd(std::string_view value);

// a=ice-options:<token> *(SP <token>)
Result<std::vector<std::string_view>> parseIceOptions(std::string_view value);

} // namespace gh::sdp
