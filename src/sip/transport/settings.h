#pragma once
// The plain settings a SipTransport is built from. app/ maps the configuration onto them
// (config::Interface -> InterfaceSettings, config::TlsSettings -> TlsOptions, Timers and
// Protection -> TransportLimits), so the transport never depends on config/.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.h"
#include "sip/parser/limits.h"
#include "sip/transport/flow.h"

namespace gh::sip {

enum class TlsMinVersion : uint8_t { Tls12, Tls13 };

struct TlsOptions {
  std::string certificate_file; // PEM, leaf first then intermediates; also our client certificate
  std::string private_key_file; // PEM
  std::string ca_file;          // PEM trust anchors for peers and clients; empty = system store
  TlsMinVersion min_version = TlsMinVersion::Tls12;
  std::string ciphers;      // OpenSSL cipher list (TLS 1.2); empty = OpenSSL's default
  std::string ciphersuites; // TLS 1.3 suites; empty = OpenSSL's default
  // Listeners on this interface ask for a client certificate and refuse a connection without a
  // valid one (mutual TLS, as Microsoft's side requires).
  bool require_client_certificate = false;
};

struct ListenerSpec {
  Transport transport = Transport::Udp;
  uint16_t port = 5060; // 0 = any free port (tests); localEndpoint() tells which
};

struct InterfaceSettings {
  InterfaceIndex index = 0; // the value Flow::interface carries
  std::string name;         // for log lines
  net::Endpoint address;    // bind address for listeners and outbound connections; port ignored
  std::vector<ListenerSpec> listeners;
  // Needed by TLS listeners and by outbound TLS connections from this interface.
  std::optional<TlsOptions> tls;
};

struct TransportLimits {
  ParseLimits parse;                               // also bounds each connection's receive buffer
  std::chrono::seconds idle_timeout{600};          // TCP/TLS without traffic; 0 = never close
  std::chrono::milliseconds connect_timeout{5000}; // TCP connect, then again for the TLS handshake
  uint32_t max_connections = 10000;                // inbound + outbound; 0 = unlimited
  uint32_t max_connections_per_source = 100;       // inbound, per remote IP; 0 = unlimited
  std::size_t max_send_queue_bytes = 1 << 20;      // per connection, queued while not writable
};

} // namespace gh::sip
