#include "app/sip_node.h"

#include <algorithm>
#include <csignal>

#include <fmt/format.h>

#include "app/media_engine.h"
#include "app/media_node.h"
#include "call/config_lookup.h"
#include "common/log.h"
#include "config/loader.h"
#include "sip/message/edits.h"
#include "sip/parser/parser.h"
#include "sip/transport/locate.h"
#include "sip/transport/via_received.h"

namespace gh::app {

namespace {

net::Endpoint toEndpoint(const config::IpAddress& ip, uint16_t port) {
  auto text = config::formatIpAddress(ip);
  return net::Endpoint::fromIp(text, port).value_or(net::Endpoint{});
}

sip::TransactionSettings transactionSettings(const config::Config& c) {
  sip::TransactionSettings s;
  s.t1 = c.timers.t1;
  s.t2 = c.timers.t2;
  s.t4 = c.timers.t4;
  s.timer_d = c.timers.timer_d;
  s.max_transactions =
      c.protection.max_transactions == 0 ? SIZE_MAX : c.protection.max_transactions;
  return s;
}

sip::TransportLimits transportLimits(const config::Config& c) {
  sip::TransportLimits l;
  l.idle_timeout = c.timers.idle_connection_timeout;
  l.max_connections = c.protection.max_connections;
  l.max_connections_per_source = c.protection.max_connections_per_source;
  return l;
}

std::optional<sip::TlsOptions> tlsOptions(const config::Interface& iface) {
  const config::TlsSettings& t = iface.tls;
  if (t.certificate.text.empty() && t.ca_bundle.text.empty())
    return std::nullopt;
  sip::TlsOptions o;
  o.certificate_file = t.certificate.path.string();
  o.private_key_file = t.private_key.path.string();
  o.ca_file = t.ca_bundle.path.string();
  o.min_version = t.min_version == config::TlsVersion::Tls13 ? sip::TlsMinVersion::Tls13
                                                             : sip::TlsMinVersion::Tls12;
  o.ciphers = t.ciphers;
  o.ciphersuites = t.ciphersuites;
  o.require_client_certificate = iface.require_client_certificate;
  return o;
}

} // namespace

SipNode::SipNode(std::shared_ptr<const config::Config> config, SipNodeOptions options)
    : config_(std::move(config)), options_(std::move(options)), signals_(io_), shutdown_timer_(io_),
      timers_(io_), media_timer_(io_) {}

SipNode::~SipNode() {
  // Calls first (they cancel timers and release media), then the layer, then the sockets.
  b2bua_.reset();
  pinger_.reset();
  layer_.reset();
  dispatch_.reset();
  resolver_.reset();
  transport_.reset();
  media_timer_.cancel();
  media_bridge_.reset();
  media_engine_.reset();  // drops NG requests still in flight
  media_service_.reset(); // stops the relay's workers
}

// The in-process media engine, when the configuration relays media: some interface has
// media_ports and some route anchors media. Without one, the B2BUA passes SDP through.
bool SipNode::startMedia(std::string& why) {
  const config::Config& c = *config_;
  bool ports = std::any_of(c.interfaces.begin(), c.interfaces.end(),
                           [](const config::Interface& i) { return i.media_ports.has_value(); });
  bool anchors = std::any_of(c.routes.begin(), c.routes.end(),
                             [](const config::Route& r) { return r.media.anchor; });
  if (anchors && c.media.engine) {
    auto engine = connectMediaEngine(io_, c);
    if (!engine) {
      why = engine.error();
      return false;
    }
    media_engine_ = std::move(*engine);
    media_bridge_ = std::make_unique<call::MediaBridge>(*media_engine_);
    // The engine dropped a call (its media timed out): BYE on both legs, as in-process.
    media_engine_->setEventHandler([this](const media::MediaEvent& event) {
      auto call = media_bridge_->callOf(event.call_id);
      if (call && b2bua_)
        b2bua_->onMediaTimeout(*call);
    });
    return true;
  }
  if (!ports || !anchors)
    return true;
  media::MediaServiceConfig service;
  service.relay = relayConfigOf(c);
  service.max_calls = c.protection.max_calls;
  auto created = media::MediaService::create(std::move(service));
  if (!created) {
    why = "media relay: " + created.error().reason;
    return false;
  }
  media_service_ = std::move(*created);
  media_bridge_ = std::make_unique<call::MediaBridge>(*media_service_);
  media_service_->setEventHandler(
      [this](const media::MediaEvent& event) { media_timed_out_.push_back(event.call_id); });
  GH_LOG_INFO(Module::Main, "media anchored in-process: {} interface(s), {} worker(s)",
              relayConfigOf(c).interfaces.size(), media_service_->relay().workerCount());
  mediaTick();
  return true;
}

// Once a second: the relay's timeouts become BYEs on both legs of their calls. The event
// handler only collects (the B2BUA's hang-up releases media, which must not re-enter the service
// inside processEvents()).
void SipNode::mediaTick() {
  media_service_->processEvents();
  std::vector<std::string> timed_out;
  timed_out.swap(media_timed_out_);
  for (const auto& call_id : timed_out) {
    auto call = media_bridge_->callOf(call_id);
    if (call && b2bua_) {
      b2bua_->onMediaTimeout(*call);
    } else {
      GH_LOG_INFO(Module::Media, "call-id={} media timeout of no call: media deleted", call_id);
      media_service_->remove({.call_id = call_id}, [](media::MediaResult<media::CallStats>) {});
    }
  }
  media_timer_.expires_after(std::chrono::seconds(1));
  media_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec)
      mediaTick();
  });
}

