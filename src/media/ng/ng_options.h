#pragma once
// What an offer/answer/delete asks for, gathered from the three places a controller may put it:
// dictionary keys ("ICE": "remove"), items of the "flags" list ("trust-address", "SDES-off",
// "DTLS=off") and a Kamailio-syntax string in "rtpp-flags"
// ("SRTP DTLS=off replace-session-connection ICE=remove direction=internal direction=external").
// Kamailio's rtpengine module turns most of its flag string into keys before sending; older
// modules and hand-written scripts leave words in "flags". Both spellings land in one place here.
//
// Unknown keys and flags are ignored (and listed in `ignored` for a debug log), as rtpengine does.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/api/media_control.h"
#include "media/ng/bencode.h"

namespace gh::media::ng {

struct NgOptions {
  std::string call_id;
  std::string from_tag;
  std::string to_tag;
  std::string via_branch;
  std::optional<std::string> sdp;

  std::vector<std::string> direction;      // from the "direction" key
  std::vector<std::string> flag_direction; // from "direction=" / bare "internal" flags
  std::string from_interface;              // "from-interface" key or "in-iface=" flag
  std::string to_interface;

  std::optional<Protocol> protocol; // "transport-protocol"
  unsigned transport_bits = 0;      // SRTP/AVPF/RTP words, as Kamailio combines them
  bool ice_remove = false;
  std::optional<RtcpMuxPolicy> rtcp_mux;
  bool sdes_off = false;
  std::vector<std::string> sdes_only; // "only-<suite>"
  std::vector<std::string> sdes_no;   // "no-<suite>"
  bool replace_origin = false;
  std::vector<std::string> codec_offer; // kept codecs when "strip all" is also given
  bool codec_strip_all = false;
  std::optional<net::Endpoint> received_from;

  bool fatal = false; // delete: unknown call is an error
  bool fast = false;  // delete: no statistics in the reply
  int64_t limit = 32; // list

  std::vector<std::string> ignored;
};

// Reads every key of a request dictionary.
void readOptions(const BValue& request, NgOptions& out);
// One item of the "flags" list: a bare word, "key=value", or a prefixed word ("SDES-off").
void applyFlag(std::string_view item, NgOptions& out);
// A whole Kamailio flag string: words separated by spaces.
void applyFlagString(std::string_view flags, NgOptions& out);

// The SDP policy for the side the rewritten SDP goes to, with rtpengine's defaults: c= and m=
// always rewritten, o= only on request, DTLS never offered (gatehouse speaks SDES only).
SdpPolicy toPolicy(const NgOptions& options);

// The interfaces [from, to]: "direction" key first, then flags, then from-/to-interface.
std::pair<std::string, std::string> interfaces(const NgOptions& options);

} // namespace gh::media::ng
