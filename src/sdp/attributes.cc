#include "sdp/attributes.h"

#include <array>

#include "common/charset.h"
#include "common/text.h"
#include "sdp/tokens.h"

namespace gh::sdp {
namespace {

using detail::isDigits;
using detail::isToken;
using detail::nextField;
using detail::offsetOf;

constexpr std::array<std::string_view, 4> kDirectionNames = {"sendrecv", "sendonly", "recvonly",
                                                             "inactive"};
constexpr std::array<std::string_view, 4> kSetupNames = {"active", "passive", "actpass",
                                                         "holdconn"};

std::optional<uint8_t> parsePayloadType(std::string_view s) {
  if (!isDigits(s) || s.size() > 3) {
    return std::nullopt;
  }
  auto pt = parseUnsigned<uint8_t>(s);
  if (!pt || *pt > 127) {
    return std::nullopt;
  }
  return pt;
}

} // namespace

AttributeView splitAttribute(std::string_view line_value) {
  AttributeView a;
  const std::size_t colon = line_value.find(':');
  if (colon == std::string_view::npos) {
    a.name = line_value;
    return a;
  }
  a.name = line_value.substr(0, colon);
  a.value = line_value.substr(colon + 1);
  a.has_value = true;
  return a;
}

bool attributeNameIs(std::string_view name, std::string_view expected) {
  return iequals(name, expected);
}

std::optional<Direction> directionFromName(std::string_view name) {
  for (std::size_t i = 0; i < kDirectionNames.size(); ++i) {
    if (iequals(name, kDirectionNames[i])) {
      return static_cast<Direction>(i);
    }
  }
  return std::nullopt;
}

std::string_view directionName(Direction direction) {
  return kDirectionNames[static_cast<std::size_t>(direction)];
}

Result<RtpmapView> parseRtpmap(std::string_view value) {
  std::string_view rest = value;
  std::string_view pt = nextField(rest);
  std::string_view encoding = nextField(rest);
  RtpmapView r;
  auto payload_type = parsePayloadType(pt);
  if (!payload_type) {
    return fail(Errc::BadSdp, offsetOf(value, pt), "bad rtpmap payload type");
  }
  r.payload_type = *payload_type;
  if (std::string_view extra = nextField(rest); !extra.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, extra), "extra field in rtpmap");
  }
  const std::size_t slash = encoding.find('/');
  if (slash == std::string_view::npos) {
    return fail(Errc::BadSdp, offsetOf(value, encoding), "rtpmap needs <encoding>/<clock rate>");
  }
  r.encoding = encoding.substr(0, slash);
  if (!isToken(r.encoding)) {
    return fail(Errc::BadSdp, offsetOf(value, encoding), "bad rtpmap encoding name");
  }
  std::string_view clock_and_params = encoding.substr(slash + 1);
  const std::size_t slash2 = clock_and_params.find('/');
  std::string_view clock = clock_and_params.substr(0, slash2);
  auto clock_rate = parseUnsigned<uint32_t>(clock);
  if (!clock_rate || *clock_rate == 0) {
    return fail(Errc::BadSdp, offsetOf(value, clock), "bad rtpmap clock rate");
  }
  r.clock_rate = *clock_rate;
  if (slash2 != std::string_view::npos) {
    std::string_view params = clock_and_params.substr(slash2 + 1);
    auto channels = parseUnsigned<uint32_t>(params);
    if (!channels || *channels == 0) {
      return fail(Errc::BadSdp, offsetOf(value, params), "bad rtpmap encoding parameters");
    }
    r.channels = channels;
  }
  return r;
}

std::optional<uint8_t> FmtpView::payloadType() const {
  return parsePayloadType(format);
}

std::optional<std::string_view> FmtpView::param(std::string_view name) const {
  std::string_view rest = params;
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    std::string_view item = detail::trimWsp(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    if (iequals(detail::trimWsp(item.substr(0, eq)), name)) {
      return detail::trimWsp(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

Result<FmtpView> parseFmtp(std::string_view value) {
  std::string_view rest = value;
  FmtpView f;
  f.format = nextField(rest);
  if (!isToken(f.format) || f.format.data() != value.data()) {
    return fail(Errc::BadSdp, 0, "bad fmtp format");
  }
  f.params = detail::trimWsp(rest);
  return f;
}

Result<uint32_t> parsePtime(std::string_view value) {
  const std::size_t dot = value.find('.');
  std::string_view whole = value.substr(0, dot);
  auto ms = parseUnsigned<uint32_t>(whole);
  if (!ms) {
    return fail(Errc::BadSdp, 0, "bad ptime");
  }
  if (dot != std::string_view::npos) {
    std::string_view fraction = value.substr(dot + 1);
    if (!isDigits(fraction)) {
      return fail(Errc::BadSdp, static_cast<uint32_t>(dot + 1), "bad ptime fraction");
    }
  }
  return *ms;
}

Result<RtcpView> parseRtcp(std::string_view value) {
  std::string_view rest = value;
  std::string_view port = nextField(rest);
  RtcpView r;
  auto parsed = detail::parsePort(port);
  if (!parsed || port.data() != value.data()) {
    return fail(Errc::BadSdp, 0, "bad rtcp port");
  }
  r.port = *parsed;
  r.nettype = nextField(rest);
  if (r.nettype.empty()) {
    return r;
  }
  r.addrtype = nextField(rest);
  r.address = nextField(rest);
  if (!isToken(r.nettype) || !isToken(r.addrtype) || r.address.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, r.nettype),
                "rtcp address needs <nettype> <addrtype> <address>");
  }
  if (std::string_view extra = nextField(rest); !extra.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, extra), "extra field in rtcp");
  }
  return r;
}

Result<Setup> parseSetup(std::string_view value) {
  for (std::size_t i = 0; i < kSetupNames.size(); ++i) {
    if (iequals(value, kSetupNames[i])) {
      return static_cast<Setup>(i);
    }
  }
  return fail(Errc::BadSdp, 0, "unknown setup role");
}

std::string_view setupName(Setup setup) {
  return kSetupNames[static_cast<std::size_t>(setup)];
}

Result<FingerprintView> parseFingerprint(std::string_view value) {
  std::string_view rest = value;
  FingerprintView f;
  f.hash_function = nextField(rest);
  f.fingerprint = nextField(rest);
  if (!isToken(f.hash_function) || f.hash_function.data() != value.data()) {
    return fail(Errc::BadSdp, 0, "bad fingerprint hash function");
  }
  if (std::string_view extra = nextField(rest); !extra.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, extra), "extra field in fingerprint");
  }
  // 2UHEX *(":" 2UHEX); lower-case hex is accepted because browsers have sent it.
  const std::string_view fp = f.fingerprint;
  if (fp.size() < 2 || fp.size() % 3 != 2) {
    return fail(Errc::BadSdp, offsetOf(value, fp), "bad fingerprint length");
  }
  for (std::size_t i = 0; i < fp.size(); ++i) {
    const bool ok = (i % 3 == 2) ? fp[i] == ':' : chars::kHexDigit.contains(fp[i]);
    if (!ok) {
      return fail(Errc::BadSdp, offsetOf(value, fp) + static_cast<uint32_t>(i),
                  "bad fingerprint character");
    }
  }
  return f;
}

bool isDtlsAttribute(std::string_view name) {
  return iequals(name, attr::kFingerprint) || iequals(name, attr::kSetup) ||
         iequals(name, attr::kTlsId);
}

} // namespace gh::sdp
