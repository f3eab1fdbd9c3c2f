#include "media/ng/bencode.h"

#include <algorithm>
#include <limits>

namespace gh::media::ng {

const BNode& BValue::node() const {
  return doc_->nodes()[index_];
}

std::string_view BValue::encoded() const {
  return node().type == BType::String ? std::string_view{} : node().bytes;
}

BValue::Iterator& BValue::Iterator::operator++() {
  index_ = doc_->nodes()[index_].end;
  return *this;
}

BValue::Iterator BValue::begin() const {
  const bool container = isList() || isDict();
  return Iterator(doc_, container ? index_ + 1 : node().end);
}

BValue::Iterator BValue::end() const {
  return Iterator(doc_, node().end);
}

std::optional<BValue> BValue::find(std::string_view key) const {
  std::optional<BValue> found;
  forEachEntry([&](std::string_view k, BValue v) {
    if (!found && k == key)
      found = v;
  });
  return found;
}

class BencodeDecoder {
public:
  BencodeDecoder(std::string_view in, const BencodeLimits& limits) : in_(in), limits_(limits) {}

  Result<BencodeDoc> run(Trailing trailing);

private:
  struct Open {
    uint32_t index;
  };

  Result<void> scalar();
  Result<void> integer();
  Result<void> string();
  Result<void> open(BType type);
  Result<void> close();
  Result<void> checkKeys(uint32_t dict) const;
  Result<uint32_t> addNode(BType type);
  void completed(uint32_t index); // a value ended: count it in its parent

  bool expectingKey() const {
    if (stack_.empty())
      return false;
    const BNode& parent = doc_.nodes_[stack_.back().index];
    return parent.type == BType::Dict && !half_entry_.back();
  }

  uint32_t at() const { return static_cast<uint32_t>(pos_); }

  std::string_view in_;
  const BencodeLimits& limits_;
  std::size_t pos_ = 0;
  BencodeDoc doc_;
  std::vector<Open> stack_;
  std::vector<bool> half_entry_; // per open dictionary: a key was read, its value is due
  bool done_ = false;
};

Result<uint32_t> BencodeDecoder::addNode(BType type) {
  if (doc_.nodes_.size() >= limits_.max_nodes)
    return fail(Errc::TooLarge, at(), "too many bencode values");
  doc_.nodes_.push_back(BNode{.type = type, .end = 0, .count = 0, .integer = 0, .bytes = {}});
  return static_cast<uint32_t>(doc_.nodes_.size() - 1);
}

void BencodeDecoder::completed(uint32_t index) {
  BNode& node = doc_.nodes_[index];
  node.end = static_cast<uint32_t>(doc_.nodes_.size());
  if (stack_.empty()) {
    done_ = true;
    return;
  }
  BNode& parent = doc_.nodes_[stack_.back().index];
  if (parent.type == BType::List) {
    ++parent.count;
  } else if (half_entry_.back()) {
    ++parent.count;
    half_entry_.back() = false;
  } else {
    half_entry_.back() = true;
  }
}

Result<void> BencodeDecoder::integer() {
  const std::size_t start = pos_;
  ++pos_; // 'i'
  bool negative = false;
  if (pos_ < in_.size() && in_[pos_] == '-') {
    negative = true;
    ++pos_;
  }
  const std::size_t digits = pos_;
  // The magnitude of INT64_MIN, so that -2^63 parses; +2^63 is caught below.
  constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;
  uint64_t value = 0;
  while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
    const uint64_t digit = static_cast<uint64_t>(in_[pos_] - '0');
    if (value > (kMaxMagnitude - digit) / 10)
      return fail(Errc::BadNumber, at(), "bencode integer out of 64-bit range");
    value = value * 10 + digit;
    ++pos_;
  }
  if (pos_ == digits)
    return fail(Errc::BadBencode, at(), "bencode integer without digits");
  if (pos_ >= in_.size())
    return fail(Errc::Truncated, at(), "unterminated bencode integer");
  if (in_[pos_] != 'e')
    return fail(Errc::BadBencode, at(), "junk inside bencode integer");
  if (in_[digits] == '0' && pos_ - digits > 1)
    return fail(Errc::BadBencode, static_cast<uint32_t>(digits), "leading zero in integer");
  if (negative && value == 0)
    return fail(Errc::BadBencode, static_cast<uint32_t>(start), "negative zero");
  if (!negative && value == kMaxMagnitude)
    return fail(Errc::BadNumber, static_cast<uint32_t>(start), "bencode integer out of range");
  ++pos_; // 'e'
  auto index = addNode(BType::Integer);
  if (!index)
    return fail(index.error());
  BNode& node = doc_.nodes_[*index];
  node.integer = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  node.bytes = in_.substr(start, pos_ - start);
  completed(*index);
  return {};
}

