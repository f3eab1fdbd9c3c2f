#pragma once
// Internal: a TCP or TLS listening socket. Accepted sockets go to the TransportCore, which
// applies the connection caps before anything is read from them.

#include <memory>
#include <system_error>

#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>

#include "net/endpoint.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class TransportCore;

class StreamListener : public std::enable_shared_from_this<StreamListener> {
public:
  StreamListener(TransportCore& core, InterfaceIndex interface, Transport transport,
                 asio::ip::tcp::acceptor acceptor, asio::ssl::context* tls);

  void start();
  void close();

  const net::Endpoint& local() const { return local_; }

  Transport transport() const { return transport_; }

private:
  void onAccept(const std::error_code& error, asio::ip::tcp::socket socket);

  TransportCore* core_;
  InterfaceIndex interface_;
  Transport transport_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ssl::context* tls_;
  asio::steady_timer retry_;
  net::Endpoint local_;
  bool closed_ = false;
};

} // namespace gh::sip
