#include "app/media_node.h"

#include <sched.h>

#include <algorithm>
#include <csignal>
#include <future>
#include <thread>

#include <fmt/format.h>

#include "common/log.h"

namespace gh::app {

namespace {

// "One media thread per core" means the cores this process may run on: under `taskset -c 0`
// (how bench_media.py pins the relay) that is 1, where hardware_concurrency() says every core.
unsigned usableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

media::relay::RelayConfig relayConfigOf(const config::Config& config, int workers_override) {
  media::relay::RelayConfig relay;
  for (const auto& iface : config.interfaces) {
    if (!iface.media_ports)
      continue;
    media::relay::RelayInterface r;
    r.name = iface.name;
    r.bind_address = config::formatIpAddress(iface.address);
    if (iface.advertise)
      r.advertised_address = config::formatIpAddress(*iface.advertise);
    r.port_first = iface.media_ports->first;
    r.port_last = iface.media_ports->last;
    relay.interfaces.push_back(std::move(r));
  }
  relay.workers =
      workers_override >= 0 ? static_cast<unsigned>(workers_override) : config.media.workers;
  if (relay.workers == 0)
    relay.workers = usableCores();
  relay.media_timeout = config.media.timeout;
  relay.silent_timeout = config.media.silent_timeout;
  return relay;
}

MediaNode::MediaNode(std::shared_ptr<const config::Config> config, MediaNodeOptions options)
    : config_(std::move(config)), options_(std::move(options)), signals_(io_), tick_timer_(io_) {}

MediaNode::~MediaNode() {
  // The NG thread uses the service: stop it first.
  if (ng_)
    ng_->stop();
  ng_.reset();
  media_.reset();
}

bool MediaNode::start(std::string& why) {
  const config::Config& c = *config_;
  if (!c.media.ng_listen) {
    why = "[media] ng_listen is not set: a media node needs its NG control address, e.g. "
          "ng_listen = \"127.0.0.1:22222\"";
    return false;
  }
  media::MediaServiceConfig service;
  service.relay = relayConfigOf(c, options_.workers);
  if (service.relay.interfaces.empty()) {
    why = "no [[interface]] has media_ports: nothing to relay on";
    return false;
  }
  service.max_calls = c.protection.max_calls;
  auto created = media::MediaService::create(std::move(service));
  if (!created) {
    why = "media relay: " + created.error().reason;
    return false;
  }
  media_ = std::move(*created);
  media_->setEventHandler(
      [this](const media::MediaEvent& event) { timed_out_.push_back(event.call_id); });
  media::ng::NgServerOptions ng;
  auto address = config::formatIpAddress(c.media.ng_listen->ip);
  auto listen = net::Endpoint::fromIp(address, c.media.ng_listen->port);
  if (!listen) {
    why = "[media] ng_listen is not an IP address";
    return false;
  }
  ng.listen = *listen;
  auto server = media::ng::NgServer::create(*media_, ng);
  if (!server) {
    why = "NG control socket " + listen->toString() + ": " + server.error();
    return false;
  }
  ng_ = std::move(*server);
  ng_->start();

  std::string control_path =
      options_.control_socket.empty() ? c.sbc.control_socket : options_.control_socket;
  if (!control_path.empty()) {
    control_ = std::make_unique<ControlServer>(
        io_, [this](std::string_view command) { return control(command); });
    std::string control_why;
    if (!control_->listen(control_path, control_why)) {
      GH_LOG_WARN(Module::Main, "control socket off: {}", control_why);
      control_.reset();
    }
  }
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.async_wait([this](const asio::error_code& ec, int) {
    if (ec)
      return;
    GH_LOG_INFO(Module::Main, "stopping the media node");
    io_.stop();
  });
  GH_LOG_INFO(Module::Main, "gatehouse media: NG on {}, {} interface(s), {} worker(s)",
              ng_->localEndpoint().toString(), relayConfigOf(c).interfaces.size(),
              media_->relay().workerCount());
  return true;
}

void MediaNode::tick() {
  // rtpengine deletes a call whose media timed out; so does a media-only node.
  ng_->post([this]() {
    media_->processEvents();
    std::vector<std::string> ended;
    ended.swap(timed_out_);
    for (const auto& call_id : ended) {
      GH_LOG_INFO(Module::Media, "call-id={} media timeout: call deleted", call_id);
      media_->remove({.call_id = call_id}, [](media::MediaResult<media::CallStats>) {});
    }
  });
  tick_timer_.expires_after(std::chrono::seconds(1));
  tick_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec)
      tick();
  });
}

int MediaNode::run() {
  tick();
  io_.run();
  return 0;
}

std::string MediaNode::onControlThread(std::function<std::string()> fn) {
  auto promise = std::make_shared<std::promise<std::string>>();
  auto future = promise->get_future();
  ng_->post([promise, fn = std::move(fn)]() { promise->set_value(fn()); });
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    return "error: the media control thread did not answer within 5 s\n";
  }
  return future.get();
}

std::string MediaNode::control(std::string_view command) {
  if (command == "ping")
    return "pong\n";
  if (command == "stats") {
    return onControlThread([this]() {
      auto g = media_->statistics();
      auto r = media_->relay().stats();
      auto ng = ng_->counters();
      return fmt::format(
          "{{\n  \"calls_active\": {},\n  \"calls_total\": {},\n  \"streams_active\": {},\n"
          "  \"ports_in_use\": {},\n  \"ports_free\": {},\n  \"sockets_open\": {},\n"
          "  \"srtp_contexts\": {},\n  \"packets_relayed\": {},\n  \"bytes_relayed\": {},\n"
          "  \"srtp_auth_failures\": {},\n  \"srtp_replays\": {},\n  \"dropped\": {},\n"
          "  \"timeouts\": {},\n  \"ng_oversize\": {},\n  \"ng_send_errors\": {}\n}}\n",
          g.calls_active, g.calls_total, r.streams, r.ports_in_use, r.ports_free, r.sockets_open,
          r.srtp_contexts, r.packets_relayed, r.bytes_relayed, r.srtp_auth_failures, r.srtp_replays,
          r.dropped, r.timeouts, ng.oversize, ng.send_errors);
    });
  }
  if (command == "calls") {
    return onControlThread([this]() {
      std::string out;
      for (const auto& id : media_->list(10000))
        out += id + "\n";
      return out.empty() ? std::string("no calls\n") : out;
    });
  }
  return fmt::format("error: unknown command '{}'; try stats, calls or ping\n", command);
}

} // namespace gh::app
