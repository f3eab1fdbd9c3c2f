#include "media/relay/relay.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <future>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/log.h"
#include "media/relay/port_pool.h"
#include "media/relay/shared_state.h"
#include "media/relay/stream.h"
#include "media/relay/udp_socket.h"
#include "media/relay/worker.h"

namespace gh::media::relay {

namespace {

Unexpected<MediaError> failure(MediaErrc code, std::string reason) {
  return Unexpected<MediaError>(MediaError{code, std::move(reason)});
}

struct Interface {
  std::string name;
  net::Endpoint bind;
  std::string advertised;
  std::unique_ptr<PortPool> pool;
};

bool sameKey(const std::optional<SrtpMasterKey>& a, const std::optional<SrtpMasterKey>& b) {
  if (a.has_value() != b.has_value()) {
    return false;
  }
  if (!a) {
    return true;
  }
  auto x = a->concatenated();
  auto y = b->concatenated();
  return &a->suite() == &b->suite() && x.size() == y.size() &&
         std::equal(x.begin(), x.end(), y.begin());
}

} // namespace

class Relay::Impl {
public:
  explicit Impl(RelayConfig config) : config_(std::move(config)) {}

  ~Impl() {
    workers_.clear(); // joins, closes what is left, returns ports
    if (shared_.event_fd >= 0) {
      ::close(shared_.event_fd);
    }
  }

  MediaResult<void> init();
  MediaResult<StreamPorts> allocate(const StreamSpec& spec);
  MediaResult<void> update(StreamId id, Side side, const SideParams& params);
  MediaResult<void> setHold(StreamId id, bool on_hold);
  MediaResult<void> release(StreamId id);
  MediaResult<StreamStats> query(StreamId id);
  RelayStats stats() const;
  std::vector<RelayEvent> takeEvents();
  void everyWorker(bool scan);

  std::size_t workerCount() const { return workers_.size(); }

  int eventFd() const { return shared_.event_fd; }

private:
  struct Record {
    unsigned worker = 0;
    std::optional<SrtpMasterKey> decrypt[2];
    std::optional<SrtpMasterKey> encrypt[2];
    int family[2] = {AF_UNSPEC, AF_UNSPEC};
  };

  Interface* findInterface(const std::string& name);
  // Binds an RTP/RTCP pair on `iface`, skipping pairs another process holds.
  MediaResult<void> bindPair(Interface& iface, SideState& side, LocalPorts& local);
  void unbind(SideState& side);
  MediaResult<SrtpPtr> makeContext(const SrtpMasterKey& key, SrtpDirection direction);

  RelayConfig config_;
  SharedState shared_;
  std::vector<Interface> interfaces_;
  std::vector<std::unique_ptr<Worker>> workers_;