bool SipNode::start(std::string& why) {
  const config::Config& c = *config_;
  transport_ = std::make_unique<sip::SipTransport>(io_, *this, transportLimits(c));
  for (std::size_t i = 0; i < c.interfaces.size(); ++i) {
    const config::Interface& iface = c.interfaces[i];
    if (iface.sip.empty())
      continue;
    sip::InterfaceSettings s;
    s.index = static_cast<sip::InterfaceIndex>(i);
    s.name = iface.name;
    s.address = toEndpoint(iface.address, 0);
    for (const auto& l : iface.sip)
      s.listeners.push_back({call::toSipTransport(l.transport), l.port});
    s.tls = tlsOptions(iface);
    auto ok = transport_->addInterface(s);
    if (!ok) {
      why = fmt::format("interface '{}': {}", iface.name, ok.error().text);
      transport_.reset();
      return false;
    }
  }
  indexTlsNames(c);
  net::DnsSettings dns;
  for (const auto& server : c.sbc.dns_servers) {
    if (!dns.servers.empty())
      dns.servers += ",";
    dns.servers += server;
  }
  auto resolver = net::DnsResolver::create(io_, dns);
  if (!resolver) {
    why = "DNS resolver: " + resolver.error().text;
    transport_.reset();
    return false;
  }
  resolver_ = std::move(*resolver);
  if (!startMedia(why)) {
    resolver_.reset();
    transport_.reset();
    return false;
  }
  call::Environment env;
  env.resolve = [this](const std::string& host, std::optional<uint16_t> port,
                       sip::Transport transport, call::Environment::Resolved done) {
    resolver_->resolve(sip::serviceQuery(host, port, transport),
                       [this, host, transport, done = std::move(done)](
                           net::NetResult<std::vector<net::ResolvedTarget>> result) {
                         if (!result) {
                           done({}, result.error().text);
                           return;
                         }
                         std::vector<net::Endpoint> endpoints;
                         for (const auto& target : *result) {
                           endpoints.push_back(target.endpoint);
                           // The certificate of a peer reached by name must carry that name (RFC
                           // 5922).
                           if (transport == sip::Transport::Tls)
                             tls_names_[target.endpoint] = host;
                         }
                         done(std::move(endpoints), {});
                       });
  };
  env.local_endpoint = [this](sip::InterfaceIndex i, sip::Transport t) {
    return transport_->localEndpoint(i, t);
  };
  env.send_stateless = [this](const sip::Flow& flow, std::string bytes) {
    transport_->send(flow, std::move(bytes));
  };
  env.health = &health_;
  call::MediaHook& media =
      media_bridge_ ? static_cast<call::MediaHook&>(*media_bridge_) : passthrough_;
  pinger_ = std::make_unique<call::OptionsPinger>(timers_, health_, env);
  b2bua_ = std::make_unique<call::B2bua>(std::make_shared<call::Policy>(config_), std::move(env),
                                         timers_, media);
  dispatch_ = std::make_unique<TxnDispatch>(*b2bua_, *pinger_);
  layer_ =
      std::make_unique<sip::TransactionLayer>(timers_, *this, *dispatch_, transactionSettings(c));
  b2bua_->attach(*layer_);
  pinger_->attach(*layer_);
  pinger_->start(config_);

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
  waitSignals();
  return true;
}

