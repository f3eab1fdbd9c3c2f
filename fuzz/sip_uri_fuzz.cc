// Fuzz target for the URI and name-addr parsers.
#include <cstdint>
#include <string_view>

#include "sip/message/name_addr.h"
#include "sip/message/uri.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto uri = gh::sip::parseUri(input)) {
    (void)uri->userUnescaped();
    (void)uri->hostAddress();
    uri->params.forEach([](const gh::sip::Param& p) { (void)p.value; });
    if (uri->raw.size() != input.size()) {
      __builtin_trap();
    }
  }
  if (auto addr = gh::sip::parseNameAddr(input)) {
    (void)addr->displayNameText();
    (void)addr->tag();
    (void)addr->params.count();
  }
  (void)gh::sip::forEachListElement(input, [](std::string_view element, std::size_t) {
    auto parsed = gh::sip::parseNameAddr(element);
    return parsed ? gh::Result<void>{} : gh::Result<void>(gh::fail(parsed.error()));
  });
  return 0;
}
