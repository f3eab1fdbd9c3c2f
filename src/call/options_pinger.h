#pragma once
// OPTIONS keep-alives: every peer with options_interval_s > 0 gets an OPTIONS on each of its
// targets that often, Contact and Via naming Gatehouse as the peer expects ([sbc] fqdn with
// transport=tls toward Teams), and each answer or failure goes to PeerHealth. Teams counts an SBC
// as alive only while these arrive (about once a minute); the answers in turn tell calls which
// SIP proxy to skip.
//
// It is a transaction user for its own client transactions only: the app's TU dispatcher hands
// it the responses and failures of the ids it owns() and the rest to the B2BUA.
// Thread: the SIP loop only.

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "call/b2bua.h"
#include "call/peer_health.h"
#include "config/config.h"
#include "sip/transaction/timer_service.h"
#include "sip/transaction/transaction_layer.h"

namespace gh::call {

class OptionsPinger {
public:
  // `env`: local_endpoint and resolve as the B2BUA gets them (send_stateless is not used).
  OptionsPinger(sip::TimerService& timers, PeerHealth& health, Environment env);
  ~OptionsPinger();
  OptionsPinger(const OptionsPinger&) = delete;
  OptionsPinger& operator=(const OptionsPinger&) = delete;

  void attach(sip::TransactionLayer& layer) { layer_ = &layer; }

  // (Re)starts the keep-alives for `config`'s peers: at start and after a reload. The first
  // OPTIONS of each target leaves at once (staggered by 100 ms), then one per interval.
  void start(std::shared_ptr<const config::Config> config);
  // No more OPTIONS (SIGTERM): timers cancelled; transactions in flight end on their own.
  void stop();

  bool owns(sip::TxnId txn) const { return in_flight_.count(txn) != 0; }

  void onResponse(sip::TxnId txn, const sip::Message& response);
  void onFailure(sip::TxnId txn, std::string_view why);
  void onTerminated(sip::TxnId txn);

  uint64_t sent() const { return sent_; }

private:
  struct Job {
    std::size_t peer = 0; // index in config_->peers
    config::PeerTarget target;
    std::string key; // targetKey()
    std::chrono::seconds interval{60};
    sip::TimerHandle timer = 0;
    sip::TxnId txn = 0; // the OPTIONS in flight; 0 = none
    std::string call_id, from_tag;
    uint32_t cseq = 0;
    bool resolving = false;
  };

  void schedule(std::size_t job, sip::Duration delay);
  void tick(std::size_t job);
  void send(std::size_t job, const net::Endpoint& remote);
  void cancelTimers();

  sip::TimerService& timers_;
  PeerHealth& health_;
  Environment env_;
  sip::TransactionLayer* layer_ = nullptr;
  std::shared_ptr<const config::Config> config_;
  std::vector<Job> jobs_;
  std::unordered_map<sip::TxnId, std::size_t> in_flight_; // txn -> job
  uint64_t generation_ = 0; // callbacks of a previous start() are ignored
  uint64_t sent_ = 0;
};

} // namespace gh::call
