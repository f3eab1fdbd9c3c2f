#pragma once
// A parsed SIP message. It owns its bytes; the start line, every header and the body are views
// into them, and typed values (Via, From, CSeq ...) are parsed from those views on demand.
// The parser (sip/parser) has already validated every typed header it checks, so the accessors
// for mandatory headers return plain values.
//
//   auto msg = parseMessage(datagram, limits);           // sip/parser/parser.h
//   if (msg->isRequest() && msg->method() == Method::Invite) {
//     auto via = msg->topVia();  auto to = msg->to();  std::string_view sdp = msg->body();
//   }

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sip/message/header_id.h"
#include "sip/message/method.h"
#include "sip/message/name_addr.h"
#include "sip/message/uri.h"
#include "sip/message/values.h"
#include "sip/message/via.h"

namespace gh::sip {

struct HeaderField {
  HeaderId id = HeaderId::Other;
  std::string_view name;   // as written
  std::string_view value;  // without surrounding white space; folds inside are kept
  uint32_t line_begin = 0; // offset of the header's first byte within Message::data()
  uint32_t line_end = 0;   // one past the line terminator of its last (folded) line
};

// What the parser found, as views into the bytes the Message will own.
struct MessageIndex {
  bool is_request = true;
  Method method = Method::Other;
  std::string_view method_text;
  std::string_view request_uri;
  uint16_t status_code = 0;
  std::string_view reason;
  uint32_t begin = 0;          // first byte of the start line (leading CRLFs are skipped)
  uint32_t start_line_end = 0; // after the start line's terminator
  uint32_t headers_end = 0;    // after the empty line
  uint32_t body_size = 0;
  uint32_t ignored_trailing = 0; // datagram bytes after the body (RFC 3261 §18.3)
  bool has_content_length = false;
  std::vector<HeaderField> headers;
};

class Message {
public:
  Message(std::unique_ptr<char[]> bytes, uint32_t size, MessageIndex index);
  Message(Message&&) noexcept = default;
  Message& operator=(Message&&) noexcept = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  ~Message() = default;

  bool isRequest() const { return index_.is_request; }

  bool isResponse() const { return !index_.is_request; }

  // For a response, the method of the request it answers (from CSeq).
  Method method() const;
  std::string_view methodText() const;

  std::string_view requestUriText() const { return index_.request_uri; }

  UriView requestUri() const; // validated by the parser

  uint16_t statusCode() const { return index_.status_code; }

  std::string_view reasonPhrase() const { return index_.reason; }

  std::string_view startLine() const; // without its line terminator

  std::span<const HeaderField> headers() const { return index_.headers; }

  const HeaderField* first(HeaderId id) const;
  // Unknown headers are found by name (case-insensitive).
  const HeaderField* first(std::string_view name) const;
  std::size_t count(HeaderId id) const;
  std::size_t indexOf(const HeaderField& field) const;

  std::string_view body() const;

  bool hasContentLengthHeader() const { return index_.has_content_length; }

  // The framed message: start line to the end of the body, without ignored trailing octets.
  std::string_view wire() const;

  std::string_view data() const { return {bytes_.get(), size_}; }

  uint32_t ignoredTrailingBytes() const { return index_.ignored_trailing; }

  uint32_t beginOffset() const { return index_.begin; }

  uint32_t headersEndOffset() const { return index_.headers_end; }

  uint32_t startLineEndOffset() const { return index_.start_line_end; }

  // Typed access to headers the parser validated.
  ViaView topVia() const;
  std::vector<ViaView> vias() const;
  NameAddrView from() const;
  NameAddrView to() const;
  std::string_view callId() const;
  CSeqView cseq() const;
  std::optional<uint32_t> maxForwards() const;
  std::string_view contentType() const;
  bool isContactStar() const;
  std::vector<NameAddrView> contacts() const;
  std::vector<NameAddrView> routes() const;
  std::vector<NameAddrView> recordRoutes() const;
  // Headers parsed on demand (not validated by the parser): errors are returned.
  Result<std::vector<std::string_view>> tokens(HeaderId id) const; // Supported, Require, Allow ...
  Result<std::optional<uint32_t>> expires() const;
  Result<std::vector<NameAddrView>> nameAddrs(HeaderId id) const; // e.g. P-Asserted-Identity

private:
  std::vector<NameAddrView> validatedNameAddrs(HeaderId id) const;

  std::unique_ptr<char[]> bytes_;
  uint32_t size_ = 0;
  MessageIndex index_;
};

} // namespace gh::sip
