#pragma once
// Bencode (BEP 3) decoding into a flat, zero-copy node table, as the NG control protocol uses it.
//
//   auto doc = decodeBencode(payload);          // payload must outlive doc
//   if (!doc) reply_error(doc.error().what);
//   if (auto cmd = doc->root().find("command")) use(cmd->str());
//
// Strict where BEP 3 is (no leading zeros, no "-0", no "+", 64-bit integers only, nothing after
// the value) but, like rtpengine, dictionary keys may come in any order. Duplicate keys are
// rejected: which copy a consumer would read is exactly the ambiguity a border must not guess at.
// The parse is iterative with every count bounded, so hostile nesting cannot exhaust the stack and
// no length from the input is trusted before it is checked against the input.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gh::media::ng {

struct BencodeLimits {
  std::size_t max_input = 1 << 20; // octets
  uint32_t max_depth = 128;        // nested lists/dicts; NG needs 3 or 4, the corpus asks for 64
  uint32_t max_nodes = 1 << 16;    // values of any kind, keys included
  std::size_t max_string = 1 << 20;
};

enum class BType : uint8_t { Integer, String, List, Dict };

struct BNode {
  BType type = BType::Integer;
  uint32_t end = 0;   // index one past this node's subtree (its next sibling)
  uint32_t count = 0; // list items, or dictionary entries (key + value = one entry)
  int64_t integer = 0;
  std::string_view bytes; // String: the octets; containers: the whole encoded value
};

class BencodeDoc;

// A read-only view of one value inside a BencodeDoc; cheap to copy.
class BValue {
public:
  BValue(const BencodeDoc* doc, uint32_t index) : doc_(doc), index_(index) {}

  BType type() const { return node().type; }

  bool isInt() const { return type() == BType::Integer; }

  bool isString() const { return type() == BType::String; }

  bool isList() const { return type() == BType::List; }

  bool isDict() const { return type() == BType::Dict; }

  int64_t integer() const { return node().integer; } // 0 unless isInt()

  std::string_view str() const { return isString() ? node().bytes : std::string_view{}; }

  std::string_view encoded() const; // the value's own octets in the input

  std::size_t size() const { return node().count; }

  // Dictionary lookup by exact key; nullopt when absent or when this is not a dictionary.
  std::optional<BValue> find(std::string_view key) const;

  // Children in order: list items, or dictionary keys and values alternating.
  class Iterator {
  public:
    Iterator(const BencodeDoc* doc, uint32_t index) : doc_(doc), index_(index) {}

    BValue operator*() const { return BValue(doc_, index_); }

    Iterator& operator++();

    bool operator==(const Iterator& other) const { return index_ == other.index_; }

  private:
    const BencodeDoc* doc_;
    uint32_t index_;
  };

  Iterator begin() const;
  Iterator end() const;

  // Calls fn(key, value) for every dictionary entry, in wire order.
  template <class Fn>
  void forEachEntry(Fn&& fn) const {
    if (!isDict())
      return;
    for (auto it = begin(); it != end(); ++it) {
      BValue key = *it;
      ++it;
      fn(key.str(), *it);
    }
  }

private:
  const BNode& node() const;

  const BencodeDoc* doc_;
  uint32_t index_;
};

class BencodeDoc {
public:
  BValue root() const { return BValue(this, 0); }

  const std::vector<BNode>& nodes() const { return nodes_; }

  std::size_t consumed() const { return consumed_; } // octets the top-level value took

  // True when the dictionary at `index` has a key twice (its subtree must be complete).
  bool duplicateKeys(uint32_t index) const;

private:
  friend class BencodeDecoder;
  friend class JsonDecoder;
  std::vector<BNode> nodes_;
  std::deque<std::string> owned_; // JSON strings that had escapes; a deque keeps them in place
  std::size_t consumed_ = 0;
};

enum class Trailing : uint8_t {
  Reject, // a UDP datagram: the value must end the input
  Allow,  // a stream: the value ends where it ends, consumed() says where
};

// Decodes exactly one value. Views in the result point into `input`.
Result<BencodeDoc> decodeBencode(std::string_view input, const BencodeLimits& limits = {},
                                 Trailing trailing = Trailing::Reject);

} // namespace gh::media::ng
