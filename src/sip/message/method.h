#pragma once
// SIP methods. Method names are case-sensitive (RFC 3261 §7.1); unknown ones are extension
// methods and keep their text.

#include <cstdint>
#include <string_view>

namespace gh::sip {

enum class Method : uint8_t {
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Prack,
  Update,
  Info,
  Refer,
  Subscribe,
  Notify,
  Message,
  Publish,
  Other
};

Method methodFromText(std::string_view text);
std::string_view methodName(Method method); // "" for Other

} // namespace gh::sip