Result<void> BencodeDecoder::string() {
  const std::size_t start = pos_;
  const std::size_t remaining = in_.size() - pos_;
  std::size_t length = 0;
  while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
    length = length * 10 + static_cast<std::size_t>(in_[pos_] - '0');
    // Checked per digit, so the length can never wrap before it is compared with the input.
    if (length > remaining)
      return fail(Errc::Truncated, static_cast<uint32_t>(start), "string longer than input");
    ++pos_;
  }
  if (pos_ >= in_.size() || in_[pos_] != ':')
    return fail(Errc::BadBencode, at(), "string length not followed by ':'");
  if (in_[start] == '0' && pos_ - start > 1)
    return fail(Errc::BadBencode, static_cast<uint32_t>(start), "leading zero in string length");
  ++pos_; // ':'
  if (length > in_.size() - pos_)
    return fail(Errc::Truncated, static_cast<uint32_t>(start), "string longer than input");
  if (length > limits_.max_string)
    return fail(Errc::TooLarge, static_cast<uint32_t>(start), "bencode string too long");
  auto index = addNode(BType::String);
  if (!index)
    return fail(index.error());
  doc_.nodes_[*index].bytes = in_.substr(pos_, length);
  pos_ += length;
  completed(*index);
  return {};
}

Result<void> BencodeDecoder::open(BType type) {
  if (stack_.size() >= limits_.max_depth)
    return fail(Errc::TooLarge, at(), "bencode nested too deep");
  auto index = addNode(type);
  if (!index)
    return fail(index.error());
  doc_.nodes_[*index].bytes = in_.substr(pos_, 1); // widened on close
  stack_.push_back(Open{*index});
  half_entry_.push_back(false);
  ++pos_;
  return {};
}

bool BencodeDoc::duplicateKeys(uint32_t index) const {
  const BNode& node = nodes_[index];
  if (node.count < 2)
    return false;
  std::vector<std::string_view> keys;
  keys.reserve(node.count);
  for (uint32_t i = index + 1; i < node.end;) {
    keys.push_back(nodes_[i].bytes);
    i = nodes_[i].end; // the value
    i = nodes_[i].end; // the next key
  }
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

Result<void> BencodeDecoder::checkKeys(uint32_t dict) const {
  if (doc_.duplicateKeys(dict))
    return fail(Errc::BadBencode,
                static_cast<uint32_t>(doc_.nodes_[dict].bytes.data() - in_.data()),
                "duplicate dictionary key");
  return {};
}

Result<void> BencodeDecoder::close() {
  if (stack_.empty())
    return fail(Errc::BadBencode, at(), "end marker with nothing open");
  if (half_entry_.back())
    return fail(Errc::BadBencode, at(), "dictionary key without value");
  const uint32_t index = stack_.back().index;
  ++pos_; // 'e'
  stack_.pop_back();
  half_entry_.pop_back();
  BNode& node = doc_.nodes_[index];
  const std::size_t begin = static_cast<std::size_t>(node.bytes.data() - in_.data());
  node.bytes = in_.substr(begin, pos_ - begin);
  completed(index);
  if (node.type == BType::Dict)
    return checkKeys(index);
  return {};
}

Result<BencodeDoc> BencodeDecoder::run(Trailing trailing) {
  if (in_.size() > limits_.max_input)
    return fail(Errc::TooLarge, 0, "bencode input too large");
  if (in_.empty())
    return fail(Errc::Truncated, 0, "no bencode value");
  while (!done_) {
    if (pos_ >= in_.size())
      return fail(Errc::Truncated, at(), "bencode value truncated");
    const char c = in_[pos_];
    if (expectingKey() && c != 'e' && !(c >= '0' && c <= '9'))
      return fail(Errc::BadBencode, at(), "dictionary key is not a string");
    Result<void> step;
    switch (c) {
    case 'i': step = integer(); break;
    case 'l': step = open(BType::List); break;
    case 'd': step = open(BType::Dict); break;
    case 'e': step = close(); break;
    default:
      if (c >= '0' && c <= '9')
        step = string();
      else
        return fail(Errc::BadBencode, at(), "not a bencode type");
    }
    if (!step)
      return fail(step.error());
  }
  if (trailing == Trailing::Reject && pos_ != in_.size())
    return fail(Errc::BadBencode, at(), "octets after the bencode value");
  doc_.consumed_ = pos_;
  return std::move(doc_);
}

Result<BencodeDoc> decodeBencode(std::string_view input, const BencodeLimits& limits,
                                 Trailing trailing) {
  return BencodeDecoder(input, limits).run(trailing);
}

} // namespace gh::media::ng
