#include "app/control_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>

#include "common/log.h"

namespace gh::app {

namespace {

using Socket = asio::local::stream_protocol::socket;

// One connection: read a line (bounded), answer, close.
struct Session : std::enable_shared_from_this<Session> {
  Session(Socket s, const ControlServer::Handler& h) : socket(std::move(s)), handler(h) {}

  void start() {
    auto self = shared_from_this();
    asio::async_read_until(socket, input, '\n', [self](const asio::error_code& ec, std::size_t n) {
      if (ec)
        return;
      std::string line(asio::buffers_begin(self->input.data()),
                       asio::buffers_begin(self->input.data()) + static_cast<std::ptrdiff_t>(n));
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
      }
      self->output = self->handler(line);
      asio::async_write(self->socket, asio::buffer(self->output),
                        [self](const asio::error_code&, std::size_t) {
                          asio::error_code ignored;
                          self->socket.close(ignored);
                        });
    });
  }

  Socket socket;
  const ControlServer::Handler& handler;
  asio::streambuf input{4096};
  std::string output;
};

} // namespace

ControlServer::~ControlServer() {
  if (acceptor_) {
    asio::error_code ignored;
    acceptor_->close(ignored);
    std::filesystem::remove(path_, ignored);
  }
}

bool ControlServer::listen(const std::string& path, std::string& why) {
  std::error_code fs_ec;
  if (std::filesystem::exists(path, fs_ec)) {
    std::string answer, unused;
    if (controlRequest(path, "ping", answer, unused)) {
      why = "another gatehouse answers on " + path + "; stop it or set [sbc] control_socket";
      return false;
    }
    std::filesystem::remove(path, fs_ec);
  }
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty())
    std::filesystem::create_directories(parent, fs_ec);
  try {
    auto acceptor = std::make_unique<asio::local::stream_protocol::acceptor>(
        io_, asio::local::stream_protocol::endpoint(path));
    ::chmod(path.c_str(), 0660);
    acceptor_ = std::move(acceptor);
  } catch (const std::system_error& e) {
    why = "cannot listen on " + path + ": " + e.code().message();
    return false;
  }
  path_ = path;
  accept();
  return true;
}

void ControlServer::accept() {
  acceptor_->async_accept([this](const asio::error_code& ec, Socket socket) {
    if (ec == asio::error::operation_aborted)
      return;
    if (!ec)
      std::make_shared<Session>(std::move(socket), handler_)->start();
    accept();
  });
}

bool controlRequest(const std::string& path, std::string_view command, std::string& answer,
                    std::string& why) {
  asio::io_context io;
  Socket socket(io);
  asio::error_code ec;
  socket.connect(asio::local::stream_protocol::endpoint(path), ec);
  if (ec) {
    why = "cannot connect to " + path + ": " + ec.message() +
          " (is gatehouse running? is [sbc] control_socket or --control the same path?)";
    return false;
  }
  std::string line = std::string(command) + "\n";
  asio::write(socket, asio::buffer(line), ec);
  if (ec) {
    why = "cannot send to " + path + ": " + ec.message();
    return false;
  }
  asio::streambuf buffer;
  asio::read(socket, buffer, ec); // until the node closes
  if (ec && ec != asio::error::eof) {
    why = "cannot read from " + path + ": " + ec.message();
    return false;
  }
  answer.assign(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
  return true;
}

} // namespace gh::app
