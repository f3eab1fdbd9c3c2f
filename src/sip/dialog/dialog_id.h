#pragma once
// RFC 3261 §12: a dialog is identified by Call-ID, local tag and remote tag, seen from our side.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace gh::sip {

struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;

  friend bool operator==(const DialogId&, const DialogId&) = default;
};

struct DialogIdHash {
  std::size_t operator()(const DialogId& id) const noexcept {
    std::hash<std::string_view> h;
    return h(id.call_id) ^ (h(id.local_tag) * 31) ^ (h(id.remote_tag) * 1000003);
  }
};

} // namespace gh::sip
