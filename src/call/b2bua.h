#pragma once
// The B2BUA call core (RFC 7092, RFC 5853): an INVITE accepted on one leg creates a new INVITE
// on the other; responses, ACK, BYE, CANCEL, re-INVITE, UPDATE and the other in-dialog requests
// are mapped between the two legs, each with its own Call-ID, tags, CSeq, Via and Contact.
// It is the transaction layer's user; requests reach it only after the source filter and the
// per-source rate limit (onInbound()).
//
// Choices (docs/architecture.md, "The call core"):
// - BYE is answered 200 at once on the leg it came from; the other leg gets its own BYE.
// - The 2xx to the caller is retransmitted by us until its ACK (§13.3.1.4); the callee's 2xx is
//   ACKed when the caller's ACK arrives, so an answer in the ACK (late offer) reaches it. Until
//   then the callee's 2xx retransmissions are absorbed; after it, each one gets that ACK again
//   (only a 2xx of the same CSeq: a re-INVITE's 2xx never gets the initial INVITE's ACK).
// - In-dialog requests go to the leg's signaling peer (the address or connection the dialog
//   started on) with the Request-URI set to the remote target: an SBC latches to its peers.
// - 100rel is not offered on either leg: Require: 100rel from the caller gets 420, and a
//   reliable provisional from the callee is PRACKed here and forwarded unreliably.
// Thread: the SIP loop only.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "call/counters.h"
#include "call/leg.h"
#include "call/media_hook.h"
#include "call/rate_limiter.h"
#include "config/config.h"
#include "route/router.h"
#include "route/source_filter.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transaction/transaction_user.h"

namespace gh::call {

struct MessageCopy;
class PeerHealth;

// The configuration a call was routed with; a reload makes a new one and old calls keep theirs.
struct Policy {
  explicit Policy(std::shared_ptr<const config::Config> c)
      : config(std::move(c)), router(*config), sources(*config) {}

  std::shared_ptr<const config::Config> config;
  route::Router router;
  route::SourceFilter sources;
};

// What the core needs from the process around it.
struct Environment {
  // The bound listener of an interface for a transport (its port goes in Via and Contact).
  std::function<std::optional<net::Endpoint>(sip::InterfaceIndex, sip::Transport)> local_endpoint;
  // Sends bytes outside any transaction (stateless 503 to a flood, 400 to garbage).
  std::function<void(const sip::Flow&, std::string)> send_stateless;
  // RFC 3263 for a peer given by FQDN: the addresses to try in order, or none and why. The
  // callback runs later on the SIP loop. Empty = such peers cannot be reached (503).
  using Resolved = std::function<void(std::vector<net::Endpoint>, std::string error)>;
  std::function<void(const std::string& host, std::optional<uint16_t> port, sip::Transport,
                     Resolved)>
      resolve;
  // Health of peers' targets (OPTIONS keep-alives, earlier calls): the order a call tries a
  // peer's targets in, and where its failures are recorded. Null = file order, nothing recorded.
  PeerHealth* health = nullptr;
};

struct CallSummary {
  uint64_t id = 0;
  std::string a_call_id, b_call_id;
  std::string from, to, route, peer;
  std::string state;
  double age_s = 0;
};

class B2bua final : public sip::TransactionUser {
public:
  B2bua(std::shared_ptr<const Policy> policy, Environment env, sip::TimerService& timers,
        MediaHook& media);
  ~B2bua() override;
  B2bua(const B2bua&) = delete;
  B2bua& operator=(const B2bua&) = delete;

  void attach(sip::TransactionLayer& layer) { layer_ = &layer; }

  // From the transport: filters, rate-limits, then hands to the transaction layer.
  void onInbound(sip::Message&& message, const sip::Flow& flow);
  // Bytes that did not parse: a request gets its 400/413/505 over UDP (and before the stream
  // closes); anything else is dropped.
  void onParseError(std::string_view bytes, const Error& error, const sip::Flow& flow);

  // SIGHUP: new routes, peers and allow lists for new calls; calls in progress keep theirs.
  void reload(std::shared_ptr<const Policy> policy);

  // SIGTERM: refuse new calls (503); `hangUpAll` ends the ones in progress with BYE/CANCEL.
  void stopAccepting() { accepting_ = false; }

  void hangUpAll(std::string_view reason);
  // The media engine ended a call (timeout): BYE on both legs.
  void onMediaTimeout(uint64_t call);

  std::size_t activeCalls() const { return calls_.size(); }

  const CallCounters& counters() const { return counters_; }

  std::vector<CallSummary> summaries() const;

