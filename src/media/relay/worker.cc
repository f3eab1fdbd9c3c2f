#include "media/relay/worker.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

#include "common/log.h"
#include "media/relay/udp_socket.h"
#include "media/rtp/rtp_header.h"

namespace gh::media::relay {

namespace {

constexpr std::size_t kSlotSize = 2048;
// Largest growth of a packet: SRTCP trailer (4) plus the longest tag (16), rounded up.
constexpr std::size_t kTailRoom = 64;
constexpr int kMaxEvents = 128;
// Receive rounds per readable socket before others get a turn (fairness under load).
constexpr int kRoundsPerWakeup = 4;

uint16_t read16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

uint32_t read32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

} // namespace

Worker::Worker(unsigned index, const RelayConfig& config, SharedState& shared)
    : index_(index), config_(config), shared_(shared), batch_(config.batch) {
  slots_ = std::make_unique<uint8_t[]>(kSlotSize * batch_);
  recv_.resize(batch_);
  recv_iov_.resize(batch_);
  sources_.resize(batch_);
  send_rtp_.resize(batch_);
  send_rtcp_.resize(batch_);
  send_iov_.resize(batch_);
  for (unsigned j = 0; j < batch_; ++j) {
    recv_iov_[j] = {slots_.get() + j * kSlotSize, kSlotSize - kTailRoom};
    std::memset(&recv_[j], 0, sizeof recv_[j]);
    recv_[j].msg_hdr.msg_iov = &recv_iov_[j];
    recv_[j].msg_hdr.msg_iovlen = 1;
    recv_[j].msg_hdr.msg_name = sources_[j].sockaddrPtr();
  }
}

Worker::~Worker() {
  if (thread_.joinable()) {
    post(makeCommand([](Worker& w) { w.stopping_ = true; }));
    thread_.join();
  }
  // Commands that never ran free what they carry (contexts) when destroyed here.
  queue_.clear();
  for (auto& [id, stream] : streams_) {
    closeStream(*stream);
  }
  streams_.clear();
  if (wake_fd_ >= 0) {
    ::close(wake_fd_);
  }
  if (epoll_fd_ >= 0) {
    ::close(epoll_fd_);
  }
}

bool Worker::start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr; // the wake-up fd is the only one without a tag
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    return false;
  }
  thread_ = std::thread([this] { run(); });
  return true;
}

void Worker::post(std::unique_ptr<Command> command) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(command));
  }
  uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

TimePoint Worker::now() const {
  return config_.clock ? config_.clock() : Clock::now();
}

void Worker::run() {
  GH_LOG_DEBUG(Module::Media, "relay worker {} running", index_);
  epoll_event events[kMaxEvents];
  auto next_scan = Clock::now() + config_.scan_interval;
  while (!stopping_) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_scan - Clock::now());
    int timeout = wait.count() < 0 ? 0 : static_cast<int>(wait.count());
    int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, timeout);
    TimePoint t = now();
    bool woken = false;
    bool forwarded = false;
    for (int i = 0; i < n; ++i) {
      auto* tag = static_cast<const SocketTag*>(events[i].data.ptr);
      if (tag == nullptr) {
        woken = true;
      } else {
        onReadable(*tag, t);
        forwarded = true;
      }
    }
    // Commands run after the batch: a release must not free a stream that a later event of the
    // same epoll_wait still points to.
    if (woken) {
      drainCommands();
    }
    if (forwarded && config_.coalesce.count() > 0) {
      timespec pause{0, static_cast<long>(config_.coalesce.count()) * 1000};
      ::clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, nullptr);
    }
    if (Clock::now() >= next_scan) {
      scan(now());
      next_scan = Clock::now() + config_.scan_interval;
    }
  }
  GH_LOG_DEBUG(Module::Media, "relay worker {} stopped", index_);
}

void Worker::drainCommands() {
  uint64_t value = 0;
  [[maybe_unused]] auto n = ::read(wake_fd_, &value, sizeof value);
  {
    std::lock_guard lock(queue_mutex_);
    running_.swap(queue_);
  }
  for (auto& command : running_) {
    command->run(*this);
  }
  running_.clear();
}

