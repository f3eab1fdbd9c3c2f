#pragma once
// The signaling node: one Asio loop (this thread) running the SIP transports, the transaction
// layer and the B2BUA, plus the control socket and the signals (SIGTERM drains and stops,
// SIGHUP reloads routes, peers and allow lists).

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include "app/control_server.h"
#include "app/loop_timer_service.h"
#include "app/txn_dispatch.h"
#include "call/b2bua.h"
#include "call/media_bridge.h"
#include "call/media_hook.h"
#include "call/options_pinger.h"
#include "call/peer_health.h"
#include "config/config.h"
#include "media/ng/ng_client.h"
#include "media/service/media_service.h"
#include "net/dns_resolver.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transport/sip_transport.h"

namespace gh::app {

struct SipNodeOptions {
  std::string config_path;        // for SIGHUP reloads
  std::string control_socket;     // overrides [sbc] control_socket when not empty
  std::chrono::seconds drain{30}; // SIGTERM: how long calls may finish before BYE
};

class SipNode final : public sip::TransportCallbacks, public sip::TransactionTransport {
public:
  SipNode(std::shared_ptr<const config::Config> config, SipNodeOptions options);
  ~SipNode() override;

  // Binds every listener; false (and `why`) when one cannot be bound: nothing is left running.
  bool start(std::string& why);
  // Runs until SIGTERM/SIGINT has drained the calls. Returns the exit code.
  int run();

  std::string stats() const;
  std::string calls() const;

private:
  // TransportCallbacks
  void onMessage(sip::Message&& message, const sip::Flow& flow) override;
  void onParseError(std::string_view bytes, const Error& error, const sip::Flow& flow) override;
  void onConnectionClosed(sip::ConnectionId id, const sip::Flow& flow,
                          std::string_view reason) override;
  // TransactionTransport
  void send(const sip::Flow& flow, std::string_view bytes, sip::TxnId txn) override;

  void waitSignals();
  void reload();
  void beginShutdown();
  std::string control(std::string_view command);
  void indexTlsNames(const config::Config& config);
  bool startMedia(std::string& why);
  void mediaTick();

  std::shared_ptr<const config::Config> config_;
  SipNodeOptions options_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer shutdown_timer_;
  LoopTimerService timers_;
  asio::steady_timer media_timer_; // drives MediaService::processEvents() on this loop
  call::PassThroughMedia passthrough_;
  // When an interface has media_ports and a route anchors media: the relay and its session
  // manager, used from this (the SIP loop) thread only, and the hook the B2BUA drives it with.
  std::unique_ptr<media::MediaService> media_service_;
  std::unique_ptr<media::ng::NgClient> media_engine_; // [media] engine: a remote engine instead
  std::unique_ptr<call::MediaBridge> media_bridge_;
  std::vector<std::string> media_timed_out_; // Call-IDs, collected inside processEvents()
  std::unique_ptr<sip::SipTransport> transport_;
  std::unique_ptr<net::DnsResolver> resolver_;
  std::unique_ptr<call::B2bua> b2bua_;
  call::PeerHealth health_; // peers' targets: fed by keep-alives and calls, read by calls
  std::unique_ptr<call::OptionsPinger> pinger_;
  std::unique_ptr<TxnDispatch> dispatch_; // the layer's TU: pinger's transactions, else B2BUA's
  std::unique_ptr<sip::TransactionLayer> layer_;
  std::unique_ptr<ControlServer> control_;
  std::unordered_map<net::Endpoint, std::string> tls_names_; // peer address -> its FQDN
  bool stopping_ = false;
};

} // namespace gh::app