  // TransactionUser
  void onRequest(sip::TxnId server, const sip::Message& request, const sip::Flow& flow) override;
  void onAck(const sip::Message& ack, const sip::Flow& flow) override;
  void onCancel(sip::TxnId invite_server, const sip::Message& cancel) override;
  void onResponse(sip::TxnId client, const sip::Message& response, const sip::Flow& flow) override;
  void onStrayResponse(const sip::Message& response, const sip::Flow& flow) override;
  void onTimeout(sip::TxnId client) override;
  void onTransportError(sip::TxnId client) override;
  void onTerminated(sip::TxnId id, sip::TxnKind kind) override;

  struct Call;

private:
  enum class Purpose : uint8_t { InitialInvite, Relay, Bye, Prack };

  struct TxnOwner {
    uint64_t call = 0;
    Purpose purpose = Purpose::Relay;
    LegSide leg = LegSide::B; // the leg the client transaction runs on
  };

  // Out of dialog
  void newInvite(sip::TxnId server, const sip::Message& invite, const sip::Flow& flow);
  void answerOptions(sip::TxnId server, const sip::Message& options, const sip::Flow& flow);
  bool precheck(sip::TxnId server, const sip::Message& request);
  void proceed(Call& call);
  bool buildBLeg(Call& call);
  void sendBInvite(Call& call);
  bool tryNextTarget(Call& call, std::string_view why);
  // A failure of the INVITE to the current target of a peer with targets, for PeerHealth.
  void noteTargetAnswer(Call& c, uint16_t code);
  void noteTargetFailure(Call& call, uint16_t code, const sip::Message* response,
                         std::string_view why);
  void onInitialResponse(Call& call, sip::TxnId client, const sip::Message& response);
  void clientFailed(sip::TxnId client, uint16_t code, std::string_view why);
  void failInitial(Call& call, uint16_t code, std::string_view reason, std::string_view why);

  // In dialog
  void inDialogRequest(sip::TxnId server, const sip::Message& request, const sip::Flow& flow);
  void relayRequest(Call& call, LegSide from, sip::TxnId server, MessageCopy copy,
                    std::string_view body);
  void onRelayedResponse(Call& call, const TxnOwner& owner, sip::TxnId client,
                         const sip::Message& response);
  std::string forwardResponse(Call& call, LegSide to, sip::TxnId server, MessageCopy copy,
                              std::string_view body);
  void relayAck(Call& call, LegSide from, const sip::Message& ack);
  void sendAck(Call& call, LegSide on, uint32_t cseq, std::string_view content_type,
               std::string_view body);
  void sendBye(Call& call, LegSide on, std::string_view reason);
  void prackReliable(Call& call, const sip::Message& response);

  // 2xx retransmission toward the INVITE's sender until it ACKs (§13.3.1.4)
  void startOkRetransmit(Call& call, LegSide to, std::string ok);
  void stopOkRetransmit(Call& call);
  void armNoAnswer(Call& call);
  void disarmNoAnswer(Call& call);

  void hangUp(Call& call, std::string_view reason);
  void answerPending(Call& call);
  void endCall(uint64_t id, std::string_view why);
  Call* findCall(uint64_t id);
  Call* findByDialog(std::string_view call_id, std::string_view local_tag, LegSide* side);
  Leg& leg(Call& call, LegSide side);
  MediaContext mediaContext(const Call& call) const;
  void respondStateless(const sip::Message& request, const sip::Flow& flow, uint16_t code,
                        const route::HeaderList& extra = {});
  void respond(sip::TxnId server, std::string response);
  std::optional<LegIdentity> identityFor(const config::Config& config, std::size_t interface,
                                         std::optional<std::size_t> peer,
                                         sip::Transport transport) const;
  void registerDialog(Call& call, LegSide side);
  void countSent(std::string_view response);

  std::shared_ptr<const Policy> policy_;
  Environment env_;
  sip::TimerService& timers_;
  MediaHook& media_;
  sip::TransactionLayer* layer_ = nullptr;
  RateLimiter limiter_;
  CallCounters counters_;
  bool accepting_ = true;
  uint64_t next_call_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Call>> calls_;
  std::unordered_map<std::string, std::pair<uint64_t, LegSide>> dialogs_; // Call-ID\nlocal tag
  std::unordered_map<sip::TxnId, TxnOwner> client_owners_;
  std::unordered_map<sip::TxnId, uint64_t> server_owners_; // server txns a call answers later
  std::unordered_map<std::string, uint32_t> calls_per_source_;
};

} // namespace gh::call
