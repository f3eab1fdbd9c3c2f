#include "media/ng/json.h"

#include <string>

namespace gh::media::ng {

class JsonDecoder {
public:
  JsonDecoder(std::string_view in, const BencodeLimits& limits) : in_(in), limits_(limits) {}

  Result<BencodeDoc> run();

private:
  struct Open {
    uint32_t index;
    bool object;
    bool half_entry; // object: key read, value due
  };

  void skipSpace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\r' || in_[pos_] == '\n'))
      ++pos_;
  }

  uint32_t at() const { return static_cast<uint32_t>(pos_); }

  Result<uint32_t> addNode(BType type);
  void completed(uint32_t index);
  Result<void> value();
  Result<void> string();
  Result<void> number();
  Result<void> literal();
  Result<bool> unicodeEscape(std::string& out);

  std::string_view in_;
  const BencodeLimits& limits_;
  std::size_t pos_ = 0;
  BencodeDoc doc_;
  std::vector<Open> stack_;
  bool done_ = false;
};

Result<uint32_t> JsonDecoder::addNode(BType type) {
  if (doc_.nodes_.size() >= limits_.max_nodes)
    return fail(Errc::TooLarge, at(), "too many JSON values");
  doc_.nodes_.push_back(BNode{.type = type, .end = 0, .count = 0, .integer = 0, .bytes = {}});
  return static_cast<uint32_t>(doc_.nodes_.size() - 1);
}

void JsonDecoder::completed(uint32_t index) {
  doc_.nodes_[index].end = static_cast<uint32_t>(doc_.nodes_.size());
  if (stack_.empty()) {
    done_ = true;
    return;
  }
  Open& parent = stack_.back();
  if (!parent.object || parent.half_entry)
    ++doc_.nodes_[parent.index].count;
  if (parent.object)
    parent.half_entry = !parent.half_entry;
}

