#pragma once
// Builds bencode into a string. The caller writes dictionary keys in the order it wants: replies
// use sorted keys (canonical BEP 3) where the order is fixed, and rtpengine-style order elsewhere;
// both decode the same everywhere.
//
//   BencodeWriter w;
//   w.beginDict().key("result").string("ok").key("sdp").string(sdp).end();
//   send(w.take());

#include <cstdint>
#include <string>
#include <string_view>

#include "media/ng/bencode.h"

namespace gh::media::ng {

class BencodeWriter {
public:
  BencodeWriter& beginDict() {
    out_.push_back('d');
    return *this;
  }

  BencodeWriter& beginList() {
    out_.push_back('l');
    return *this;
  }

  BencodeWriter& end() {
    out_.push_back('e');
    return *this;
  }

  BencodeWriter& string(std::string_view bytes);
  BencodeWriter& integer(int64_t value);

  BencodeWriter& key(std::string_view name) { return string(name); }

  // A value from a decoded document, re-encoded (keys in their wire order).
  BencodeWriter& value(const BValue& v);

  const std::string& str() const { return out_; }

  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

} // namespace gh::media::ng