  mutable std::mutex mutex_; // the registry below; never taken by a worker
  std::map<StreamId, Record> streams_;
  std::vector<std::size_t> per_worker_;
  StreamId next_id_ = 1;
};

MediaResult<void> Relay::Impl::init() {
  if (config_.interfaces.empty()) {
    return failure(MediaErrc::BadRequest, "relay: no interface");
  }
  for (const auto& spec : config_.interfaces) {
    auto bind = net::Endpoint::fromIp(spec.bind_address, 0);
    if (!bind) {
      return failure(MediaErrc::BadRequest, "relay: bad bind address " + spec.bind_address);
    }
    auto pool = std::make_unique<PortPool>(spec.port_first, spec.port_last);
    if (spec.port_first == 0 || pool->totalPairs() == 0) {
      return failure(MediaErrc::BadRequest, "relay: interface " + spec.name + " has no port pair");
    }
    interfaces_.push_back(
        Interface{spec.name, *bind,
                  spec.advertised_address.empty() ? spec.bind_address : spec.advertised_address,
                  std::move(pool)});
  }
  config_.batch = std::clamp(config_.batch, 1u, 256u);
  config_.coalesce =
      std::clamp(config_.coalesce, std::chrono::microseconds(0), std::chrono::microseconds(20000));
  unsigned count = config_.workers;
  if (count == 0) {
    count = std::max(1u, std::thread::hardware_concurrency());
  }
  shared_.event_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (shared_.event_fd < 0) {
    return failure(MediaErrc::Internal, "relay: eventfd failed");
  }
  for (unsigned i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>(i, config_, shared_);
    if (!worker->start()) {
      return failure(MediaErrc::Internal, "relay: worker start failed");
    }
    workers_.push_back(std::move(worker));
  }
  per_worker_.assign(count, 0);
  GH_LOG_INFO(Module::Media, "relay: {} workers, {} interfaces", count, interfaces_.size());
  return {};
}

Interface* Relay::Impl::findInterface(const std::string& name) {
  for (auto& iface : interfaces_) {
    if (iface.name == name) {
      return &iface;
    }
  }
  return nullptr;
}

MediaResult<void> Relay::Impl::bindPair(Interface& iface, SideState& side, LocalPorts& local) {
  // Every free pair gets one try; a pair that fails goes to the back of the list.
  std::size_t tries = iface.pool->freePairs();
  for (std::size_t i = 0; i < tries; ++i) {
    auto port = iface.pool->take();
    if (!port) {
      break;
    }
    net::Endpoint rtp = iface.bind;
    rtp.setPort(*port);
    net::Endpoint rtcp = iface.bind;
    rtcp.setPort(static_cast<uint16_t>(*port + 1));
    int rtp_fd = openUdpSocket(rtp, config_.socket_buffer_bytes, shared_.sockets_open);
    int rtcp_fd = rtp_fd < 0
                      ? rtp_fd
                      : openUdpSocket(rtcp, config_.socket_buffer_bytes, shared_.sockets_open);
    if (rtp_fd >= 0 && rtcp_fd >= 0) {
      side.rtp_fd = rtp_fd;
      side.rtcp_fd = rtcp_fd;
      side.pool = iface.pool.get();
      side.rtp_port = *port;
      side.local_rtp = rtp;
      local = LocalPorts{iface.name, iface.advertised, rtp, rtcp};
      return {};
    }
    int error = rtp_fd < 0 ? -rtp_fd : -rtcp_fd;
    if (rtp_fd >= 0) {
      closeUdpSocket(rtp_fd, shared_.sockets_open);
    }
    iface.pool->giveBack(*port);
    if (error != EADDRINUSE && error != EACCES) {
      return failure(MediaErrc::Internal,
                     "relay: bind " + rtp.toString() + ": " +
                         std::error_code(error, std::generic_category()).message());
    }
    GH_LOG_DEBUG(Module::Media, "relay: port {} on {} is taken, skipped", *port, iface.name);
  }
  return failure(MediaErrc::NoPorts, "relay: no free port pair on interface " + iface.name);
}

void Relay::Impl::unbind(SideState& side) {
  closeUdpSocket(side.rtp_fd, shared_.sockets_open);
  closeUdpSocket(side.rtcp_fd, shared_.sockets_open);
  if (side.pool != nullptr) {
    side.pool->giveBack(side.rtp_port);
    side.pool = nullptr;
  }
}

MediaResult<StreamPorts> Relay::Impl::allocate(const StreamSpec& spec) {
  std::lock_guard lock(mutex_);
  Interface* a = findInterface(spec.interface_a);
  Interface* b = findInterface(spec.interface_b);
  if (a == nullptr || b == nullptr) {
    return failure(MediaErrc::UnknownInterface,
                   "relay: unknown interface " +
                       (a == nullptr ? spec.interface_a : spec.interface_b));
  }
  auto stream = std::make_unique<Stream>();
  StreamPorts ports;
  if (auto bound = bindPair(*a, stream->side[0], ports.a); !bound) {
    return Unexpected<MediaError>(bound.error());
  }
  if (auto bound = bindPair(*b, stream->side[1], ports.b); !bound) {
    unbind(stream->side[0]);
    return Unexpected<MediaError>(bound.error());
  }
  ports.id = next_id_++;
  stream->id = ports.id;
  stream->cookie = spec.cookie;
  // The least loaded worker; both sides stay on it, so forwarding never crosses threads.
  auto worker = static_cast<unsigned>(std::min_element(per_worker_.begin(), per_worker_.end()) -
                                      per_worker_.begin());
  ++per_worker_[worker];
  Record record;
  record.worker = worker;
  record.family[0] = a->bind.family();
  record.family[1] = b->bind.family();
  streams_.emplace(ports.id, std::move(record));
  workers_[worker]->post(
      makeCommand([s = std::move(stream)](Worker& w) mutable { w.addStream(std::move(s)); }));
  return ports;
}

MediaResult<SrtpPtr> Relay::Impl::makeContext(const SrtpMasterKey& key, SrtpDirection direction) {
  // A long call changes SSRC at every transfer or music-on-hold: keep the most slots and let a
  // new SSRC take the least recently used one rather than being refused for the rest of the
  // call. Inbound, only a packet that authenticated can claim a slot, so this cannot be forced.
  SrtpOptions options;
  options.max_ssrcs = kSrtpMaxSsrcs;
  options.evict_least_recent_ssrc = true;
  auto context = SrtpContext::create(key, direction, options);
  if (!context) {
    return failure(MediaErrc::Internal,
                   std::string("relay: SRTP context: ") + context.error().what);
  }
  shared_.srtp_contexts.fetch_add(1, std::memory_order_relaxed);
  return SrtpPtr(new SrtpContext(std::move(*context)), SrtpDeleter{&shared_.srtp_contexts});
}

MediaResult<void> Relay::Impl::update(StreamId id, Side side, const SideParams& params) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    return failure(MediaErrc::UnknownCall, "relay: no stream " + std::to_string(id));
  }
  Record& record = it->second;
  int index = static_cast<int>(side);
  for (const auto* remote : {&params.remote_rtp, &params.remote_rtcp}) {
    if (remote->valid() && remote->family() != record.family[index]) {
      return failure(MediaErrc::BadRequest, "relay: remote " + remote->toString() +
                                                " is not of the interface's address family");
    }
  }
  auto command = std::make_unique<SideUpdate>();
  command->side = side;
  command->remote_rtp = params.remote_rtp;
  command->remote_rtcp = params.remote_rtcp;
  command->rtcp_mux = params.rtcp_mux;
  command->clock_rate = params.clock_rate == 0 ? 8000 : params.clock_rate;
  // Same key, same context: a re-offer must not reset the ROC or the replay window.
  if (!sameKey(record.decrypt[index], params.decrypt)) {
    command->replace_decrypt = true;
    if (params.decrypt) {
      auto context = makeContext(*params.decrypt, SrtpDirection::Inbound);
      if (!context) {
        return Unexpected<MediaError>(context.error());
      }
      command->decrypt = std::move(*context);
    }
  }
  if (!sameKey(record.encrypt[index], params.encrypt)) {
    command->replace_encrypt = true;
    if (params.encrypt) {
      auto context = makeContext(*params.encrypt, SrtpDirection::Outbound);
      if (!context) {
        return Unexpected<MediaError>(context.error());
      }
      command->encrypt = std::move(*context);
    }
  }
  record.decrypt[index] = params.decrypt;
  record.encrypt[index] = params.encrypt;
  workers_[record.worker]->post(
      makeCommand([id, u = std::move(command)](Worker& w) mutable { w.applyUpdate(id, *u); }));
  return {};
}

