#pragma once
// DNS lookups for RFC 3263 on the SIP loop, with c-ares driven by Asio: c-ares tells us which
// sockets to watch (ARES_OPT_SOCK_STATE_CB), Asio waits on them and on c-ares's next timeout,
// and ares_process_fd() does the work. No thread, no blocking call.
//
//   auto resolver = DnsResolver::create(io, {.servers = "127.0.0.53:5353"});
//   (*resolver)->resolve({.name = "example.com", .service = "_sip._tcp", .default_port = 5060},
//                        [](NetResult<std::vector<ResolvedTarget>> targets) { ... });
//
// Threads: create, call and destroy on the thread that runs `io`; callbacks run there, never
// inside the call that started the lookup. Destroying the resolver drops pending callbacks.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.h"
#include "net/net_error.h"
#include "net/srv_order.h"

namespace asio {
class io_context;
} // namespace asio

namespace gh::net {

struct DnsSettings {
  // "ip[:port],..." ("[::1]:53" for IPv6); empty = the servers of /etc/resolv.conf.
  std::string servers;
  std::chrono::milliseconds timeout{2000}; // per try and server
  int tries = 2;
  bool ipv4 = true; // ask for A records
  bool ipv6 = true; // ask for AAAA records
};

struct ResolvedTarget {
  Endpoint endpoint;
  std::string host;      // the SRV target or the name that was looked up
  uint16_t priority = 0; // from SRV; 0 otherwise
  uint16_t weight = 0;
};

// RFC 3263 §4.2 without NAPTR: the caller picks the transport and so the SRV service.
struct ServiceQuery {
  std::string name;             // host name or IP literal
  std::optional<uint16_t> port; // explicit port: plain A/AAAA, no SRV (RFC 3263 §4.2)
  std::string service;          // "_sip._udp", "_sip._tcp", "_sips._tcp"
  uint16_t default_port = 5060; // when SRV finds nothing and no port was given
};

class DnsResolver {
public:
  using AddressCallback = std::function<void(NetResult<std::vector<Endpoint>>)>;
  using SrvCallback = std::function<void(NetResult<std::vector<SrvRecord>>)>;
  using TargetsCallback = std::function<void(NetResult<std::vector<ResolvedTarget>>)>;

  static NetResult<std::unique_ptr<DnsResolver>> create(asio::io_context& io,
                                                        const DnsSettings& settings);
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  // A then AAAA records of `host`, each with `port`. Errors: NotFound (NXDOMAIN), NoData,
  // Timeout, DnsFailure.
  void lookupAddresses(const std::string& host, uint16_t port, AddressCallback done);
  // SRV records of `name` (e.g. "_sip._tcp.example.com") in RFC 2782 order.
  void lookupSrv(const std::string& name, SrvCallback done);
  // The ordered list of targets to try: an IP literal as is; a name with a port by A/AAAA;
  // otherwise SRV, each target's A/AAAA in SRV order, and A/AAAA on default_port when there is
  // no SRV record. Failover along the list is the caller's.
  void resolve(const ServiceQuery& query, TargetsCallback done);

  void setRandomForTest(SrvRandom random);

private:
  class Impl;
  explicit DnsResolver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace gh::net
