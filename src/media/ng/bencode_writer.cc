#include "media/ng/bencode_writer.h"

#include <fmt/format.h>

namespace gh::media::ng {

BencodeWriter& BencodeWriter::string(std::string_view bytes) {
  fmt::format_to(std::back_inserter(out_), "{}:", bytes.size());
  out_.append(bytes);
  return *this;
}

BencodeWriter& BencodeWriter::integer(int64_t value) {
  fmt::format_to(std::back_inserter(out_), "i{}e", value);
  return *this;
}

BencodeWriter& BencodeWriter::value(const BValue& v) {
  switch (v.type()) {
  case BType::Integer: return integer(v.integer());
  case BType::String: return string(v.str());
  case BType::List:
  case BType::Dict:
    // Recursion is bounded by the decoder's depth limit.
    out_.push_back(v.isList() ? 'l' : 'd');
    for (BValue child : v)
      value(child);
    return end();
  }
  return *this;
}

} // namespace gh::media::ng