MediaResult<void> Relay::Impl::setHold(StreamId id, bool on_hold) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    return failure(MediaErrc::UnknownCall, "relay: no stream " + std::to_string(id));
  }
  workers_[it->second.worker]->post(makeCommand([id, on_hold](Worker& w) {
    if (Stream* s = w.find(id)) {
      s->on_hold = on_hold;
    }
  }));
  return {};
}

MediaResult<void> Relay::Impl::release(StreamId id) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    return failure(MediaErrc::UnknownCall, "relay: no stream " + std::to_string(id));
  }
  unsigned worker = it->second.worker;
  --per_worker_[worker];
  streams_.erase(it);
  workers_[worker]->post(makeCommand([id](Worker& w) { w.removeStream(id); }));
  return {};
}

namespace {

SideStats sideFigures(const SideState& side) {
  SideStats out;
  out.local_rtp = side.local_rtp;
  out.remote_rtp = side.rtp.target;
  out.remote_rtcp = side.rtcp_mux ? side.rtp.target : side.rtcp.target;
  out.latched = side.rtp.latched;
  out.latch_refused = side.latch_refused;
  out.sent_packets = side.sent_packets;
  out.sent_bytes = side.sent_bytes;
  out.send_errors = side.send_errors;
  out.in = side.in.figures(side.clock_rate);
  return out;
}

} // namespace

