#pragma once
// Builds a response to a received request (RFC 3261 §8.2.6): every Via in order, From, To (with
// our tag added when the request had none), Call-ID and CSeq copied; Contact, Record-Route,
// extra headers and a body when asked; Content-Length always.
//
//   std::string ringing = buildResponse(invite, 180, ResponseOptions().withToTag(leg.local_tag));
//   layer.respond(server_txn, 200, ResponseOptions().withToTag(leg.local_tag)
//       .withContact(our_contact).withRecordRoute().withBody("application/sdp", sdp));
//
// Designated initializers work as well: buildResponse(req, 405, {.headers = allow}).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message/message.h"
#include "sip/transaction/header_text.h"

namespace gh::sip {

struct ResponseOptions {
  std::string_view reason; // empty: the RFC's phrase for the code
  // Put on To when the request's To has no tag. A dialog's responses must all carry the same tag,
  // so the TU passes the dialog's local tag; when empty a random one is made (fine for final
  // non-2xx responses that create no dialog). 100 Trying never gets one.
  std::string_view to_tag;
  std::string_view contact;        // a Contact value such as "<sip:sbc.example.com;transport=tls>"
  bool copy_record_route = false;  // §12.1.1: dialog-creating responses echo Record-Route
  std::vector<HeaderLine> headers; // after the copied ones, before the body
  std::string_view content_type;
  std::string_view body;

  ResponseOptions& withReason(std::string_view v) {
    reason = v;
    return *this;
  }

  ResponseOptions& withToTag(std::string_view v) {
    to_tag = v;
    return *this;
  }

  ResponseOptions& withContact(std::string_view v) {
    contact = v;
    return *this;
  }

  ResponseOptions& withRecordRoute(bool copy = true) {
    copy_record_route = copy;
    return *this;
  }

  ResponseOptions& withHeader(std::string_view name, std::string_view value) {
    headers.push_back({name, value});
    return *this;
  }

  ResponseOptions& withBody(std::string_view type, std::string_view content) {
    content_type = type;
    body = content;
    return *this;
  }
};

std::string buildResponse(const Message& request, uint16_t code,
                          const ResponseOptions& options = {});
// The reason phrase RFC 3261 §21 (and its extensions) gives `code`; "Unknown" otherwise.
std::string_view reasonPhrase(uint16_t code);

} // namespace gh::sip
