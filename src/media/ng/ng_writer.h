#pragma once
// Writes an NG reply dictionary in the encoding of its request: bencode normally, JSON when the
// request was a JSON object (rtpengine answers in kind). Callers describe the structure once.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "media/ng/bencode_writer.h"

namespace gh::media::ng {

enum class Encoding : uint8_t { Bencode, Json };

class NgWriter {
public:
  explicit NgWriter(Encoding encoding) : encoding_(encoding) {}

  NgWriter& beginDict();
  NgWriter& beginList();
  NgWriter& end();
  NgWriter& key(std::string_view name);
  NgWriter& string(std::string_view value);
  NgWriter& integer(int64_t value);

  NgWriter& entry(std::string_view name, std::string_view value) { return key(name).string(value); }

  NgWriter& entry(std::string_view name, int64_t value) { return key(name).integer(value); }

  std::string take();

private:
  void separate(); // JSON: a comma before every element but the first
  void jsonString(std::string_view value);

  Encoding encoding_;
  BencodeWriter bencode_;
  std::string json_;

  struct Open {
    char close; // '}' or ']'
    bool first; // nothing written inside yet
  };

  std::vector<Open> open_; // JSON only
  bool after_key_ = false;
};

} // namespace gh::media::ng
