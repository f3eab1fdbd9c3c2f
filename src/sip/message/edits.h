#pragma once
// An edit list against a parsed Message (Kamailio's "lumps", as a value type). The received
// bytes are never modified: edits are recorded by header index and applied when the outgoing
// message is serialized, which copies untouched lines verbatim and recomputes Content-Length.
//
//   MessageEdits edits;
//   edits.replaceValue(msg.indexOf(*msg.first(HeaderId::To)), "<sip:87000@um.example.net>");
//   edits.prepend("Via", "SIP/2.0/TLS sbc.example.com:5061;branch=z9hG4bK-1");
//   std::string out = serialize(msg, edits);

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sip/message/message.h"

namespace gh::sip {

struct SerializeOptions {
  // Stream transports need Content-Length even where a datagram could omit it.
  bool ensure_content_length = false;
};

class MessageEdits {
public:
  void replaceValue(std::size_t header_index, std::string value);
  void remove(std::size_t header_index);
  void insertBefore(std::size_t header_index, std::string name, std::string value);

  void prepend(std::string name, std::string value) {
    insertBefore(0, std::move(name), std::move(value));
  }

  void append(std::string name, std::string value);
  void replaceRequestUri(std::string uri);
  // An empty content type with an empty body removes Content-Type.
  void replaceBody(std::string body, std::string content_type);

  bool empty() const;

private:
  friend std::string serialize(const Message&, const MessageEdits&, const SerializeOptions&);

  enum class Kind : uint8_t { Replace, Remove, InsertBefore };

  struct HeaderEdit {
    std::size_t index;
    Kind kind;
    std::string name;
    std::string value;
  };

  std::vector<HeaderEdit> header_edits_;
  std::vector<std::pair<std::string, std::string>> appended_;
  std::optional<std::string> request_uri_;
  std::optional<std::string> body_;
  std::string content_type_;
};

std::string serialize(const Message& message, const MessageEdits& edits = {},
                      const SerializeOptions& options = {});

} // namespace gh::sip
