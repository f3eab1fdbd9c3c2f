#pragma once
// What the relay needs to know about each m= line of an SDP, as owned values: the stream's
// transport, where the party wants media sent (RTP and RTCP), its SDES keys, and whether it is on
// hold. Extracted once per offer/answer; nothing here borrows from the SessionDescription.
//
//   Result<sdp::SessionDescription> sdp = sdp::parse(body);
//   Result<SdpInfo> info = extractSdpInfo(*sdp);
//   for (const MediaInfo& m : info->media) {
//     if (m.rejected || !m.rtp) continue;          // port 0, or an FQDN we cannot send to
//     relay.setRemote(*m.rtp, m.rtcpTarget());
//   }

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "net/endpoint.h"
#include "sdp/attributes.h"
#include "sdp/session_description.h"

namespace gh::media {

// One a=crypto line (RFC 4568), decoded. `key_salt` is a secret: it is the key the party encrypts
// its own media with.
struct CryptoOffer {
  uint32_t tag = 0;
  std::string suite;
  std::vector<uint8_t> key_salt;    // first inline key; empty when the key method is not inline
  std::optional<uint64_t> lifetime; // packets
  bool has_mki = false;             // MKI field present on any key
  std::size_t key_count = 0;        // several keys imply MKIs
  std::string session_params;       // as written; empty when none
};

struct MediaInfo {
  uint32_t index = 0; // m= line position
  std::string media;  // "audio", "video", "application"
  uint16_t port = 0;  // 0 = rejected (RFC 3264 §6)
  uint16_t port_count = 1;
  std::string proto; // "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", "udp" ...
  std::vector<std::string> formats;
  std::string addrtype;             // "IP4" / "IP6" of the effective c= (media level, else session)
  std::string address;              // that c=, as written (may be an FQDN)
  std::optional<net::Endpoint> rtp; // address:port when address is a literal IP
  std::optional<uint16_t> rtcp_port; // RFC 3605 a=rtcp
  std::string rtcp_address;          // a=rtcp address when given
  bool rtcp_mux = false;             // RFC 5761 a=rtcp-mux
  std::vector<CryptoOffer> crypto;   // the a=crypto lines that parsed, in order
  uint32_t bad_crypto = 0;           // a=crypto lines that did not parse
  bool ice = false;                  // any RFC 8839 attribute (session or media level)
  bool ice_lite = false;
  bool dtls = false;               // a=fingerprint (session or media level)
  std::optional<sdp::Setup> setup; // RFC 4145 role
  sdp::Direction direction = sdp::Direction::SendRecv;
  bool black_holed = false; // c= 0.0.0.0 or :: (RFC 3264 §8.4 old-style hold)

  bool rejected() const { return port == 0; }

  // RTP/AVP and friends, SRTP and DTLS-SRTP variants included; "udp", "TCP/MSRP" are not RTP.
  bool isRtp() const;
  bool isSrtp() const;     // ".../SAVP" or ".../SAVPF"
  bool isFeedback() const; // "AVPF" / "SAVPF"

  // Held when the party will not receive (sendonly, inactive) or asked not to be sent to.
  bool onHold() const;

  // Where the party wants RTCP: its RTP endpoint when muxed, else a=rtcp, else RTP port + 1
  // (RFC 3550 §11). nullopt when rtp is unknown.
  std::optional<net::Endpoint> rtcpTarget() const;
};

struct SdpInfo {
  std::string origin_username;
  std::string origin_session_id;
  std::optional<uint64_t> origin_version;
  std::vector<MediaInfo> media;
};

// Fails only when the description is structurally unusable for a relay (an m= line whose
// effective c= is missing while its port is not 0). A garbled attribute is skipped and counted.
Result<SdpInfo> extractSdpInfo(const sdp::SessionDescription& sdp);

} // namespace gh::media