MediaResult<StreamStats> Relay::Impl::query(StreamId id) {
  std::promise<std::optional<StreamStats>> answer;
  auto future = answer.get_future();
  {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(id);
    if (it == streams_.end()) {
      return failure(MediaErrc::UnknownCall, "relay: no stream " + std::to_string(id));
    }
    workers_[it->second.worker]->post(
        makeCommand([id, answer = std::move(answer)](Worker& w) mutable {
          Stream* s = w.find(id);
          if (s == nullptr) {
            answer.set_value(std::nullopt);
            return;
          }
          StreamStats out;
          out.id = s->id;
          out.cookie = s->cookie;
          out.on_hold = s->on_hold;
          out.timed_out = s->timed_out;
          out.a = sideFigures(s->side[0]);
          out.b = sideFigures(s->side[1]);
          answer.set_value(out);
        }));
  }
  auto result = future.get();
  if (!result) {
    return failure(MediaErrc::UnknownCall, "relay: stream " + std::to_string(id) + " released");
  }
  return *result;
}

RelayStats Relay::Impl::stats() const {
  RelayStats out;
  {
    std::lock_guard lock(mutex_);
    out.streams = streams_.size();
  }
  for (const auto& iface : interfaces_) {
    out.ports_in_use += iface.pool->inUsePairs() * 2;
    out.ports_free += iface.pool->freePairs() * 2;
  }
  out.sockets_open = shared_.sockets_open.load(std::memory_order_relaxed);
  out.srtp_contexts = shared_.srtp_contexts.load(std::memory_order_relaxed);
  out.timeouts = shared_.timeouts.load(std::memory_order_relaxed);
  for (const auto& worker : workers_) {
    const auto& c = worker->counters();
    out.packets_relayed += c.packets_relayed.load(std::memory_order_relaxed);
    out.bytes_relayed += c.bytes_relayed.load(std::memory_order_relaxed);
    out.srtp_auth_failures += c.auth_failures.load(std::memory_order_relaxed);
    out.srtp_replays += c.replays.load(std::memory_order_relaxed);
    out.dropped += c.dropped.load(std::memory_order_relaxed);
  }
  return out;
}

std::vector<RelayEvent> Relay::Impl::takeEvents() {
  std::vector<RelayEvent> out;
  std::lock_guard lock(shared_.events_mutex);
  uint64_t value = 0;
  [[maybe_unused]] auto n = ::read(shared_.event_fd, &value, sizeof value);
  out.swap(shared_.events);
  return out;
}

void Relay::Impl::everyWorker(bool scan) {
  std::vector<std::future<void>> done;
  {
    std::lock_guard lock(mutex_);
    for (auto& worker : workers_) {
      std::promise<void> promise;
      done.push_back(promise.get_future());
      worker->post(makeCommand([scan, p = std::move(promise)](Worker& w) mutable {
        if (scan) {
          w.scan(w.now());
        }
        p.set_value();
      }));
    }
  }
  for (auto& f : done) {
    f.wait();
  }
}

Relay::Relay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Relay::~Relay() = default;

MediaResult<std::unique_ptr<Relay>> Relay::create(RelayConfig config) {
  auto impl = std::make_unique<Impl>(std::move(config));
  if (auto ok = impl->init(); !ok) {
    return Unexpected<MediaError>(ok.error());
  }
  return std::unique_ptr<Relay>(new Relay(std::move(impl)));
}

MediaResult<StreamPorts> Relay::allocate(const StreamSpec& spec) {
  return impl_->allocate(spec);
}

MediaResult<void> Relay::update(StreamId id, Side side, const SideParams& params) {
  return impl_->update(id, side, params);
}

MediaResult<void> Relay::setHold(StreamId id, bool on_hold) {
  return impl_->setHold(id, on_hold);
}

MediaResult<void> Relay::release(StreamId id) {
  return impl_->release(id);
}

MediaResult<StreamStats> Relay::query(StreamId id) {
  return impl_->query(id);
}

RelayStats Relay::stats() const {
  return impl_->stats();
}

std::size_t Relay::workerCount() const {
  return impl_->workerCount();
}

std::vector<RelayEvent> Relay::takeEvents() {
  return impl_->takeEvents();
}

int Relay::eventFd() const {
  return impl_->eventFd();
}

void Relay::sync() {
  impl_->everyWorker(false);
}

void Relay::scanTimeouts() {
  impl_->everyWorker(true);
}

} // namespace gh::media::relay
