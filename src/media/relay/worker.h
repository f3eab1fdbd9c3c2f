#pragma once
// One media worker: a thread with its own epoll set, the streams (sockets, latches, SRTP
// contexts, figures) placed on it, and a command queue through which the control thread reaches
// them. Nothing here is shared with another worker, so the packet path takes no lock.

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "media/relay/relay.h"
#include "media/relay/shared_state.h"
#include "media/relay/stream.h"

namespace gh::media::relay {

class Worker;

// A control operation run on the worker thread between receive batches.
struct Command {
  virtual ~Command() = default;
  virtual void run(Worker& worker) = 0;
};

template <class F>
struct FnCommand final : Command {
  explicit FnCommand(F fn) : fn_(std::move(fn)) {}

  void run(Worker& worker) override { fn_(worker); }

  F fn_;
};

template <class F>
std::unique_ptr<Command> makeCommand(F fn) {
  return std::make_unique<FnCommand<F>>(std::move(fn));
}

// What update() hands a worker for one side; contexts are built on the control thread.
struct SideUpdate {
  Side side = Side::A;
  net::Endpoint remote_rtp;
  net::Endpoint remote_rtcp;
  bool rtcp_mux = false;
  uint32_t clock_rate = 8000;
  bool replace_decrypt = false;
  bool replace_encrypt = false;
  SrtpPtr decrypt;
  SrtpPtr encrypt;
};

// Per-worker totals, written by the worker once per batch, read by stats().
struct WorkerCounters {
  std::atomic<uint64_t> packets_relayed{0};
  std::atomic<uint64_t> bytes_relayed{0};
  std::atomic<uint64_t> auth_failures{0};
  std::atomic<uint64_t> replays{0};
  std::atomic<uint64_t> dropped{0};
};

class Worker {
public:
  Worker(unsigned index, const RelayConfig& config, SharedState& shared);
  ~Worker(); // stops the thread, then releases what is left
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  bool start(); // false when epoll/eventfd could not be created
  void post(std::unique_ptr<Command> command);

  const WorkerCounters& counters() const { return counters_; }

  // Worker thread only (from commands).
  void addStream(std::unique_ptr<Stream> stream);
  void removeStream(StreamId id);
  Stream* find(StreamId id);
  void applyUpdate(StreamId id, SideUpdate& update);
  void scan(TimePoint t);
  TimePoint now() const;

private:
  void run();
  void drainCommands();
  void onReadable(const SocketTag& tag, TimePoint t);
  void flush(int fd, mmsghdr* messages, unsigned count, SideState& to);
  void closeStream(Stream& stream);

  unsigned index_;
  const RelayConfig& config_;
  SharedState& shared_;
  unsigned batch_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  bool stopping_ = false;

  std::mutex queue_mutex_;
  std::vector<std::unique_ptr<Command>> queue_;
  std::vector<std::unique_ptr<Command>> running_; // swapped with queue_ so pushes never wait

  std::unordered_map<StreamId, std::unique_ptr<Stream>> streams_;
  WorkerCounters counters_;

  // Receive slots, reused for sending in place; the tail room takes the SRTP tag / trailer.
  std::unique_ptr<uint8_t[]> slots_;
  std::vector<mmsghdr> recv_;
  std::vector<iovec> recv_iov_;
  std::vector<net::Endpoint> sources_;
  std::vector<mmsghdr> send_rtp_;
  std::vector<mmsghdr> send_rtcp_;
  std::vector<iovec> send_iov_;
};

} // namespace gh::media::relay
