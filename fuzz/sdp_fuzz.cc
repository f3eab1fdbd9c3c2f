// Fuzz target for src/sdp: every accepted body must serialize back byte for byte, every typed
// parser must be total on every attribute value, an unchanged edit must be verbatim, and the
// relay's full rewrite must produce SDP that parses again.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/text.h"
#include "sdp/attributes.h"
#include "sdp/base64.h"
#include "sdp/crypto.h"
#include "sdp/edit.h"
#include "sdp/fields.h"
#include "sdp/ice.h"
#include "sdp/session_description.h"
#include "sdp/writer.h"

namespace {

using namespace gh::sdp;

void check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

// A view handed out by a parser must lie inside the text it parsed.
void checkInside(std::string_view part, std::string_view whole) {
  if (part.empty()) {
    return;
  }
  const std::less_equal<const char*> le;
  check(le(whole.data(), part.data()) &&
        le(part.data() + part.size(), whole.data() + whole.size()));
}

void exerciseAttribute(const Attribute& a, std::string_view text) {
  checkInside(a.name, text);
  checkInside(a.value, text);
  check(a.value_offset <= text.size());
  // Every parser on every value, whatever the name says: they must all be total.
  if (auto r = parseAttribute(a, parseRtpmap)) {
    checkInside(r->encoding, a.value);
    check(r->payload_type <= 127);
  } else {
    check(r.error().offset <= text.size());
  }
  if (auto f = parseAttribute(a, parseFmtp)) {
    checkInside(f->params, a.value);
    (void)f->payloadType();
    if (auto p = f->param("mode")) {
      checkInside(*p, a.value);
    }
  }
  (void)parseAttribute(a, parsePtime);
  if (auto r = parseAttribute(a, parseRtcp)) {
    checkInside(r->address, a.value);
  }
  (void)parseAttribute(a, parseSetup);
  if (auto f = parseAttribute(a, parseFingerprint)) {
    checkInside(f->fingerprint, a.value);
  }
  if (auto c = parseAttribute(a, parseCrypto)) {
    check(!c->keys.empty() && c->keys.size() <= kMaxKeyParams);
    for (const KeyParamView& k : c->keys) {
      check(k.key_salt_size <= kMaxKeySaltBytes);
      checkInside(k.key_salt_base64, a.value);
      if (auto expected = cryptoSuiteKeySaltSize(c->suite);
          expected && gh::iequals(k.method, "inline")) {
        check(k.keySalt().size() == *expected);
      }
    }
  } else {
    check(c.error().offset <= text.size());
  }
  if (auto c = parseAttribute(a, parseCandidate)) {
    checkInside(c->address, a.value);
    checkInside(c->extensions, a.value);
    (void)c->extension("generation");
  } else {
    check(c.error().offset <= text.size());
  }
  (void)parseAttribute(a, parseRemoteCandidates);
  (void)parseAttribute(a, parseIceUfrag);
  (void)parseAttribute(a, parseIcePwd);
  (void)parseAttribute(a, parseIceOptions);
  (void)isIceAttribute(a.name);
  (void)isDtlsAttribute(a.name);
  (void)directionFromName(a.name);
}

void exerciseDescription(const SessionDescription& sdp) {
  const std::string_view text = sdp.text();
  (void)sdp.origin().version();
  checkInside(sdp.origin().address, text);
  (void)sdp.sessionDirection();
  for (std::string_view b : sdp.bandwidths()) {
    (void)parseBandwidth(b);
  }
  for (const Line& line : sdp.lines()) {
    checkInside(line.value, text);
    if (line.type == 't') {
      (void)parseTiming(line.value);
    }
  }
  for (const Attribute& a : sdp.attributes()) {
    exerciseAttribute(a, text);
  }
  for (const MediaSection& m : sdp.media()) {
    checkInside(m.line.formats_text, text);
    (void)sdp.connectionFor(m);
    (void)sdp.direction(m);
    (void)sdp.findAttribute(m, attr::kIceUfrag);
    for (std::string_view b : m.bandwidths) {
      (void)parseBandwidth(b);
    }
    for (std::string_view format : m.formats) {
      checkInside(format, text);
      if (auto pt = gh::parseUnsigned<uint8_t>(format); pt && *pt <= 127) {
        (void)m.rtpmap(*pt);
      }
      (void)m.fmtp(format);
    }
    for (const Attribute& a : m.attributes) {
      exerciseAttribute(a, text);
    }
  }
}

void exerciseEdit(const SessionDescription& sdp) {
  const std::string_view text = sdp.text();
  {
    SdpEdit unchanged(sdp);
    check(unchanged.toString() == text);
  }
  SdpEdit edit(sdp);
  edit.setOriginAddress("IP4", "203.0.113.1");
  edit.setOriginVersion(sdp.origin().version().value_or(0) + 1);
  edit.rewriteConnections("IP4", "203.0.113.1");
  edit.removeIce();
  edit.removeRtcpMux();
  edit.removeDtls();
  std::array<uint8_t, 30> key{};
  for (std::size_t i = 0; i < edit.mediaCount(); ++i) {
    MediaEdit& m = edit.media(i);
    if (m.port() == 0) {
      m.setDirection(Direction::Inactive);
      continue;
    }
    const auto port = static_cast<uint16_t>(30000 + 2 * (i % 1000));
    m.setPort(port);
    m.setProto(m.proto() == "RTP/SAVP" ? "RTP/AVP" : "RTP/SAVP");
    m.setAttribute(attr::kRtcp, std::to_string(port + 1));
    m.removeCrypto();
    key[0] = static_cast<uint8_t>(i);
    m.addCrypto({.tag = 1, .key_salt = key});
    m.setDirection(Direction::SendRecv);
  }
  const std::string out = edit.toString();
  Limits relaxed;
  relaxed.max_bytes = 1u << 24;
  relaxed.max_lines = 1u << 20;
  relaxed.max_attributes = 1u << 20;
  auto reparsed = parse(out, relaxed);
  check(reparsed.has_value());
  check(reparsed->media().size() == sdp.media().size());
  for (const MediaSection& m : reparsed->media()) {
    for (const Attribute& a : m.attributes) {
      check(!isIceAttribute(a.name) && !a.is(attr::kRtcpMux) && !isDtlsAttribute(a.name));
    }
  }
  check(serialize(*reparsed) == out);
}

void exerciseBase64(std::string_view data) {
  if (data.size() > 256) {
    return;
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  const std::string encoded = base64Encode({bytes, data.size()});
  std::array<uint8_t, 256> out{};
  auto n = base64Decode(encoded, out);
  check(n.has_value() && *n == data.size());
  check(std::equal(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*n), bytes));
  std::array<uint8_t, 16> small{};
  if (auto m = base64Decode(data, small)) {
    check(*m <= small.size());
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  exerciseBase64(text);
  auto sdp = parse(text);
  if (!sdp) {
    check(sdp.error().code == gh::Errc::BadSdp);
    return 0;
  }
  check(serialize(*sdp) == text);
  exerciseDescription(*sdp);
  exerciseEdit(*sdp);
  return 0;
}
