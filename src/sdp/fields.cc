#include "sdp/fields.h"

#include "common/text.h"
#include "sdp/tokens.h"

namespace gh::sdp {
namespace {

using detail::isDigits;
using detail::isToken;
using detail::nextField;
using detail::offsetOf;

// Takes the last space-separated field of `rest` and shortens `rest` to what precedes it.
std::string_view lastField(std::string_view& rest) {
  std::size_t end = rest.size();
  while (end > 0 && chars::kWsp.contains(rest[end - 1])) {
    --end;
  }
  std::size_t start = end;
  while (start > 0 && !chars::kWsp.contains(rest[start - 1])) {
    --start;
  }
  std::string_view field = rest.substr(start, end - start);
  rest = rest.substr(0, start);
  return field;
}

} // namespace

std::optional<uint64_t> OriginView::version() const {
  return parseUnsigned<uint64_t>(session_version);
}

Result<OriginView> parseOrigin(std::string_view value) {
  // The last five fields have fixed syntax; taking them from the right lets a username with
  // spaces (seen from some PBXs) through as one field instead of shifting every other field.
  std::string_view rest = value;
  OriginView origin;
  origin.address = lastField(rest);
  origin.addrtype = lastField(rest);
  origin.nettype = lastField(rest);
  origin.session_version = lastField(rest);
  origin.session_id = lastField(rest);
  origin.username = detail::trimWsp(rest);
  if (origin.username.empty()) {
    return fail(Errc::BadSdp, 0, "o= needs six fields");
  }
  if (!isToken(origin.nettype)) {
    return fail(Errc::BadSdp, offsetOf(value, origin.nettype), "bad o= nettype");
  }
  if (!isToken(origin.addrtype)) {
    return fail(Errc::BadSdp, offsetOf(value, origin.addrtype), "bad o= addrtype");
  }
  if (origin.address.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, origin.address), "o= address missing");
  }
  return origin;
}

Result<ConnectionView> parseConnection(std::string_view value) {
  std::string_view rest = value;
  ConnectionView c;
  c.nettype = nextField(rest);
  c.addrtype = nextField(rest);
  std::string_view address = nextField(rest);
  if (!isToken(c.nettype)) {
    return fail(Errc::BadSdp, offsetOf(value, c.nettype), "bad c= nettype");
  }
  if (!isToken(c.addrtype)) {
    return fail(Errc::BadSdp, offsetOf(value, c.addrtype), "bad c= addrtype");
  }
  if (address.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, address), "c= address missing");
  }
  if (std::string_view extra = nextField(rest); !extra.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, extra), "extra field after c= address");
  }
  // RFC 8866 section 5.7: IP4 multicast is addr/ttl[/count], IP6 multicast is addr[/count].
  const std::size_t slash = address.find('/');
  c.address = address.substr(0, slash);
  if (c.address.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, address), "c= address missing");
  }
  if (slash == std::string_view::npos) {
    return c;
  }
  std::string_view suffix = address.substr(slash + 1);
  const std::size_t slash2 = suffix.find('/');
  std::string_view first = suffix.substr(0, slash2);
  std::string_view second =
      slash2 == std::string_view::npos ? std::string_view{} : suffix.substr(slash2 + 1);
  const bool ip4 = iequals(c.addrtype, "IP4");
  if (ip4) {
    auto ttl = isDigits(first) && first.size() <= 3 ? parseUnsigned<uint16_t>(first) : std::nullopt;
    if (!ttl || *ttl > 255) {
      return fail(Errc::BadSdp, offsetOf(value, first), "bad c= ttl");
    }
    c.ttl = static_cast<uint8_t>(*ttl);
  } else {
    second = first;
    if (slash2 != std::string_view::npos) {
      return fail(Errc::BadSdp, offsetOf(value, suffix) + static_cast<uint32_t>(slash2),
                  "c= has too many '/' fields");
    }
  }
  if (ip4 && slash2 == std::string_view::npos) {
    return c;
  }
  auto count = parseUnsigned<uint32_t>(second);
  if (!count || *count == 0 || second.find('/') != std::string_view::npos) {
    return fail(Errc::BadSdp, offsetOf(value, second), "bad c= address count");
  }
  c.count = count;
  return c;
}

Result<MediaLineView> parseMediaLine(std::string_view value) {
  std::string_view rest = value;
  MediaLineView m;
  m.media = nextField(rest);
  std::string_view port = nextField(rest);
  m.proto = nextField(rest);
  if (!isToken(m.media)) {
    return fail(Errc::BadSdp, offsetOf(value, m.media), "bad m= media type");
  }
  const std::size_t slash = port.find('/');
  std::string_view port_number = port.substr(0, slash);
  auto parsed_port = detail::parsePort(port_number);
  if (!parsed_port) {
    return fail(Errc::BadSdp, offsetOf(value, port), "bad m= port");
  }
  m.port = *parsed_port;
  if (slash != std::string_view::npos) {
    std::string_view count_text = port.substr(slash + 1);
    auto count = detail::parsePort(count_text);
    if (!count || *count == 0) {
      return fail(Errc::BadSdp, offsetOf(value, count_text), "bad m= port count");
    }
    m.port_count = count;
  }
  if (m.proto.empty() || !detail::allOf(m.proto, detail::kTokenChar | CharSet("/"))) {
    return fail(Errc::BadSdp, offsetOf(value, m.proto), "bad m= proto");
  }
  m.formats_text = detail::skipWsp(rest);
  return m;
}

Result<BandwidthView> parseBandwidth(std::string_view value) {
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos) {
    return fail(Errc::BadSdp, 0, "b= needs <type>:<bandwidth>");
  }
  BandwidthView b;
  b.type = value.substr(0, colon);
  if (!isToken(b.type)) {
    return fail(Errc::BadSdp, 0, "bad b= type");
  }
  auto bw = parseUnsigned<uint64_t>(value.substr(colon + 1));
  if (!bw) {
    return fail(Errc::BadSdp, static_cast<uint32_t>(colon + 1), "bad b= bandwidth");
  }
  b.value = *bw;
  return b;
}

Result<TimingView> parseTiming(std::string_view value) {
  std::string_view rest = value;
  std::string_view start = nextField(rest);
  std::string_view stop = nextField(rest);
  TimingView t;
  auto start_value = parseUnsigned<uint64_t>(start);
  if (!start_value) {
    return fail(Errc::BadSdp, offsetOf(value, start), "bad t= start time");
  }
  auto stop_value = parseUnsigned<uint64_t>(stop);
  if (!stop_value) {
    return fail(Errc::BadSdp, offsetOf(value, stop), "bad t= stop time");
  }
  if (std::string_view extra = nextField(rest); !extra.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, extra), "extra field in t=");
  }
  t.start = *start_value;
  t.stop = *stop_value;
  return t;
}

} // namespace gh::sdp
