#pragma once
// Converts between net::Endpoint and Asio's endpoints without going through strings: both are
// a sockaddr underneath.

#include <cstring>

#include <asio/ip/basic_endpoint.hpp>

#include "net/endpoint.h"

namespace gh::net {

template <class Protocol>
asio::ip::basic_endpoint<Protocol> toAsio(const Endpoint& endpoint) {
  asio::ip::basic_endpoint<Protocol> out;
  std::memcpy(out.data(), endpoint.sockaddrPtr(), endpoint.sockaddrLength());
  out.resize(endpoint.sockaddrLength());
  return out;
}

template <class Protocol>
Endpoint fromAsio(const asio::ip::basic_endpoint<Protocol>& endpoint) {
  auto out = Endpoint::fromSockaddr(endpoint.data(), static_cast<socklen_t>(endpoint.size()));
  return out ? *out : Endpoint{};
}

} // namespace gh::net