void SipNode::indexTlsNames(const config::Config& c) {
  tls_names_.clear();
  for (const auto& peer : c.peers) {
    if (peer.transport == config::Transport::Tls && peer.address && !peer.fqdn.empty()) {
      tls_names_[toEndpoint(peer.address->ip, peer.port)] = peer.fqdn;
    }
    if (peer.transport != config::Transport::Tls)
      continue;
    for (const auto& target : peer.targets) {
      if (target.address)
        tls_names_[toEndpoint(target.address->ip, target.port)] = target.fqdn;
    }
  }
}

int SipNode::run() {
  GH_LOG_INFO(Module::Main, "gatehouse running: {} interface(s), {} peer(s), {} route(s){}",
              config_->interfaces.size(), config_->peers.size(), config_->routes.size(),
              control_ ? fmt::format("; control socket {}", control_->path()) : std::string{});
  io_.run();
  GH_LOG_INFO(Module::Main, "gatehouse stopped");
  return 0;
}

void SipNode::waitSignals() {
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.add(SIGHUP);
  signals_.async_wait([this](const asio::error_code& ec, int signal) {
    if (ec)
      return;
    if (signal == SIGHUP) {
      reload();
    } else {
      beginShutdown();
    }
    waitSignals();
  });
}

void SipNode::reload() {
  auto loaded = config::loadFile(options_.config_path);
  if (!loaded) {
    GH_LOG_ERROR(Module::Main, "SIGHUP: {} is not valid, keeping the running config:\n{}",
                 options_.config_path, config::formatDiagnostics(loaded.error()));
    return;
  }
  // Listeners are bound once; a reload changes routes, peers, allow lists and limits only.
  const config::Config& old = *config_;
  bool listeners_changed = loaded->interfaces.size() != old.interfaces.size();
  for (std::size_t i = 0; !listeners_changed && i < old.interfaces.size(); ++i) {
    listeners_changed = loaded->interfaces[i].name != old.interfaces[i].name ||
                        !(loaded->interfaces[i].address == old.interfaces[i].address) ||
                        loaded->interfaces[i].sip.size() != old.interfaces[i].sip.size();
  }
  if (listeners_changed) {
    GH_LOG_ERROR(Module::Main,
                 "SIGHUP: {} changes interfaces or listeners, which needs a restart; "
                 "keeping the running config",
                 options_.config_path);
    return;
  }
  if (!(loaded->media.engine == old.media.engine) ||
      loaded->media.engine_interfaces != old.media.engine_interfaces ||
      loaded->media.engine_timeout != old.media.engine_timeout) {
    GH_LOG_WARN(Module::Main, "SIGHUP: [media] engine keys changed; they apply after a restart");
  }
  config_ = std::make_shared<const config::Config>(std::move(*loaded));
  indexTlsNames(*config_);
  b2bua_->reload(std::make_shared<call::Policy>(config_));
  if (!stopping_)
    pinger_->start(config_);
  GH_LOG_INFO(Module::Main,
              "SIGHUP: reloaded {}: {} peer(s), {} route(s); {} call(s) in progress "
              "keep their routes",
              options_.config_path, config_->peers.size(), config_->routes.size(),
              b2bua_->activeCalls());
}

