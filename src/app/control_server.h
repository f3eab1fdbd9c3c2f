#pragma once
// The local control socket: `gatehouse stats` and `gatehouse calls` connect to it, write one
// command line and read the answer until the node closes the connection. Unix stream socket,
// mode 0660, so only the service's user and group can read call data.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <asio/io_context.hpp>
#include <asio/local/stream_protocol.hpp>

namespace gh::app {

class ControlServer {
public:
  // Answers one command ("stats", "calls"); unknown commands get "error: ..." lines.
  using Handler = std::function<std::string(std::string_view command)>;

  ControlServer(asio::io_context& io, Handler handler) : io_(io), handler_(std::move(handler)) {}

  ~ControlServer();

  // Replaces a stale socket file left by a dead node, refuses one that a live node answers on.
  bool listen(const std::string& path, std::string& why);

  const std::string& path() const { return path_; }

private:
  void accept();

  asio::io_context& io_;
  Handler handler_;
  std::unique_ptr<asio::local::stream_protocol::acceptor> acceptor_;
  std::string path_;
};

// Client side: sends `command`, returns the answer; false with `why` when nobody answers.
bool controlRequest(const std::string& path, std::string_view command, std::string& answer,
                    std::string& why);

} // namespace gh::app
