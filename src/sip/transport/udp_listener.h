#pragma once
// Internal: one UDP socket of an interface. Every datagram is one message (RFC 3261 §18.3);
// sends to any peer leave from the same socket, so replies come from the advertised port.

#include <array>
#include <memory>
#include <string_view>
#include <system_error>

#include <asio/ip/udp.hpp>

#include "net/endpoint.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class TransportCore;

class UdpListener : public std::enable_shared_from_this<UdpListener> {
public:
  UdpListener(TransportCore& core, InterfaceIndex interface, asio::ip::udp::socket socket);

  void start();
  void close();
  std::error_code sendTo(std::string_view bytes, const net::Endpoint& remote);

  const net::Endpoint& local() const { return local_; }

  InterfaceIndex interface() const { return interface_; }

private:
  void onReceive(const std::error_code& error, std::size_t size);

  TransportCore* core_;
  InterfaceIndex interface_;
  asio::ip::udp::socket socket_;
  net::Endpoint local_;
  asio::ip::udp::endpoint sender_;
  bool closed_ = false;
  std::array<char, 65536> buffer_{};
};

} // namespace gh::sip