void SipNode::beginShutdown() {
  if (stopping_) {
    GH_LOG_WARN(Module::Main, "second stop signal: stopping now");
    io_.stop();
    return;
  }
  stopping_ = true;
  b2bua_->stopAccepting();
  pinger_->stop();
  GH_LOG_INFO(Module::Main, "stopping: no new calls; {} call(s) have {} s to end",
              b2bua_->activeCalls(), options_.drain.count());
  // Poll every 100 ms; at the drain bound, hang up what is left and give the BYEs 2 s.
  auto deadline = std::chrono::steady_clock::now() + options_.drain;
  auto hung_up = std::make_shared<bool>(false);
  // The pending wait holds the only strong reference (a self-capture would be a cycle, a leak).
  auto tick = std::make_shared<std::function<void()>>();
  std::weak_ptr<std::function<void()>> weak = tick;
  *tick = [this, deadline, hung_up, weak]() {
    auto self = weak.lock();
    if (!self)
      return;
    auto now = std::chrono::steady_clock::now();
    if (b2bua_->activeCalls() == 0 || (*hung_up && now >= deadline + std::chrono::seconds(2))) {
      io_.stop();
      return;
    }
    if (!*hung_up && now >= deadline) {
      *hung_up = true;
      b2bua_->hangUpAll("shutting down");
    }
    shutdown_timer_.expires_after(std::chrono::milliseconds(100));
    shutdown_timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec)
        (*self)();
    });
  };
  (*tick)();
}

void SipNode::onMessage(sip::Message&& message, const sip::Flow& flow) {
  // RFC 3261 §18.2.1 / RFC 3581: note the real source in the top Via, so that the responses
  // built from this request carry received= and rport= back through a NAT.
  if (message.isRequest()) {
    if (auto stamp = sip::receivedViaValue(message, flow.remote)) {
      sip::MessageEdits edits;
      edits.replaceValue(stamp->header_index, std::move(stamp->value));
      auto stamped = sip::parseMessage(sip::serialize(message, edits), sip::ParseLimits{},
                                       sip::Framing::Datagram);
      if (stamped)
        message = std::move(*stamped);
    }
  }
  b2bua_->onInbound(std::move(message), flow);
}

void SipNode::onParseError(std::string_view bytes, const Error& error, const sip::Flow& flow) {
  b2bua_->onParseError(bytes, error, flow);
}

void SipNode::onConnectionClosed(sip::ConnectionId id, const sip::Flow& flow,
                                 std::string_view reason) {
  GH_LOG_DEBUG(Module::Transport, "connection {} with {} closed: {}", id, flow.remote.toString(),
               reason);
}

void SipNode::send(const sip::Flow& flow, std::string_view bytes, sip::TxnId txn) {
  sip::Destination destination = sip::destinationOf(flow);
  if (flow.transport == sip::Transport::Tls) {
    auto name = tls_names_.find(flow.remote);
    if (name != tls_names_.end())
      destination.tls_server_name = name->second;
  }
  transport_->send(destination, std::string(bytes), [this, txn](const sip::SendResult& result) {
    if (!result && txn != 0 && layer_)
      layer_->onSendFailed(txn);
  });
}

std::string SipNode::control(std::string_view command) {
  if (command == "ping")
    return "pong\n";
  if (command == "stats")
    return stats();
  if (command == "calls")
    return calls();
  return fmt::format("error: unknown command '{}'; try stats, calls or ping\n", command);
}

