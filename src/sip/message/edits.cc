#include "sip/message/edits.h"

#include <charconv>

namespace gh::sip {

void MessageEdits::replaceValue(std::size_t header_index, std::string value) {
  header_edits_.push_back({header_index, Kind::Replace, {}, std::move(value)});
}

void MessageEdits::remove(std::size_t header_index) {
  header_edits_.push_back({header_index, Kind::Remove, {}, {}});
}

void MessageEdits::insertBefore(std::size_t header_index, std::string name, std::string value) {
  header_edits_.push_back({header_index, Kind::InsertBefore, std::move(name), std::move(value)});
}

void MessageEdits::append(std::string name, std::string value) {
  appended_.emplace_back(std::move(name), std::move(value));
}

void MessageEdits::replaceRequestUri(std::string uri) {
  request_uri_ = std::move(uri);
}

void MessageEdits::replaceBody(std::string body, std::string content_type) {
  body_ = std::move(body);
  content_type_ = std::move(content_type);
}

bool MessageEdits::empty() const {
  return header_edits_.empty() && appended_.empty() && !request_uri_ && !body_;
}

namespace {

void appendLine(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void appendNumber(std::string& out, std::size_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

} // namespace

std::string serialize(const Message& msg, const MessageEdits& edits,
                      const SerializeOptions& options) {
  const bool add_length = options.ensure_content_length && !msg.hasContentLengthHeader();
  if (edits.empty() && !add_length) {
    return std::string(msg.wire());
  }
  const std::string_view data = msg.data();
  const std::string_view body = edits.body_ ? std::string_view(*edits.body_) : msg.body();
  const bool body_changed = edits.body_.has_value();

  std::string out;
  std::size_t extra = body.size() + 64;
  for (const auto& e : edits.header_edits_) {
    extra += e.name.size() + e.value.size() + 4;
  }
  for (const auto& [name, value] : edits.appended_) {
    extra += name.size() + value.size() + 4;
  }
  out.reserve(msg.headersEndOffset() - msg.beginOffset() + extra);

  if (edits.request_uri_ && msg.isRequest()) {
    out.append(msg.methodText());
    out.push_back(' ');
    out.append(*edits.request_uri_);
    out.append(" SIP/2.0\r\n");
  } else {
    out.append(data.substr(msg.beginOffset(), msg.startLineEndOffset() - msg.beginOffset()));
  }

  bool wrote_length = false;
  bool wrote_type = false;
  const auto headers = msg.headers();
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const HeaderField& h = headers[i];
    const MessageEdits::HeaderEdit* change = nullptr;
    for (const auto& e : edits.header_edits_) {
      if (e.index != i) {
        continue;
      }
      if (e.kind == MessageEdits::Kind::InsertBefore) {
        appendLine(out, e.name, e.value);
      } else if (change == nullptr || e.kind == MessageEdits::Kind::Remove) {
        change = &e;
      }
    }
    if (change != nullptr && change->kind == MessageEdits::Kind::Remove) {
      continue;
    }
    if (h.id == HeaderId::ContentLength) {
      if (wrote_length) {
        continue; // the parser allows one; never emit two
      }
      wrote_length = true;
      if (body_changed) {
        out.append(h.name);
        out.append(": ");
        appendNumber(out, body.size());
        out.append("\r\n");
        continue;
      }
    }
    if (h.id == HeaderId::ContentType && body_changed) {
      wrote_type = true;
      if (edits.content_type_.empty()) {
        if (body.empty()) {
          continue;
        }
      } else {
        appendLine(out, h.name, edits.content_type_);
        continue;
      }
    }
    if (change != nullptr) {
      appendLine(out, h.name, change->value);
    } else {
      out.append(data.substr(h.line_begin, h.line_end - h.line_begin));
    }
  }
  for (const auto& e : edits.header_edits_) {
    if (e.kind == MessageEdits::Kind::InsertBefore && e.index >= headers.size()) {
      appendLine(out, e.name, e.value);
    }
  }
  for (const auto& [name, value] : edits.appended_) {
    appendLine(out, name, value);
  }
  if (body_changed && !wrote_type && !edits.content_type_.empty() && !body.empty()) {
    appendLine(out, "Content-Type", edits.content_type_);
  }
  if (!wrote_length && (body_changed || options.ensure_content_length || !body.empty())) {
    out.append("Content-Length: ");
    appendNumber(out, body.size());
    out.append("\r\n");
  }
  // The empty line as received (CRLF, or a bare LF from a lenient peer).
  std::size_t last_line_end = headers.empty() ? msg.startLineEndOffset() : headers.back().line_end;
  out.append(data.substr(last_line_end, msg.headersEndOffset() - last_line_end));
  out.append(body);
  return out;
}

} // namespace gh::sip
