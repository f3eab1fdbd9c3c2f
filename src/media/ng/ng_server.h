#pragma once
// The NG control endpoint over UDP: what Kamailio's rtpengine module (rtpengine_sock=
// "udp:host:22222") talks to. One control thread runs a blocking poll() over the socket and an
// eventfd; the eventfd wakes it for stop() and for work posted from other threads (media engine
// completions, or the service's own calls). Every MediaControl call is made on that thread.
//
//   auto server = NgServer::create(engine, {.listen = *net::Endpoint::parse("127.0.0.1:22222")});
//   if (!server) die(server.error());
//   (*server)->start();
//   ...
//   (*server)->stop(); // also in the destructor
//
// A plain poll loop rather than asio: one socket, no timers (the cookie cache expires lazily),
// and nothing to share with the other loops.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/expected.h"
#include "media/api/media_control.h"
#include "media/ng/ng_handler.h"
#include "net/endpoint.h"

namespace gh::media::ng {

struct NgServerOptions {
  net::Endpoint listen;                 // IPv4 or IPv6; port 0 picks one (tests)
  std::size_t max_datagram = 64 * 1024; // larger datagrams are dropped, not truncated
  NgHandlerOptions handler;
};

struct NgServerCounters {
  NgCounters protocol;
  uint64_t oversize = 0;    // datagrams over max_datagram, dropped
  uint64_t send_errors = 0; // replies the kernel refused (e.g. over 64 KiB)
};

class NgServer {
public:
  // Binds the socket (so a port conflict shows at startup); start() begins serving.
  static Expected<std::unique_ptr<NgServer>, std::string> create(MediaControl& media,
                                                                 NgServerOptions options);
  ~NgServer();
  NgServer(const NgServer&) = delete;
  NgServer& operator=(const NgServer&) = delete;

  void start();
  void stop(); // idempotent; joins the control thread

  // Runs `fn` on the control thread (from any thread). Dropped once stopped.
  void post(std::function<void()> fn);

  net::Endpoint localEndpoint() const { return local_; }

  NgServerCounters counters() const;

private:
  NgServer(MediaControl& media, NgServerOptions options, int socket_fd, int event_fd,
           net::Endpoint local);
  void run();
  void drainPosted();
  void receive();
  void sendTo(const net::Endpoint& peer, const std::string& reply);

  NgServerOptions options_;
  int fd_ = -1;
  int event_fd_ = -1;
  net::Endpoint local_;
  std::unique_ptr<NgHandler> handler_;
  std::vector<char> buffer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex posted_mutex_;
  std::vector<std::function<void()>> posted_;
  std::atomic<uint64_t> oversize_{0};
  std::atomic<uint64_t> send_errors_{0};
};

} // namespace gh::media::ng