Result<bool> JsonDecoder::unicodeEscape(std::string& out) {
  // \uXXXX as UTF-8; surrogate pairs are combined, lone surrogates rejected.
  auto hex4 = [&](std::size_t p) -> int {
    if (p + 4 > in_.size())
      return -1;
    int v = 0;
    for (std::size_t i = p; i < p + 4; ++i) {
      const char c = in_[i];
      int d = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
    return v;
  };
  int cp = hex4(pos_);
  if (cp < 0)
    return fail(Errc::BadBencode, at(), "bad \\u escape");
  pos_ += 4;
  uint32_t code = static_cast<uint32_t>(cp);
  if (code >= 0xD800 && code <= 0xDBFF) {
    if (pos_ + 6 > in_.size() || in_[pos_] != '\\' || in_[pos_ + 1] != 'u')
      return fail(Errc::BadBencode, at(), "lone surrogate");
    const int low = hex4(pos_ + 2);
    if (low < 0xDC00 || low > 0xDFFF)
      return fail(Errc::BadBencode, at(), "lone surrogate");
    pos_ += 6;
    code = 0x10000 + ((code - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
  } else if (code >= 0xDC00 && code <= 0xDFFF) {
    return fail(Errc::BadBencode, at(), "lone surrogate");
  }
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
  return true;
}

Result<void> JsonDecoder::string() {
  const std::size_t start = ++pos_; // past '"'
  std::string* owned = nullptr;
  std::size_t run = start; // start of the not-yet-copied plain run
  while (true) {
    if (pos_ >= in_.size())
      return fail(Errc::Truncated, at(), "unterminated JSON string");
    const char c = in_[pos_];
    if (c == '"')
      break;
    if (static_cast<unsigned char>(c) < 0x20)
      return fail(Errc::BadBencode, at(), "control character in JSON string");
    if (c != '\\') {
      ++pos_;
      continue;
    }
    if (!owned)
      owned = &doc_.owned_.emplace_back();
    owned->append(in_.substr(run, pos_ - run));
    if (++pos_ >= in_.size())
      return fail(Errc::Truncated, at(), "unterminated JSON escape");
    const char e = in_[pos_++];
    switch (e) {
    case '"': owned->push_back('"'); break;
    case '\\': owned->push_back('\\'); break;
    case '/': owned->push_back('/'); break;
    case 'b': owned->push_back('\b'); break;
    case 'f': owned->push_back('\f'); break;
    case 'n': owned->push_back('\n'); break;
    case 'r': owned->push_back('\r'); break;
    case 't': owned->push_back('\t'); break;
    case 'u': {
      auto ok = unicodeEscape(*owned);
      if (!ok)
        return fail(ok.error());
      break;
    }
    default: return fail(Errc::BadBencode, at(), "bad JSON escape");
    }
    run = pos_;
  }
  std::string_view bytes;
  if (owned) {
    owned->append(in_.substr(run, pos_ - run));
    bytes = *owned;
  } else {
    bytes = in_.substr(start, pos_ - start);
  }
  ++pos_; // closing '"'
  if (bytes.size() > limits_.max_string)
    return fail(Errc::TooLarge, at(), "JSON string too long");
  auto index = addNode(BType::String);
  if (!index)
    return fail(index.error());
  doc_.nodes_[*index].bytes = bytes;
  completed(*index);
  return {};
}

Result<void> JsonDecoder::number() {
  const std::size_t start = pos_;
  bool negative = false;
  if (in_[pos_] == '-') {
    negative = true;
    ++pos_;
  }
  constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;
  uint64_t value = 0;
  const std::size_t digits = pos_;
  while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
    const uint64_t d = static_cast<uint64_t>(in_[pos_] - '0');
    if (value > (kMaxMagnitude - d) / 10)
      return fail(Errc::BadNumber, at(), "JSON integer out of 64-bit range");
    value = value * 10 + d;
    ++pos_;
  }
  if (pos_ == digits || (in_[digits] == '0' && pos_ - digits > 1))
    return fail(Errc::BadNumber, at(), "bad JSON number");
  if (pos_ < in_.size() && (in_[pos_] == '.' || in_[pos_] == 'e' || in_[pos_] == 'E'))
    return fail(Errc::BadNumber, at(), "JSON number is not an integer");
  if (!negative && value == kMaxMagnitude)
    return fail(Errc::BadNumber, at(), "JSON integer out of 64-bit range");
  auto index = addNode(BType::Integer);
  if (!index)
    return fail(index.error());
  doc_.nodes_[*index].integer =
      negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  doc_.nodes_[*index].bytes = in_.substr(start, pos_ - start);
  completed(*index);
  return {};
}

Result<void> JsonDecoder::literal() {
  struct Word {
    std::string_view text;
    BType type;
    int64_t value;
  };

  static constexpr Word kWords[] = {
      {"true", BType::Integer, 1}, {"false", BType::Integer, 0}, {"null", BType::String, 0}};
  for (const Word& w : kWords) {
    if (in_.substr(pos_, w.text.size()) == w.text) {
      pos_ += w.text.size();
      auto index = addNode(w.type);
      if (!index)
        return fail(index.error());
      doc_.nodes_[*index].integer = w.value;
      completed(*index);
      return {};
    }
  }
  return fail(Errc::BadBencode, at(), "not a JSON value");
}

Result<void> JsonDecoder::value() {
  const char c = in_[pos_];
  if (c == '"')
    return string();
  if (c == '-' || (c >= '0' && c <= '9'))
    return number();
  if (c == '{' || c == '[') {
    if (stack_.size() >= limits_.max_depth)
      return fail(Errc::TooLarge, at(), "JSON nested too deep");
    auto index = addNode(c == '{' ? BType::Dict : BType::List);
    if (!index)
      return fail(index.error());
    doc_.nodes_[*index].bytes = in_.substr(pos_, 1);
    stack_.push_back({*index, c == '{', false});
    ++pos_;
    return {};
  }
  return literal();
}

Result<BencodeDoc> JsonDecoder::run() {
  if (in_.size() > limits_.max_input)
    return fail(Errc::TooLarge, 0, "JSON input too large");
  bool need_value = true; // false: after a value, a ',' or a close is due
  bool just_opened = false;
  while (!done_) {
    skipSpace();
    if (pos_ >= in_.size())
      return fail(Errc::Truncated, at(), "JSON value truncated");
    const char c = in_[pos_];
    const bool in_object = !stack_.empty() && stack_.back().object;
    const bool closing = !stack_.empty() && (c == (in_object ? '}' : ']'));
    if (closing && (!need_value || just_opened)) {
      if (in_object && stack_.back().half_entry)
        return fail(Errc::BadBencode, at(), "JSON key without value");
      const uint32_t index = stack_.back().index;
      ++pos_;
      stack_.pop_back();
      BNode& node = doc_.nodes_[index];
      const std::size_t begin = static_cast<std::size_t>(node.bytes.data() - in_.data());
      node.bytes = in_.substr(begin, pos_ - begin);
      completed(index);
      if (node.type == BType::Dict && doc_.duplicateKeys(index))
        return fail(Errc::BadBencode, at(), "duplicate JSON object key");
      need_value = false;
      just_opened = false;
      continue;
    }
    if (!need_value) {
      // After a value inside a container: ',' (or ':' after an object key).
      if (in_object && stack_.back().half_entry) {
        if (c != ':')
          return fail(Errc::BadBencode, at(), "expected ':' in JSON object");
      } else if (c != ',') {
        return fail(Errc::BadBencode, at(), "expected ',' in JSON");
      }
      ++pos_;
      need_value = true;
      just_opened = false;
      continue;
    }
    if (in_object && !stack_.back().half_entry && c != '"')
      return fail(Errc::BadBencode, at(), "JSON object key is not a string");
    const std::size_t depth = stack_.size();
    auto step = value();
    if (!step)
      return fail(step.error());
    just_opened = stack_.size() > depth;
    need_value = just_opened;
  }
  skipSpace();
  if (pos_ != in_.size())
    return fail(Errc::BadBencode, at(), "octets after the JSON value");
  doc_.consumed_ = pos_;
  return std::move(doc_);
}

Result<BencodeDoc> decodeJson(std::string_view input, const BencodeLimits& limits) {
  return JsonDecoder(input, limits).run();
}

} // namespace gh::media::ng
