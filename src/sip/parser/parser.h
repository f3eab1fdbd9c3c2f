#pragma once
// Parses one SIP message (RFC 3261 §7, §25) from a datagram or from one framed stream message.
// The input is copied once into the Message, which then owns it; nothing else is copied.
//
// Validation is strict where a lenient reading would let a malformed message through a border:
// the start line, Content-Length framing, and the typed headers every element relies on (Via,
// From, To, Call-ID, CSeq, Max-Forwards, Contact, Route, Record-Route, Date) are checked here.
// Failures come back as gh::Error with the byte offset; statusFor() gives the response code.

#include <string_view>

#include "common/error.h"
#include "sip/message/message.h"
#include "sip/parser/limits.h"

namespace gh::sip {

enum class Framing : uint8_t {
  // UDP: the datagram is the message. Without Content-Length the body runs to its end; with one,
  // trailing octets are ignored and a length past the end is an error (RFC 3261 §18.3).
  Datagram,
  // TCP/TLS: exactly one message cut out by frameStream(); Content-Length is mandatory.
  Stream,
};

Result<Message> parseMessage(std::string_view wire, const ParseLimits& limits = {},
                             Framing framing = Framing::Datagram);

} // namespace gh::sip