void Worker::addStream(std::unique_ptr<Stream> stream) {
  Stream& s = *stream;
  s.last_activity = now();
  int fds[4] = {s.side[0].rtp_fd, s.side[0].rtcp_fd, s.side[1].rtp_fd, s.side[1].rtcp_fd};
  for (int i = 0; i < 4; ++i) {
    s.tags[i] = SocketTag{&s, static_cast<uint8_t>(i / 2), (i % 2) == 1};
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &s.tags[i];
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fds[i], &ev) != 0) {
      GH_LOG_ERROR(Module::Media, "relay stream {}: epoll_ctl: {}", s.id,
                   std::error_code(errno, std::generic_category()).message());
    }
  }
  streams_.emplace(s.id, std::move(stream));
}

void Worker::closeStream(Stream& stream) {
  for (auto& side : stream.side) {
    for (int* fd : {&side.rtp_fd, &side.rtcp_fd}) {
      if (*fd >= 0 && epoll_fd_ >= 0) {
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, *fd, nullptr);
      }
      closeUdpSocket(*fd, shared_.sockets_open);
    }
    if (side.pool != nullptr) {
      side.pool->giveBack(side.rtp_port);
      side.pool = nullptr;
    }
    side.decrypt.reset();
    side.encrypt.reset();
  }
}

void Worker::removeStream(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    return;
  }
  closeStream(*it->second);
  streams_.erase(it);
}

Stream* Worker::find(StreamId id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second.get();
}

void Worker::applyUpdate(StreamId id, SideUpdate& update) {
  Stream* stream = find(id);
  if (stream == nullptr) {
    return;
  }
  SideState& side = stream->side[static_cast<int>(update.side)];
  net::Endpoint rtcp_target = update.remote_rtcp;
  if (!rtcp_target.valid() && update.remote_rtp.valid()) {
    rtcp_target = update.remote_rtp;
    if (!update.rtcp_mux) {
      rtcp_target.setPort(static_cast<uint16_t>(update.remote_rtp.port() + 1));
    }
  }
  // A re-offer that keeps the endpoint keeps the latch; a new endpoint starts over.
  if (!side.configured || !(update.remote_rtp == side.sdp_rtp)) {
    side.rtp.reset(update.remote_rtp);
  }
  if (!side.configured || !(rtcp_target == side.sdp_rtcp) || update.rtcp_mux != side.rtcp_mux) {
    side.rtcp.reset(rtcp_target);
  }
  side.sdp_rtp = update.remote_rtp;
  side.sdp_rtcp = rtcp_target;
  side.rtcp_mux = update.rtcp_mux;
  side.clock_rate = update.clock_rate;
  if (update.replace_decrypt) {
    side.decrypt = std::move(update.decrypt);
  }
  if (update.replace_encrypt) {
    side.encrypt = std::move(update.encrypt);
  }
  side.configured = true;
  stream->timed_out = false;
  stream->last_activity = now();
}

void Worker::scan(TimePoint t) {
  for (auto& [id, stream] : streams_) {
    if (stream->timed_out) {
      continue;
    }
    auto limit = stream->on_hold
                     ? std::chrono::duration_cast<Clock::duration>(config_.silent_timeout)
                     : std::chrono::duration_cast<Clock::duration>(config_.media_timeout);
    if (t - stream->last_activity >= limit) {
      stream->timed_out = true;
      shared_.timeouts.fetch_add(1, std::memory_order_relaxed);
      auto kind = stream->on_hold ? RelayEvent::Kind::SilentTimeout : RelayEvent::Kind::Timeout;
      GH_LOG_INFO(Module::Media, "relay stream {} timed out ({})", id,
                  stream->on_hold ? "silent, on hold" : "no media");
      shared_.pushEvent(RelayEvent{kind, id, stream->cookie});
    }
  }
}

