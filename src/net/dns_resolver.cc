#include "net/dns_resolver.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <netinet/in.h>

#include <cstring>
#include <mutex>
#include <unordered_map>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <fmt/format.h>

#include "common/log.h"

namespace gh::net {
namespace {

NetError aresError(int status, std::string_view what, std::string_view name) {
  NetErrc code = NetErrc::DnsFailure;
  switch (status) {
  case ARES_ENOTFOUND: code = NetErrc::NotFound; break;
  case ARES_ENODATA: code = NetErrc::NoData; break;
  case ARES_ETIMEOUT: code = NetErrc::Timeout; break;
  case ARES_EDESTRUCTION:
  case ARES_ECANCELLED: code = NetErrc::Shutdown; break;
  default: break;
  }
  std::string_view text = code == NetErrc::NotFound  ? "no such domain (NXDOMAIN)"
                          : code == NetErrc::NoData  ? "no record of that type"
                          : code == NetErrc::Timeout ? "no answer from the DNS server (timeout)"
                                                     : ares_strerror(status);
  return {code, fmt::format("DNS {} {}: {}", what, name, text)};
}

// Which error wins when two lookups of one name fail: a timeout says the most about the
// network, NXDOMAIN the most about the name.
NetError worse(const NetError& a, const NetError& b) {
  auto rank = [](NetErrc c) {
    return c == NetErrc::Timeout      ? 3
           : c == NetErrc::DnsFailure ? 2
           : c == NetErrc::NotFound   ? 1
                                      : 0;
  };
  return rank(b.code) > rank(a.code) ? b : a;
}

} // namespace

class DnsResolver::Impl {
public:
  Impl(asio::io_context& io) : io_(io), timer_(io), alive_(std::make_shared<bool>(true)) {}

  ~Impl() {
    *alive_ = false;
    if (channel_ != nullptr) {
      ares_destroy(channel_); // completes pending queries with ARES_EDESTRUCTION: dropped
    }
    for (auto& [fd, watch] : watches_) {
      forget(*watch);
    }
    timer_.cancel();
  }

  NetResult<void> init(const DnsSettings& settings) {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    settings_ = settings;
    ares_options options{};
    options.sock_state_cb = &Impl::onSocketState;
    options.sock_state_cb_data = this;
    options.timeout = static_cast<int>(settings.timeout.count());
    options.tries = settings.tries;
    // Queries go to DNS only: no hosts file, so tests and production see the same answers.
    char lookups[] = "b";
    options.lookups = lookups;
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS;
    int status = ares_init_options(&channel_, &options, mask);
    if (status != ARES_SUCCESS) {
      channel_ = nullptr;
      return netFail(NetErrc::DnsFailure,
                     fmt::format("cannot start the DNS resolver: {}", ares_strerror(status)));
    }
    if (!settings.servers.empty()) {
      status = ares_set_servers_ports_csv(channel_, settings.servers.c_str());
      if (status != ARES_SUCCESS) {
        return netFail(NetErrc::BadAddress, fmt::format("bad DNS server list \"{}\": {}",
                                                        settings.servers, ares_strerror(status)));
      }
    }
    return {};
  }

  // One DNS query; `done` gets the raw answer or the c-ares status.
  using RawCallback = std::function<void(int status, const unsigned char* answer, int length)>;

  void query(const std::string& name, int type, RawCallback done) {
    auto* heap = new RawCallback(std::move(done)); // owned by c-ares until its callback runs
    ares_query(channel_, name.c_str(), ns_c_in, type, &Impl::onAnswer, heap);
    rearmTimer();
  }

  void post(std::function<void()> fn) {
    asio::post(io_, [alive = alive_, fn = std::move(fn)]() {
      if (*alive) {
        fn();
      }
    });
  }

  const DnsSettings& settings() const { return settings_; }

  SrvRandom random = defaultSrvRandom();

private:
  struct Watch {
    Watch(asio::io_context& io, int socket_fd) : descriptor(io, socket_fd), fd(socket_fd) {}

    asio::posix::stream_descriptor descriptor;
    int fd;
    bool want_read = false;
    bool want_write = false;
    bool reading = false;
    bool writing = false;
    bool alive = true;
  };

  static void onAnswer(void* arg, int status, int /*timeouts*/, unsigned char* answer, int length) {
    std::unique_ptr<RawCallback> done(static_cast<RawCallback*>(arg));
    if (status == ARES_EDESTRUCTION) {
      return; // the resolver is going away; nobody to tell
    }
    (*done)(status, answer, length);
  }

