#include "config/media_engine.h"

namespace gh::config {

ValueResult<SocketAddress> parseMediaEngine(std::string_view text) {
  constexpr std::string_view kNg = "ng:";
  if (!text.starts_with(kNg)) {
    return Unexpected(ValueError{"engine \"" + std::string(text) + "\" has no known scheme",
                                 "write engine = \"ng:127.0.0.1:2223\" (rtpengine NG over UDP)"});
  }
  auto address = parseSocketAddress(text.substr(kNg.size()), true, 2223);
  if (!address) {
    ValueError e = address.error();
    e.message = "engine: " + e.message;
    return Unexpected(std::move(e));
  }
  if (isUnspecified(address->ip)) {
    return Unexpected(ValueError{"engine \"" + std::string(text) + "\" has no address to send to",
                                 "name the engine's NG address, e.g. ng:127.0.0.1:2223"});
  }
  return *address;
}

} // namespace gh::config
