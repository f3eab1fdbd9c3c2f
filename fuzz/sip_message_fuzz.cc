// Fuzz target for the SIP message parser, stream framing and the edit/serialize path.
// Invariants: no crash or sanitizer report on any input; every accepted message serializes back
// byte for byte and reparses; an edited message still parses.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/message/edits.h"
#include "sip/parser/framing.h"
#include "sip/parser/parser.h"

namespace {

void require(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

void exercise(const gh::sip::Message& m) {
  using gh::sip::HeaderId;
  (void)m.topVia();
  (void)m.vias();
  (void)m.from().displayNameText();
  (void)m.to().tag();
  (void)m.cseq();
  (void)m.callId();
  (void)m.maxForwards();
  (void)m.contacts();
  (void)m.routes();
  (void)m.recordRoutes();
  (void)m.tokens(HeaderId::Supported);
  (void)m.tokens(HeaderId::Require);
  (void)m.expires();
  (void)m.nameAddrs(HeaderId::PAssertedIdentity);
  if (m.isRequest()) {
    (void)m.requestUri().userUnescaped();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)gh::sip::frameStream(input);

  auto msg = gh::sip::parseMessage(input);
  if (!msg) {
    return 0;
  }
  exercise(*msg);
  std::string out = gh::sip::serialize(*msg);
  require(out == msg->wire());
  auto again = gh::sip::parseMessage(out);
  require(again.has_value());
  require(again->headers().size() == msg->headers().size());

  gh::sip::MessageEdits edits;
  edits.replaceValue(msg->indexOf(*msg->first(gh::sip::HeaderId::To)), "<sip:user@example.net>");
  edits.prepend("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKfuzz");
  edits.replaceBody("v=0\r\n", "application/sdp");
  std::string edited = gh::sip::serialize(*msg, edits, {.ensure_content_length = true});
  // The edit adds one Via and a few bytes, so allow exactly that much more than the input had.
  gh::sip::ParseLimits grown;
  grown.max_vias += 1;
  grown.max_message_bytes += 1024;
  grown.max_header_line += 64;
  grown.max_headers += 1;
  auto reparsed = gh::sip::parseMessage(edited, grown, gh::sip::Framing::Stream);
  require(reparsed.has_value());
  require(reparsed->body() == "v=0\r\n");
  return 0;
}