  static void onSocketState(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Impl*>(data);
    auto it = self->watches_.find(fd);
    if (readable == 0 && writable == 0) {
      if (it != self->watches_.end()) {
        forget(*it->second);
        self->watches_.erase(it);
      }
      return;
    }
    if (it == self->watches_.end()) {
      it = self->watches_.emplace(fd, std::make_shared<Watch>(self->io_, fd)).first;
    }
    it->second->want_read = readable != 0;
    it->second->want_write = writable != 0;
    self->arm(it->second);
  }

  // c-ares owns and closes the socket: Asio only watches it.
  static void forget(Watch& watch) {
    watch.alive = false;
    std::error_code ignored;
    watch.descriptor.cancel(ignored);
    (void)watch.descriptor.release();
  }

  void arm(const std::shared_ptr<Watch>& watch) {
    if (watch->want_read && !watch->reading) {
      watch->reading = true;
      watch->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                                   [this, watch, alive = alive_](std::error_code ec) {
                                     watch->reading = false;
                                     if (ec || !watch->alive || !*alive) {
                                       return;
                                     }
                                     ares_process_fd(channel_, watch->fd, ARES_SOCKET_BAD);
                                     afterProcessing(watch);
                                   });
    }
    if (watch->want_write && !watch->writing) {
      watch->writing = true;
      watch->descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                                   [this, watch, alive = alive_](std::error_code ec) {
                                     watch->writing = false;
                                     if (ec || !watch->alive || !*alive) {
                                       return;
                                     }
                                     ares_process_fd(channel_, ARES_SOCKET_BAD, watch->fd);
                                     afterProcessing(watch);
                                   });
    }
  }

  void afterProcessing(const std::shared_ptr<Watch>& watch) {
    if (watch->alive) {
      arm(watch);
    }
    rearmTimer();
  }

  // c-ares's retransmissions and timeouts run when nothing arrives: wake it at its deadline.
  void rearmTimer() {
    timeval tv{};
    if (ares_timeout(channel_, nullptr, &tv) == nullptr) {
      timer_.cancel();
      return;
    }
    timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
    timer_.async_wait([this, alive = alive_](std::error_code ec) {
      if (ec || !*alive) {
        return;
      }
      ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      rearmTimer();
    });
  }

  asio::io_context& io_;
  asio::steady_timer timer_;
  std::shared_ptr<bool> alive_;
  ares_channel channel_ = nullptr;
  DnsSettings settings_;
  std::unordered_map<int, std::shared_ptr<Watch>> watches_;
};

DnsResolver::DnsResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DnsResolver::~DnsResolver() = default;

NetResult<std::unique_ptr<DnsResolver>> DnsResolver::create(asio::io_context& io,
                                                            const DnsSettings& settings) {
  auto impl = std::make_unique<Impl>(io);
  if (auto ok = impl->init(settings); !ok) {
    return Unexpected(ok.error());
  }
  return std::unique_ptr<DnsResolver>(new DnsResolver(std::move(impl)));
}

void DnsResolver::setRandomForTest(SrvRandom random) {
  impl_->random = std::move(random);
}

void DnsResolver::lookupSrv(const std::string& name, SrvCallback done) {
  impl_->query(name, ns_t_srv,
               [this, name, done](int status, const unsigned char* answer, int length) {
                 if (status != ARES_SUCCESS) {
                   done(Unexpected(aresError(status, "SRV", name)));
                   return;
                 }
                 ares_srv_reply* replies = nullptr;
                 status = ares_parse_srv_reply(answer, length, &replies);
                 if (status != ARES_SUCCESS) {
                   done(Unexpected(aresError(status, "SRV", name)));
                   return;
                 }
                 std::vector<SrvRecord> records;
                 for (ares_srv_reply* r = replies; r != nullptr; r = r->next) {
                   records.push_back({r->host, r->port, r->priority, r->weight});
                 }
                 ares_free_data(replies);
                 done(orderSrv(std::move(records), impl_->random));
               });
}