std::string SipNode::stats() const {
  const auto& c = b2bua_->counters();
  const auto& t = layer_->counters();
  const auto& n = transport_->counters();
  std::string out = "{\n";
  auto line = [&out](std::string_view name, uint64_t value, bool last = false) {
    out += fmt::format("  \"{}\": {}{}\n", name, value, last ? "" : ",");
  };
  line("calls_active", c.calls_active);
  line("calls_total", c.calls_total);
  line("calls_answered", c.calls_answered);
  line("calls_failed", c.calls_failed);
  for (std::size_t k = 1; k <= 6; ++k)
    line(fmt::format("responses_sent_{}xx", k), c.responses_sent[k]);
  for (std::size_t k = 1; k <= 6; ++k) {
    line(fmt::format("responses_received_{}xx", k), c.responses_received[k]);
  }
  line("requests_received", c.requests_received);
  line("dropped_not_allowed", c.dropped_not_allowed);
  line("rate_limited_503", c.rate_limited_503);
  line("rate_limited_dropped", c.rate_limited_dropped);
  line("refused_calls_cap", c.refused_calls_cap);
  line("no_route_404", c.no_route_404);
  line("unknown_dialog_481", c.unknown_dialog_481);
  line("glare_491", c.glare_491);
  line("parse_errors_answered", c.parse_errors_answered);
  line("transactions_active", t.client_active + t.server_active);
  line("transactions_client_active", t.client_active);
  line("transactions_server_active", t.server_active);
  line("transactions_created", t.client_created + t.server_created);
  line("retransmissions_sent", t.retransmissions_sent);
  line("retransmissions_absorbed", t.retransmissions_absorbed);
  line("transaction_timeouts", t.timeouts);
  line("transport_errors", t.transport_errors);
  line("transactions_refused_over_capacity", t.refused_over_capacity);
  line("connections_open", transport_->connectionCount());
  line("connections_open_tcp", n.open_tcp);
  line("connections_open_tls", n.open_tls);
  line("connections_accepted", n.accepted);
  line("connections_refused", n.refused);
  line("connect_failures", n.connect_failures);
  line("tls_handshake_failures", n.tls_handshake_failures);
  line("datagrams_in", n.datagrams_in);
  line("datagrams_out", n.datagrams_out);
  line("messages_in", n.messages_in);
  line("transport_parse_errors", n.parse_errors);
  line("keepalives_answered", n.keepalives_answered);
  line("send_failures", n.send_failures);
  if (media_service_) {
    auto g = media_service_->statistics();
    auto r = media_service_->relay().stats();
    line("media_calls_active", g.calls_active);
    line("media_calls_total", g.calls_total);
    line("media_streams_active", r.streams);
    line("media_ports_in_use", r.ports_in_use);
    line("media_ports_free", r.ports_free);
    line("media_packets_relayed", r.packets_relayed);
    line("media_bytes_relayed", r.bytes_relayed);
    line("media_srtp_auth_failures", r.srtp_auth_failures);
    line("media_dropped", r.dropped);
    line("media_timeouts", r.timeouts);
    line("media_timeouts_hung_up", c.media_timeouts);
  }
  if (media_engine_) {
    for (const auto& [name, value] : mediaEngineFigures(*media_engine_))
      line(name, value);
    line("media_timeouts_hung_up", c.media_timeouts);
  }
  line("options_sent", pinger_->sent());
  // One entry per target of a peer with keep-alives or several targets: Teams' SIP proxies.
  out += "  \"peer_targets\": [";
  bool first = true;
  for (const call::TargetHealth& h : health_.all()) {
    out +=
        fmt::format("{}\n    {{\"peer\": \"{}\", \"target\": \"{}\", \"state\": \"{}\", "
                    "\"last_code\": {}, \"options_sent\": {}, \"options_answered\": {}, "
                    "\"options_failed\": {}, \"calls_failed_over\": {}, \"held_s\": {}}}",
                    first ? "" : ",", h.peer, h.target, call::targetStateName(h.state), h.last_code,
                    h.options_sent, h.options_answered, h.options_failed, h.calls_failed_over,
                    std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(
                                             h.hold_until - timers_.now())
                                             .count()));
    first = false;
  }
  out += first ? "],\n" : "\n  ],\n";
  line("timers_pending", timers_.pending(), true);
  out += "}\n";
  return out;
}

std::string SipNode::calls() const {
  std::string out;
  for (const auto& s : b2bua_->summaries()) {
    out += fmt::format("{} {} {:.1f}s route={} peer={} from={} to={} a-call-id={} b-call-id={}\n",
                       s.id, s.state, s.age_s, s.route, s.peer, s.from, s.to, s.a_call_id,
                       s.b_call_id);
  }
  if (out.empty())
    out = "no calls\n";
  return out;
}

} // namespace gh::app
