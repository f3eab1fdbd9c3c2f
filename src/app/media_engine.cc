#include "app/media_engine.h"

#include "common/log.h"

namespace gh::app {

Expected<std::unique_ptr<media::ng::NgClient>, std::string>
connectMediaEngine(asio::io_context& io, const config::Config& config) {
  const config::MediaSettings& m = config.media;
  if (!m.engine)
    return Unexpected(std::string("[media] engine is not set"));
  media::ng::NgClientOptions options;
  auto engine = net::Endpoint::fromIp(config::formatIpAddress(m.engine->ip), m.engine->port);
  if (!engine)
    return Unexpected(std::string("[media] engine is not an IP address"));
  options.engine = *engine;
  options.timeout = m.engine_timeout;
  // 3 tries, the gaps doubling (500 ms, 1 s) but all inside the timeout.
  options.retransmit = std::min(std::chrono::milliseconds(500), m.engine_timeout / 4);
  options.attempts = 3;
  // A call the engine ended on a media timeout is hung up here at most this much later.
  options.poll_interval = std::chrono::seconds(5);
  for (const auto& [ours, theirs] : m.engine_interfaces)
    options.interface_names[ours] = theirs;
  auto client = media::ng::NgClient::create(io, std::move(options));
  if (!client)
    return Unexpected("media engine: " + client.error());
  GH_LOG_INFO(Module::Main, "media anchored on the remote engine ng:{} (NG over UDP, {} ms)",
              (*client)->engine().toString(), m.engine_timeout.count());
  // One ping at start: an operator sees at once whether the engine answers; calls do not wait.
  media::ng::NgClient* raw = client->get();
  raw->ping([endpoint = raw->engine().toString()](media::MediaResult<void> pong) {
    if (pong) {
      GH_LOG_INFO(Module::Main, "media engine {} answers ping", endpoint);
    } else {
      GH_LOG_WARN(Module::Main, "media engine {}: {}", endpoint, pong.error().reason);
    }
  });
  return std::move(*client);
}

std::vector<std::pair<std::string, uint64_t>> mediaEngineFigures(media::ng::NgClient& client) {
  const auto g = client.statistics();
  const auto n = client.counters();
  return {{"media_calls_active", g.calls_active},
          {"media_calls_total", g.calls_total},
          {"media_engine_requests", n.requests},
          {"media_engine_pending", n.pending},
          {"media_engine_retransmissions", n.retransmissions},
          {"media_engine_timeouts", n.timeouts},
          {"media_engine_errors", n.errors},
          {"media_engine_refused", n.refused},
          {"media_engine_vanished", n.vanished},
          {"media_engine_bad_replies", n.bad_replies + n.oversize + n.unknown_cookie}};
}

} // namespace gh::app