void DnsResolver::lookupAddresses(const std::string& host, uint16_t port, AddressCallback done) {
  struct State {
    std::vector<Endpoint> v4, v6;
    std::optional<NetError> error;
    int pending = 0;
    AddressCallback done;
  };

  auto state = std::make_shared<State>();
  state->done = std::move(done);
  auto finish = [state]() {
    if (--state->pending > 0) {
      return;
    }
    std::vector<Endpoint> all = std::move(state->v4);
    all.insert(all.end(), state->v6.begin(), state->v6.end());
    if (!all.empty()) {
      state->done(std::move(all));
    } else {
      state->done(
          Unexpected(state->error ? *state->error : NetError{NetErrc::NoData, "no addresses"}));
    }
  };
  auto fail = [state, host](int status, std::string_view type) {
    NetError e = aresError(status, type, host);
    state->error = state->error ? worse(*state->error, e) : e;
  };
  const DnsSettings& s = impl_->settings();
  state->pending = (s.ipv4 ? 1 : 0) + (s.ipv6 ? 1 : 0);
  if (s.ipv4) {
    impl_->query(
        host, ns_t_a, [state, port, fail, finish](int status, const unsigned char* a, int length) {
          ares_addrttl addresses[32];
          int count = 32;
          if (status == ARES_SUCCESS) {
            status = ares_parse_a_reply(a, length, nullptr, addresses, &count);
          }
          if (status != ARES_SUCCESS) {
            fail(status, "A");
          } else {
            for (int i = 0; i < count; ++i) {
              state->v4.push_back(Endpoint::fromV4(ntohl(addresses[i].ipaddr.s_addr), port));
            }
          }
          finish();
        });
  }
  if (s.ipv6) {
    impl_->query(host, ns_t_aaaa,
                 [state, port, fail, finish](int status, const unsigned char* a, int length) {
                   ares_addr6ttl addresses[32];
                   int count = 32;
                   if (status == ARES_SUCCESS) {
                     status = ares_parse_aaaa_reply(a, length, nullptr, addresses, &count);
                   }
                   if (status != ARES_SUCCESS) {
                     fail(status, "AAAA");
                   } else {
                     for (int i = 0; i < count; ++i) {
                       uint8_t bytes[16];
                       std::memcpy(bytes, &addresses[i].ip6addr, sizeof bytes);
                       state->v6.push_back(Endpoint::fromV6(bytes, port));
                     }
                   }
                   finish();
                 });
  }
}

void DnsResolver::resolve(const ServiceQuery& query, TargetsCallback done) {
  // An IP literal never touches DNS (RFC 3263 §4.2).
  if (auto ip = Endpoint::fromIp(query.name, query.port.value_or(query.default_port))) {
    impl_->post([done, target = ResolvedTarget{*ip, query.name, 0, 0}]() {
      done(std::vector<ResolvedTarget>{target});
    });
    return;
  }
  auto byAddress = [this, done](const std::string& host, uint16_t port) {
    lookupAddresses(host, port, [done, host](NetResult<std::vector<Endpoint>> addresses) {
      if (!addresses) {
        done(Unexpected(addresses.error()));
        return;
      }
      std::vector<ResolvedTarget> out;
      for (const auto& e : *addresses) {
        out.push_back({e, host, 0, 0});
      }
      done(std::move(out));
    });
  };
  if (query.port) {
    byAddress(query.name, *query.port);
    return;
  }
  std::string srv_name = query.service + "." + query.name;
  lookupSrv(srv_name, [this, done, byAddress, query](NetResult<std::vector<SrvRecord>> records) {
    if (!records) {
      NetErrc code = records.error().code;
      if (code == NetErrc::NotFound || code == NetErrc::NoData) {
        byAddress(query.name, query.default_port); // RFC 3263 §4.2: no SRV -> A/AAAA
      } else {
        done(Unexpected(records.error()));
      }
      return;
    }
    std::vector<SrvRecord> usable;
    for (auto& r : *records) {
      if (r.target != "." && !r.target.empty()) {
        usable.push_back(std::move(r));
      }
    }
    if (usable.empty()) { // RFC 2782: a lone "." target means the service is not offered
      done(Unexpected(NetError{NetErrc::NoData, fmt::format("{}: service not offered (SRV \".\")",
                                                            query.service + "." + query.name)}));
      return;
    }
    struct Gather {
      std::vector<SrvRecord> records;
      std::vector<std::vector<Endpoint>> found;
      std::optional<NetError> error;
      std::size_t pending;
      TargetsCallback done;
    };
    auto gather = std::make_shared<Gather>();
    gather->records = std::move(usable);
    gather->found.resize(gather->records.size());
    gather->pending = gather->records.size();
    gather->done = done;
    for (std::size_t i = 0; i < gather->records.size(); ++i) {
      const SrvRecord& r = gather->records[i];
      lookupAddresses(r.target, r.port, [gather, i](NetResult<std::vector<Endpoint>> addresses) {
        if (addresses) {
          gather->found[i] = std::move(*addresses);
        } else if (!gather->error) {
          gather->error = addresses.error();
        }
        if (--gather->pending > 0) {
          return;
        }
        std::vector<ResolvedTarget> out;
        for (std::size_t k = 0; k < gather->records.size(); ++k) {
          for (const auto& e : gather->found[k]) {
            const SrvRecord& rec = gather->records[k];
            out.push_back({e, rec.target, rec.priority, rec.weight});
          }
        }
        if (out.empty()) {
          gather->done(Unexpected(*gather->error));
        } else {
          gather->done(std::move(out));
        }
      });
    }
  });
}

} // namespace gh::net
