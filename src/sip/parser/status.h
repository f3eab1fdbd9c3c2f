#pragma once
// Turns a parse error into the response a UAS or proxy answers with (RFC 3261 §8.2, §21).

#include <cstdint>
#include <string_view>

#include "common/error.h"

namespace gh::sip {

struct StatusLine {
  uint16_t code;
  std::string_view reason;
};

constexpr StatusLine statusFor(Errc code) {
  switch (code) {
  case Errc::BadVersion: return {505, "Version Not Supported"};
  case Errc::UnsupportedScheme: return {416, "Unsupported URI Scheme"};
  case Errc::UriTooLong: return {414, "Request-URI Too Long"};
  case Errc::BodyTooLarge: return {413, "Request Entity Too Large"};
  case Errc::TooLarge:
  case Errc::TooManyHeaders:
  case Errc::HeaderTooLong:
  case Errc::TooManyVias: return {513, "Message Too Large"};
  default: return {400, "Bad Request"};
  }
}

} // namespace gh::sip
