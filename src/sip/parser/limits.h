#pragma once
// Every bound the SIP parser enforces, in one place. Each limit names the error it raises;
// sip/parser/status.h maps that error to the response a server sends back.

#include <cstdint>

namespace gh::sip {

struct ParseLimits {
  uint32_t max_message_bytes = 65535; // Errc::TooLarge        -> 513 Message Too Large
  uint32_t max_body_bytes = 65535;    // Errc::BodyTooLarge    -> 413 Request Entity Too Large
  uint32_t max_headers = 128;         // Errc::TooManyHeaders  -> 513
  uint32_t max_header_line = 8192;    // Errc::HeaderTooLong   -> 513 (one header, folds included)
  uint32_t max_vias = 70;             // Errc::TooManyVias     -> 513 (Max-Forwards is 70)
  uint32_t max_uri = 4096;            // Errc::UriTooLong      -> 414 Request-URI Too Long
};

} // namespace gh::sip
