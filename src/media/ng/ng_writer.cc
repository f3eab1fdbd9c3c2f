#include "media/ng/ng_writer.h"

#include <fmt/format.h>

namespace gh::media::ng {

void NgWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!open_.empty()) {
    if (!open_.back().first)
      json_.push_back(',');
    open_.back().first = false;
  }
}

NgWriter& NgWriter::beginDict() {
  if (encoding_ == Encoding::Bencode) {
    bencode_.beginDict();
    return *this;
  }
  separate();
  json_.push_back('{');
  open_.push_back({'}', true});
  return *this;
}

NgWriter& NgWriter::beginList() {
  if (encoding_ == Encoding::Bencode) {
    bencode_.beginList();
    return *this;
  }
  separate();
  json_.push_back('[');
  open_.push_back({']', true});
  return *this;
}

NgWriter& NgWriter::end() {
  if (encoding_ == Encoding::Bencode) {
    bencode_.end();
    return *this;
  }
  if (!open_.empty()) {
    json_.push_back(open_.back().close);
    open_.pop_back();
  }
  return *this;
}

NgWriter& NgWriter::key(std::string_view name) {
  if (encoding_ == Encoding::Bencode) {
    bencode_.key(name);
    return *this;
  }
  separate();
  jsonString(name);
  json_.push_back(':');
  after_key_ = true;
  return *this;
}

NgWriter& NgWriter::string(std::string_view value) {
  if (encoding_ == Encoding::Bencode) {
    bencode_.string(value);
    return *this;
  }
  separate();
  jsonString(value);
  return *this;
}

NgWriter& NgWriter::integer(int64_t value) {
  if (encoding_ == Encoding::Bencode) {
    bencode_.integer(value);
    return *this;
  }
  separate();
  fmt::format_to(std::back_inserter(json_), "{}", value);
  return *this;
}

void NgWriter::jsonString(std::string_view value) {
  json_.push_back('"');
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
    case '"': json_ += "\\\""; break;
    case '\\': json_ += "\\\\"; break;
    case '\n': json_ += "\\n"; break;
    case '\r': json_ += "\\r"; break;
    case '\t': json_ += "\\t"; break;
    default:
      if (u < 0x20)
        fmt::format_to(std::back_inserter(json_), "\\u{:04x}", u);
      else
        json_.push_back(c); // octets >= 0x80 pass through: SDP is ASCII/UTF-8 in practice
    }
  }
  json_.push_back('"');
}

std::string NgWriter::take() {
  return encoding_ == Encoding::Bencode ? bencode_.take() : std::move(json_);
}

} // namespace gh::media::ng
