#pragma once
// Non-blocking UDP sockets for media, counted so tests can prove that a release closed them.

#include <atomic>
#include <cstdint>

#include "net/endpoint.h"

namespace gh::media::relay {

// Binds `address` (its port included); returns the fd or -errno. EADDRINUSE means the port is
// held by someone else and the caller should try another pair.
int openUdpSocket(const net::Endpoint& address, int buffer_bytes, std::atomic<uint64_t>& open);
void closeUdpSocket(int& fd, std::atomic<uint64_t>& open);

} // namespace gh::media::relay
