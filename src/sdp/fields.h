#pragma once
// Typed views of the structural SDP lines (RFC 8866 section 5): o=, c=, m=, b= and t=. Each
// parser takes the line value (the text after "x=") and returns views into it; error offsets are
// relative to that value.
//
//   Result<ConnectionView> c = parseConnection("IN IP4 224.2.1.1/127/3");
//   // c->address == "224.2.1.1", *c->ttl == 127, *c->count == 3

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.h"

namespace gh::sdp {

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct OriginView {
  std::string_view username;
  std::string_view session_id;
  std::string_view session_version;
  std::string_view nettype;
  std::string_view addrtype;
  std::string_view address;

  // The version as a number; nullopt when it is not a decimal that fits 64 bits.
  std::optional<uint64_t> version() const;
};

Result<OriginView> parseOrigin(std::string_view value);

// c=<nettype> <addrtype> <connection-address>. IPv6 addresses carry no brackets in SDP.
struct ConnectionView {
  std::string_view nettype;
  std::string_view addrtype;
  std::string_view address;      // without the /ttl and /count suffixes
  std::optional<uint8_t> ttl;    // IP4 multicast only
  std::optional<uint32_t> count; // number of consecutive multicast addresses
};

Result<ConnectionView> parseConnection(std::string_view value);

// m=<media> <port>[/<number of ports>] <proto> <fmt> ...
struct MediaLineView {
  std::string_view media;
  uint16_t port = 0;
  std::optional<uint16_t> port_count;
  std::string_view proto;
  // The format list exactly as written (spacing kept), so an edited m= line can carry it over.
  std::string_view formats_text;
};

// Zero formats are accepted: some devices write a rejected stream as "m=video 0 RTP/AVP".
Result<MediaLineView> parseMediaLine(std::string_view value);

// b=<bwtype>:<bandwidth>
struct BandwidthView {
  std::string_view type;
  uint64_t value = 0;
};

Result<BandwidthView> parseBandwidth(std::string_view value);

// t=<start-time> <stop-time>
struct TimingView {
  uint64_t start = 0;
  uint64_t stop = 0;
};

Result<TimingView> parseTiming(std::string_view value);

} // namespace gh::sdp