void Worker::onReadable(const SocketTag& tag, TimePoint t) {
  Stream& stream = *tag.stream;
  SideState& from = stream.side[tag.side];
  SideState& to = stream.side[tag.side ^ 1];
  const int fd = tag.rtcp ? from.rtcp_fd : from.rtp_fd;
  Latch& latch = tag.rtcp ? from.rtcp : from.rtp;
  const double arrival = std::chrono::duration<double>(t.time_since_epoch()).count();

  for (int round = 0; round < kRoundsPerWakeup; ++round) {
    for (unsigned j = 0; j < batch_; ++j) {
      recv_[j].msg_hdr.msg_namelen = net::Endpoint::capacity();
    }
    int got = ::recvmmsg(fd, recv_.data(), batch_, MSG_DONTWAIT, nullptr);
    if (got <= 0) {
      return;
    }
    unsigned n_rtp = 0;
    unsigned n_rtcp = 0;
    uint64_t auth_failures = 0;
    uint64_t replays = 0;
    uint64_t dropped = 0;
    const auto received = static_cast<unsigned>(got);
    for (unsigned j = 0; j < received; ++j) {
      uint8_t* p = slots_.get() + std::size_t{j} * kSlotSize;
      std::size_t len = recv_[j].msg_len;
      const std::size_t wire_len = len;
      if ((recv_[j].msg_hdr.msg_flags & MSG_TRUNC) != 0 || len < kRtcpHeaderSize ||
          (p[0] >> 6) != kRtpVersion || !from.configured || !to.configured) {
        ++dropped;
        continue;
      }
      const bool rtcp = tag.rtcp || (from.rtcp_mux && looksLikeRtcp({p, len}));
      if (!rtcp && len < kRtpFixedHeaderSize) {
        ++dropped;
        continue;
      }
      if (from.decrypt) {
        std::span<uint8_t> buf(p, kSlotSize);
        auto plain =
            rtcp ? from.decrypt->unprotectRtcp(buf, len) : from.decrypt->unprotectRtp(buf, len);
        if (!plain) {
          switch (srtpFailureOf(plain.error())) {
          case SrtpFailure::AuthFailed: ++auth_failures; break;
          case SrtpFailure::Replayed:
          case SrtpFailure::TooOld: ++replays; break;
          default: ++dropped; break;
          }
          continue;
        }
        len = *plain;
      }
      // After authentication, so a forged packet can never move the latch.
      if (!latch.accept(sources_[j], t, config_.latch)) {
        ++from.latch_refused;
        ++dropped;
        continue;
      }
      if (rtcp) {
        from.in.onRtcp(p, len);
      } else {
        from.in.onRtp(read16(p + 2), read32(p + 4), read32(p + 8), wire_len, arrival,
                      from.clock_rate);
      }
      from.in.last_packet = t;
      stream.last_activity = t;

      const bool via_rtcp = rtcp && !to.rtcp_mux;
      const net::Endpoint& target = via_rtcp ? to.rtcp.target : to.rtp.target;
      if (!target.valid()) {
        ++dropped;
        continue;
      }
      if (to.encrypt) {
        std::span<uint8_t> buf(p, kSlotSize);
        auto sealed = rtcp ? to.encrypt->protectRtcp(buf, len) : to.encrypt->protectRtp(buf, len);
        if (!sealed) {
          ++dropped;
          continue;
        }
        len = *sealed;
      }
      send_iov_[j] = {p, len};
      mmsghdr& m = via_rtcp ? send_rtcp_[n_rtcp++] : send_rtp_[n_rtp++];
      m.msg_hdr = {};
      m.msg_hdr.msg_iov = &send_iov_[j];
      m.msg_hdr.msg_iovlen = 1;
      m.msg_hdr.msg_name = const_cast<sockaddr*>(target.sockaddrPtr());
      m.msg_hdr.msg_namelen = target.sockaddrLength();
    }
    from.in.auth_failures += auth_failures;
    from.in.replays += replays;
    from.in.dropped += dropped;
    if (n_rtp > 0) {
      flush(to.rtp_fd, send_rtp_.data(), n_rtp, to);
    }
    if (n_rtcp > 0) {
      flush(to.rtcp_fd, send_rtcp_.data(), n_rtcp, to);
    }
    if (auth_failures + replays + dropped > 0) {
      bump(counters_.auth_failures, auth_failures);
      bump(counters_.replays, replays);
      bump(counters_.dropped, dropped);
    }
    if (received < batch_) {
      return;
    }
  }
}

void Worker::flush(int fd, mmsghdr* messages, unsigned count, SideState& to) {
  unsigned done = 0;
  uint64_t sent = 0;
  uint64_t bytes = 0;
  uint64_t failed = 0;
  while (done < count) {
    int n = ::sendmmsg(fd, messages + done, count - done, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      ++failed; // the first message of the rest could not go; skip it and go on
      ++done;
      continue;
    }
    for (unsigned i = 0; i < static_cast<unsigned>(n); ++i) {
      bytes += messages[done + i].msg_len;
    }
    sent += static_cast<uint64_t>(n);
    done += static_cast<unsigned>(n);
  }
  to.sent_packets += sent;
  to.sent_bytes += bytes;
  to.send_errors += failed;
  bump(counters_.packets_relayed, sent);
  bump(counters_.bytes_relayed, bytes);
  if (failed > 0) {
    bump(counters_.dropped, failed);
  }
}

} // namespace gh::media::relay
