#include "call/options_pinger.h"

#include <fmt/format.h>

#include "call/config_lookup.h"
#include "call/leg.h"
#include "call/peer_targets.h"
#include "common/log.h"
#include "sip/transaction/header_text.h"
#include "sip/transaction/random_id.h"

namespace gh::call {

namespace {

// Via and Contact as on a call's B leg toward the same peer (B2bua::identityFor).
LegIdentity identityOn(const config::Config& c, std::size_t iface, const config::Peer& peer,
                       const net::Endpoint& local, sip::Transport transport) {
  LegIdentity me;
  me.transport = transport;
  me.port = local.port();
  const config::Interface& i = c.interfaces[iface];
  if (peer.identity == config::Identity::Fqdn && !c.sbc.fqdn.empty()) {
    me.host = c.sbc.fqdn;
  } else if (i.advertise) {
    me.host = config::formatIpAddress(*i.advertise);
    if (i.advertise->family == config::IpFamily::V6)
      me.host = "[" + me.host + "]";
  } else {
    me.host = local.ipForUri();
  }
  return me;
}

} // namespace

OptionsPinger::OptionsPinger(sip::TimerService& timers, PeerHealth& health, Environment env)
    : timers_(timers), health_(health), env_(std::move(env)) {}

OptionsPinger::~OptionsPinger() {
  cancelTimers();
}

void OptionsPinger::cancelTimers() {
  for (Job& job : jobs_) {
    if (job.timer != 0)
      timers_.cancel(job.timer);
    job.timer = 0;
  }
}

void OptionsPinger::start(std::shared_ptr<const config::Config> config) {
  cancelTimers();
  jobs_.clear();
  in_flight_.clear();
  ++generation_;
  config_ = std::move(config);
  for (std::size_t p = 0; p < config_->peers.size(); ++p) {
    const config::Peer& peer = config_->peers[p];
    if (peer.options_interval.count() == 0)
      continue;
    for (const config::PeerTarget& target : targetsOf(peer)) {
      Job job;
      job.peer = p;
      job.target = target;
      job.key = targetKey(target);
      job.interval = peer.options_interval;
      job.call_id = sip::makeCallId();
      job.from_tag = sip::makeTag();
      jobs_.push_back(std::move(job));
    }
  }
  for (std::size_t j = 0; j < jobs_.size(); ++j) {
    schedule(j, sip::Duration{100 * static_cast<int64_t>(j)});
  }
  if (!jobs_.empty()) {
    GH_LOG_INFO(Module::Call, "OPTIONS keep-alive to {} target(s)", jobs_.size());
  }
}

void OptionsPinger::stop() {
  cancelTimers();
  ++generation_;
}

void OptionsPinger::schedule(std::size_t j, sip::Duration delay) {
  uint64_t generation = generation_;
  jobs_[j].timer = timers_.schedule(delay, [this, j, generation]() {
    if (generation != generation_ || j >= jobs_.size())
      return;
    jobs_[j].timer = 0;
    tick(j);
  });
}

void OptionsPinger::tick(std::size_t j) {
  Job& job = jobs_[j];
  schedule(j, std::chrono::duration_cast<sip::Duration>(job.interval));
  const config::Peer& peer = config_->peers[job.peer];
  if (job.txn != 0 || job.resolving) {
    // The last one is still running (Timer F is 32 s by default): one at a time per target.
    GH_LOG_DEBUG(Module::Call, "peer '{}' target {}: previous OPTIONS still pending", peer.name,
                 job.key);
    return;
  }
  if (job.target.address) {
    auto text = config::formatIpAddress(job.target.address->ip);
    auto remote = net::Endpoint::fromIp(text, job.target.port);
    if (remote)
      send(j, *remote);
    return;
  }
  if (!env_.resolve) {
    health_.recordOptionsFailure(peer.name, job.key, "no DNS resolver");
    return;
  }
  job.resolving = true;
  uint64_t generation = generation_;
  // A peer given by FQDN alone is found by SRV, as its calls are; targets are A/AAAA names.
  std::optional<uint16_t> port = job.target.port;
  if (peer.targets.empty() && peer.use_srv)
    port.reset();
  env_.resolve(job.target.fqdn, port, toSipTransport(peer.transport),
               [this, j, generation](std::vector<net::Endpoint> targets, std::string error) {
                 if (generation != generation_ || j >= jobs_.size())
                   return;
                 Job& resolved = jobs_[j];
                 resolved.resolving = false;
                 if (targets.empty()) {
                   health_.recordOptionsFailure(config_->peers[resolved.peer].name, resolved.key,
                                                "DNS: " + error);
                   return;
                 }
                 send(j, targets.front());
               });
}

void OptionsPinger::send(std::size_t j, const net::Endpoint& remote) {
  Job& job = jobs_[j];
  const config::Config& c = *config_;
  const config::Peer& peer = c.peers[job.peer];
  const sip::Transport transport = toSipTransport(peer.transport);
  auto iface = interfaceIndex(c, peer.interface.name);
  auto local = iface && env_.local_endpoint
                   ? env_.local_endpoint(static_cast<sip::InterfaceIndex>(*iface), transport)
                   : std::nullopt;
  if (!local || layer_ == nullptr) {
    health_.recordOptionsFailure(peer.name, job.key,
                                 fmt::format("interface '{}' has no {} listener",
                                             peer.interface.name, sip::uriParam(transport)));
    return;
  }
  const LegIdentity me = identityOn(c, *iface, peer, *local, transport);
  const std::string host = job.target.fqdn.empty() ? remote.ipForUri() : job.target.fqdn;
  const std::string uri = fmt::format("sip:{}:{}{}", host, job.target.port,
                                      transport == sip::Transport::Udp
                                          ? ""
                                          : fmt::format(";transport={}", sip::uriParam(transport)));
  std::string text;
  text.reserve(512);
  fmt::format_to(std::back_inserter(text), "OPTIONS {} SIP/2.0\r\n", uri);
  fmt::format_to(std::back_inserter(text), "Via: {}\r\n", viaValue(me, sip::makeBranch()));
  fmt::format_to(std::back_inserter(text), "Max-Forwards: 70\r\n");
  fmt::format_to(std::back_inserter(text), "From: <sip:{}>;tag={}\r\n", me.host, job.from_tag);
  fmt::format_to(std::back_inserter(text), "To: <sip:{}>\r\n", host);
  fmt::format_to(std::back_inserter(text), "Call-ID: {}\r\nCSeq: {} OPTIONS\r\n", job.call_id,
                 ++job.cseq);
  fmt::format_to(std::back_inserter(text), "Contact: {}\r\n", contactValue(me));
  if (!c.sbc.user_agent.empty())
    fmt::format_to(std::back_inserter(text), "User-Agent: {}\r\n", c.sbc.user_agent);
  if (!peer.x_ms_sbc.empty())
    fmt::format_to(std::back_inserter(text), "X-MS-SBC: {}\r\n", peer.x_ms_sbc);
  text += "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n";

  sip::Flow flow;
  flow.transport = transport;
  flow.interface = static_cast<sip::InterfaceIndex>(*iface);
  flow.remote = remote;
  flow.local = *local;
  auto txn = layer_->sendRequest(text, flow);
  if (!txn) {
    health_.recordOptionsFailure(peer.name, job.key,
                                 fmt::format("cannot send: {}", sip::txnErrorName(txn.error())));
    return;
  }
  job.txn = *txn;
  in_flight_[*txn] = j;
  ++sent_;
  health_.recordOptionsSent(peer.name, job.key);
  GH_LOG_DEBUG(Module::Call, "peer '{}' target {}: OPTIONS {} to {}", peer.name, job.key, job.cseq,
               remote.toString());
}

void OptionsPinger::onResponse(sip::TxnId txn, const sip::Message& response) {
  auto it = in_flight_.find(txn);
  if (it == in_flight_.end() || response.statusCode() < 200)
    return;
  Job& job = jobs_[it->second];
  std::optional<std::chrono::seconds> retry_after;
  if (const sip::HeaderField* h = response.first(sip::HeaderId::RetryAfter))
    retry_after = parseRetryAfter(h->value);
  const std::string& peer = config_->peers[job.peer].name;
  GH_LOG_DEBUG(Module::Call, "peer '{}' target {}: OPTIONS answered {}", peer, job.key,
               response.statusCode());
  health_.recordOptionsAnswer(peer, job.key, response.statusCode(), retry_after, timers_.now());
  job.txn = 0;
  in_flight_.erase(it);
}

void OptionsPinger::onFailure(sip::TxnId txn, std::string_view why) {
  auto it = in_flight_.find(txn);
  if (it == in_flight_.end())
    return;
  Job& job = jobs_[it->second];
  health_.recordOptionsFailure(config_->peers[job.peer].name, job.key, why);
  job.txn = 0;
  in_flight_.erase(it);
}

void OptionsPinger::onTerminated(sip::TxnId txn) {
  auto it = in_flight_.find(txn);
  if (it == in_flight_.end())
    return;
  jobs_[it->second].txn = 0;
  in_flight_.erase(it);
}

} // namespace gh::call
