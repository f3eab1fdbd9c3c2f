#pragma once
// Parameter lists (";name=value;flag") as validated views. The text is checked once when the
// enclosing header is parsed; lookups then rescan it, which for the handful of parameters a
// SIP element carries is cheaper than building a container.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.h"

namespace gh::sip {

struct Param {
  std::string_view name;
  std::string_view value; // raw: escapes and quotes kept
  bool has_value = false;
};

class ParamsView {
public:
  // Uri: uri-parameter rules (no white space, escapes allowed).
  // Header: generic-param rules (SWS around ';' and '=', quoted-string values).
  enum class Kind : uint8_t { Uri, Header };

  ParamsView() = default;

  ParamsView(std::string_view raw, Kind kind) : raw_(raw), kind_(kind) {}

  std::string_view raw() const { return raw_; }

  bool empty() const { return raw_.empty(); }

  // The value of the first parameter named `name` (case-insensitive); "" for a flag parameter.
  std::optional<std::string_view> get(std::string_view name) const;

  bool has(std::string_view name) const { return get(name).has_value(); }

  std::size_t count() const;

  template <class Fn>
  void forEach(Fn&& fn) const {
    std::size_t pos = 0;
    Param p;
    while (next(pos, p)) {
      fn(p);
    }
  }

private:
  bool next(std::size_t& pos, Param& out) const;

  std::string_view raw_;
  Kind kind_ = Kind::Header;
};

// Validates uri-parameters starting at s[pos] (which is ';' or the end of the URI part).
// Returns the position after the last parameter.
Result<std::size_t> scanUriParams(std::string_view s, std::size_t pos);
// Validates generic-params starting at s[pos] (white space before ';' allowed). Returns the
// position after the last parameter and its trailing white space.
Result<std::size_t> scanHeaderParams(std::string_view s, std::size_t pos);

} // namespace gh::sip
