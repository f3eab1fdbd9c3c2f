#pragma once
// Errors from parsing hostile input are cheap values: a code, the byte offset where the input went
// wrong, and a static explanation. The error path never allocates.

#include <cstdint>
#include <string_view>

#include "common/expected.h"

namespace gh {

enum class Errc : uint16_t {
  // framing and size limits
  TooLarge,
  BodyTooLarge,
  TooManyHeaders,
  HeaderTooLong,
  TooManyVias,
  UriTooLong,
  Truncated,
  // start line
  BadStartLine,
  BadMethod,
  BadVersion,
  BadStatusCode,
  // header section
  BadHeaderName,
  BadHeaderLine,
  MissingHeader,
  DuplicateHeader,
  BadHeaderValue,
  // typed values
  BadUri,
  UnsupportedScheme,
  BadNameAddr,
  BadVia,
  BadCSeq,
  CSeqMethodMismatch,
  BadCallId,
  BadMaxForwards,
  BadContentLength,
  BadContact,
  BadDate,
  BadParam,
  BadQuotedString,
  BadNumber,
  // SDP, bencode and others
  BadSdp,
  BadBencode,
  BadRtp,
};

struct Error {
  Errc code = Errc::BadHeaderValue;
  uint32_t offset = 0;   // byte offset into the input that was being parsed
  const char* what = ""; // static text, never owned

  Error() = default;

  Error(Errc c, uint32_t off, const char* why) : code(c), offset(off), what(why) {}

  // The same error seen from an enclosing parse: the offset moves by where the inner input began.
  Error shifted(uint32_t base) const { return Error{code, offset + base, what}; }
};

template <class T>
using Result = Expected<T, Error>;

inline Unexpected<Error> fail(Errc code, uint32_t offset, const char* what) {
  return Unexpected<Error>(Error{code, offset, what});
}

inline Unexpected<Error> fail(Error error) {
  return Unexpected<Error>(error);
}

std::string_view errcName(Errc code);

} // namespace gh
