#pragma once
// The media-only node (`gatehouse media`): the relay and its session manager driven over
// rtpengine's NG protocol, a drop-in for rtpengine under Kamailio or OpenSIPS.
//
// Threads: the NG server's control thread owns the MediaService (every MediaControl call and
// the timeout processing run there); the relay's workers forward packets; this (main) thread
// runs signals, the control socket and a once-a-second tick that posts timeout processing to the
// control thread.

#include <memory>
#include <string>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include "app/control_server.h"
#include "config/config.h"
#include "media/ng/ng_server.h"
#include "media/service/media_service.h"

namespace gh::app {

struct MediaNodeOptions {
  std::string control_socket; // overrides [sbc] control_socket when not empty
  int workers = -1;           // overrides [media] workers when >= 0
};

// The relay's view of the configuration: every interface with media_ports.
media::relay::RelayConfig relayConfigOf(const config::Config& config, int workers_override = -1);

class MediaNode {
public:
  MediaNode(std::shared_ptr<const config::Config> config, MediaNodeOptions options);
  ~MediaNode();

  bool start(std::string& why);
  int run();

private:
  void tick();
  std::string control(std::string_view command);
  std::string onControlThread(std::function<std::string()> fn);

  std::shared_ptr<const config::Config> config_;
  MediaNodeOptions options_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer tick_timer_;
  std::unique_ptr<media::MediaService> media_;
  std::unique_ptr<media::ng::NgServer> ng_;
  std::unique_ptr<ControlServer> control_;
  std::vector<std::string> timed_out_; // filled by the event handler on the control thread
};

} // namespace gh::app
