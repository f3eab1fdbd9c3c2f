#pragma once
// `gatehouse run` with [media] engine set: the B2BUA's media goes to a remote engine (a
// `gatehouse media` node or rtpengine) over NG, driven from the SIP loop, instead of the
// in-process relay. This file turns the [media] keys into the client and its figures into
// `gatehouse stats` lines.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/expected.h"
#include "config/config.h"
#include "media/ng/ng_client.h"

namespace asio {
class io_context;
}

namespace gh::app {

Expected<std::unique_ptr<media::ng::NgClient>, std::string>
connectMediaEngine(asio::io_context& io, const config::Config& config);

// "media_..." figures for `gatehouse stats`: what this node knows of the remote engine.
std::vector<std::pair<std::string, uint64_t>> mediaEngineFigures(media::ng::NgClient& client);

} // namespace gh::app
