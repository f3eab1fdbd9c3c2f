#pragma once
// Cuts SIP messages out of a TCP/TLS byte stream by Content-Length (RFC 3261 §18.3), without
// buffering more than the parser's limits allow.

#include <cstddef>

#include "common/error.h"
#include "sip/parser/limits.h"

namespace gh::sip {

struct StreamFrame {
  enum class Kind : uint8_t {
    NeedMore,  // no complete message yet; keep reading
    Message,   // the first `length` bytes are one message (headers + body)
    KeepAlive, // the first `length` bytes are CRLFs (RFC 5626 §3.5.1 keep-alive: "\r\n\r\n" ping)
  };
  Kind kind = Kind::NeedMore;
  std::size_t length = 0;
};

// An error means the stream is unrecoverable (bad or oversize framing): close the connection.
Result<StreamFrame> frameStream(std::string_view buffer, const ParseLimits& limits = {});

} // namespace gh::sip
