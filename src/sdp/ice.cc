#include "sdp/ice.h"

#include "common/charset.h"
#include "common/text.h"
#include "sdp/tokens.h"

namespace gh::sdp {
namespace {

using detail::isDigits;
using detail::isToken;
using detail::nextField;
using detail::offsetOf;

// RFC 8839 section 5.1: ice-char = ALPHA / DIGIT / "+" / "/"
constexpr CharSet kIceChar = chars::kAlnum | CharSet("+/");

// Remote-candidates lists are short; this bounds the vector whatever the line length.
constexpr std::size_t kMaxRemoteCandidates = 64;
constexpr std::size_t kMaxIceOptions = 32;

bool isIceChars(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max && detail::allOf(s, kIceChar);
}

} // namespace

bool isIceAttribute(std::string_view name) {
  for (std::string_view ice : kIceAttributeNames) {
    if (iequals(name, ice)) {
      return true;
    }
  }
  return false;
}

std::optional<std::string_view> CandidateView::extension(std::string_view name) const {
  std::string_view rest = extensions;
  while (true) {
    std::string_view key = nextField(rest);
    std::string_view value = nextField(rest);
    if (key.empty()) {
      return std::nullopt;
    }
    if (iequals(key, name)) {
      return value;
    }
  }
}

Result<CandidateView> parseCandidate(std::string_view value) {
  std::string_view rest = value;
  CandidateView c;
  c.foundation = nextField(rest);
  if (!isIceChars(c.foundation, 1, 32)) {
    return fail(Errc::BadSdp, offsetOf(value, c.foundation), "bad candidate foundation");
  }
  std::string_view component = nextField(rest);
  auto component_id = isDigits(component) && component.size() <= 3
                          ? parseUnsigned<uint16_t>(component)
                          : std::nullopt;
  if (!component_id || *component_id == 0 || *component_id > 256) {
    return fail(Errc::BadSdp, offsetOf(value, component), "bad candidate component");
  }
  c.component = *component_id;
  c.transport = nextField(rest);
  if (!isToken(c.transport)) {
    return fail(Errc::BadSdp, offsetOf(value, c.transport), "bad candidate transport");
  }
  std::string_view priority = nextField(rest);
  auto parsed_priority = isDigits(priority) && priority.size() <= 10
                             ? parseUnsigned<uint32_t>(priority)
                             : std::nullopt;
  if (!parsed_priority) {
    return fail(Errc::BadSdp, offsetOf(value, priority), "bad candidate priority");
  }
  c.priority = *parsed_priority;
  c.address = nextField(rest);
  if (c.address.empty()) {
    return fail(Errc::BadSdp, offsetOf(value, c.address), "candidate address missing");
  }
  std::string_view port = nextField(rest);
  auto parsed_port = detail::parsePort(port);
  if (!parsed_port) {
    return fail(Errc::BadSdp, offsetOf(value, port), "bad candidate port");
  }
  c.port = *parsed_port;
  std::string_view typ = nextField(rest);
  if (typ != "typ") {
    return fail(Errc::BadSdp, offsetOf(value, typ), "candidate needs \"typ\"");
  }
  c.type = nextField(rest);
  if (!isToken(c.type)) {
    return fail(Errc::BadSdp, offsetOf(value, c.type), "bad candidate type");
  }
  // rel-addr and rel-port are optional and ordered; anything else starts the extensions.
  std::string_view after = rest;
  std::string_view key = nextField(after);
  if (key == "raddr") {
    c.related_address = nextField(after);
    if (c.related_address.empty()) {
      return fail(Errc::BadSdp, offsetOf(value, c.related_address), "candidate raddr missing");
    }
    rest = after;
    key = nextField(after);
  }
  if (key == "rport") {
    std::string_view rport = nextField(after);
    auto parsed_rport = detail::parsePort(rport);
    if (!parsed_rport) {
      return fail(Errc::BadSdp, offsetOf(value, rport), "bad candidate rport");
    }
    c.related_port = parsed_rport;
    rest = after;
  }
  c.extensions = detail::trimWsp(rest);
  return c;
}

Result<std::vector<RemoteCandidateView>> parseRemoteCandidates(std::string_view value) {
  std::vector<RemoteCandidateView> out;
  std::string_view rest = value;
  while (true) {
    std::string_view component = nextField(rest);
    if (component.empty()) {
      break;
    }
    if (out.size() == kMaxRemoteCandidates) {
      return fail(Errc::BadSdp, offsetOf(value, component), "too many remote candidates");
    }
    RemoteCandidateView r;
    auto component_id = isDigits(component) && component.size() <= 3
                            ? parseUnsigned<uint16_t>(component)
                            : std::nullopt;
    if (!component_id || *component_id == 0 || *component_id > 256) {
      return fail(Errc::BadSdp, offsetOf(value, component), "bad remote candidate component");
    }
    r.component = *component_id;
    r.address = nextField(rest);
    std::string_view port = nextField(rest);
    auto parsed_port = detail::parsePort(port);
    if (r.address.empty() || !parsed_port) {
      return fail(Errc::BadSdp, offsetOf(value, port), "bad remote candidate address or port");
    }
    r.port = *parsed_port;
    out.push_back(r);
  }
  if (out.empty()) {
    return fail(Errc::BadSdp, 0, "remote-candidates is empty");
  }
  return out;
}

Result<std::string_view> parseIceUfrag(std::string_view value) {
  if (!isIceChars(value, 4, 256)) {
    return fail(Errc::BadSdp, 0, "ice-ufrag must be 4 to 256 ice-chars");
  }
  return value;
}

Result<std::string_view> parseIcePwd(std::string_view value) {
  if (!isIceChars(value, 22, 256)) {
    return fail(Errc::BadSdp, 0, "ice-pwd must be 22 to 256 ice-chars");
  }
  return value;
}

Result<std::vector<std::string_view>> parseIceOptions(std::string_view value) {
  std::vector<std::string_view> out;
  std::string_view rest = value;
  while (true) {
    std::string_view option = nextField(rest);
    if (option.empty()) {
      break;
    }
    if (!isToken(option)) {
      return fail(Errc::BadSdp, offsetOf(value, option), "bad ice option");
    }
    if (out.size() == kMaxIceOptions) {
      return fail(Errc::BadSdp, offsetOf(value, option), "too many ice options");
    }
    out.push_back(option);
  }
  if (out.empty()) {
    return fail(Errc::BadSdp, 0, "ice-options is empty");
  }
  return out;
}

} // namespace gh::sdp
