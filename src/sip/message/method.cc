#include "sip/message/method.h"

#include <array>

namespace gh::sip {
namespace {
constexpr std::array<std::string_view, 14> kMethodNames = {
    "INVITE", "ACK",  "BYE",   "CANCEL",    "OPTIONS", "REGISTER", "PRACK",
    "UPDATE", "INFO", "REFER", "SUBSCRIBE", "NOTIFY",  "MESSAGE",  "PUBLISH"};
}

Method methodFromText(std::string_view text) {
  for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == text) {
      return static_cast<Method>(i);
    }
  }
  return Method::Other;
}

std::string_view methodName(Method method) {
  auto i = static_cast<std::size_t>(method);
  return i < kMethodNames.size() ? kMethodNames[i] : std::string_view{};
}

} // namespace gh::sip
