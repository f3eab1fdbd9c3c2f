#include "common/error.h"

namespace gh {

std::string_view errcName(Errc code) {
  switch (code) {
  case Errc::TooLarge: return "too-large";
  case Errc::BodyTooLarge: return "body-too-large";
  case Errc::TooManyHeaders: return "too-many-headers";
  case Errc::HeaderTooLong: return "header-too-long";
  case Errc::TooManyVias: return "too-many-vias";
  case Errc::UriTooLong: return "uri-too-long";
  case Errc::Truncated: return "truncated";
  case Errc::BadStartLine: return "bad-start-line";
  case Errc::BadMethod: return "bad-method";
  case Errc::BadVersion: return "bad-version";
  case Errc::BadStatusCode: return "bad-status-code";
  case Errc::BadHeaderName: return "bad-header-name";
  case Errc::BadHeaderLine: return "bad-header-line";
  case Errc::MissingHeader: return "missing-header";
  case Errc::DuplicateHeader: return "duplicate-header";
  case Errc::BadHeaderValue: return "bad-header-value";
  case Errc::BadUri: return "bad-uri";
  case Errc::UnsupportedScheme: return "unsupported-scheme";
  case Errc::BadNameAddr: return "bad-name-addr";
  case Errc::BadVia: return "bad-via";
  case Errc::BadCSeq: return "bad-cseq";
  case Errc::CSeqMethodMismatch: return "cseq-method-mismatch";
  case Errc::BadCallId: return "bad-call-id";
  case Errc::BadMaxForwards: return "bad-max-forwards";
  case Errc::BadContentLength: return "bad-content-length";
  case Errc::BadContact: return "bad-contact";
  case Errc::BadDate: return "bad-date";
  case Errc::BadParam: return "bad-param";
  case Errc::BadQuotedString: return "bad-quoted-string";
  case Errc::BadNumber: return "bad-number";
  case Errc::BadSdp: return "bad-sdp";
  case Errc::BadBencode: return "bad-bencode";
  case Errc::BadRtp: return "bad-rtp";
  }
  return "unknown";
}

} // namespace gh
