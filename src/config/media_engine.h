#pragma once
// [media] engine: the remote media engine `gatehouse run` drives instead of relaying media
// in-process. Today one scheme, rtpengine's NG protocol over UDP: "ng:127.0.0.1:2223",
// "ng:[::1]:2223". The scheme prefix leaves room for "ng-tcp:" without a new key.

#include <string_view>

#include "config/types.h"

namespace gh::config {

ValueResult<SocketAddress> parseMediaEngine(std::string_view text);

} // namespace gh::config
