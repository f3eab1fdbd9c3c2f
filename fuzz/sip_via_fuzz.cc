// Fuzz target for the Via parser and the small header value parsers.
#include <cstdint>
#include <string_view>

#include "sip/message/values.h"
#include "sip/message/via.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto via = gh::sip::parseVia(input)) {
    (void)via->hasRfc3261Branch();
    (void)via->params.get("branch");
  }
  (void)gh::sip::parseCSeq(input);
  (void)gh::sip::isValidCallId(input);
  (void)gh::sip::isValidSipDate(input);
  (void)gh::sip::forEachToken(input, [](std::string_view) {});
  return 0;
}
