#include "sip/transaction/transaction_layer.h"

#include "common/assert.h"
#include "common/log.h"
#include "sip/parser/parser.h"
#include "sip/transaction/derived_requests.h"
#include "sip/transaction/invite_client.h"
#include "sip/transaction/invite_server.h"
#include "sip/transaction/non_invite_client.h"
#include "sip/transaction/non_invite_server.h"
#include "sip/transaction/transaction_key.h"

namespace gh::sip {
namespace {

// "SIP/2.0 200 OK": the code of a response the TU built. Zero when it is not a status line.
uint16_t statusOf(std::string_view response) {
  constexpr std::string_view kPrefix = "SIP/2.0 ";
  if (response.size() < kPrefix.size() + 4 || response.substr(0, kPrefix.size()) != kPrefix) {
    return 0;
  }
  uint16_t code = 0;
  for (std::size_t i = kPrefix.size(); i < kPrefix.size() + 3; ++i) {
    char c = response[i];
    if (c < '0' || c > '9') {
      return 0;
    }
    code = static_cast<uint16_t>(code * 10 + (c - '0'));
  }
  if (response[kPrefix.size() + 3] != ' ' || code < 100 || code > 699) {
    return 0;
  }
  return code;
}

} // namespace

// Marks one entry into the layer. Removal of terminated transactions waits until the outermost
// entry unwinds, so no state machine is destroyed while one of its own methods is running.
class TransactionLayer::Step {
public:
  explicit Step(TransactionLayer& layer) : layer_(layer) { ++layer_.depth_; }

  Step(const Step&) = delete;
  Step& operator=(const Step&) = delete;

  ~Step() {
    if (layer_.depth_ == 1) {
      layer_.drain();
    }
    --layer_.depth_;
  }

private:
  TransactionLayer& layer_;
};

TransactionLayer::TransactionLayer(TimerService& timers, TransactionTransport& transport,
                                   TransactionUser& user, TransactionSettings settings)
    : timers_(timers), transport_(transport), user_(user), settings_(settings) {}

TransactionLayer::~TransactionLayer() {
  destroying_ = true;
  txns_.clear(); // each transaction cancels its own timers
  for (TimerHandle h : failure_timers_) {
    timers_.cancel(h);
  }
}

void TransactionLayer::handleMessage(Message message, const Flow& flow) {
  Step step(*this);
  if (message.isResponse()) {
    handleResponse(std::move(message), flow);
  } else if (message.method() == Method::Ack) {
    handleAck(std::move(message), flow);
  } else {
    handleRequest(std::move(message), flow);
  }
}

void TransactionLayer::handleRequest(Message request, const Flow& flow) {
  std::string key = serverKeyOf(request);
  if (Transaction* txn = lookupKey(server_keys_, key)) {
    txn->onRetransmittedRequest();
    return;
  }
  if (request.method() == Method::Cancel) {
    handleCancel(std::move(request), flow);
    return;
  }
  if (overCapacity(request)) {
    respondStateless(request, flow, 503);
    return;
  }
  TxnId id = next_id_++;
  TransactionPtr txn;
  if (request.method() == Method::Invite) {
    txn = std::make_unique<InviteServerTransaction>(host(), id, std::move(request), flow, key);
  } else {
    txn = std::make_unique<NonInviteServerTransaction>(host(), id, std::move(request), flow, key);
  }
  Transaction& ref = *txn;
  server_keys_.insert_or_assign(std::move(key), id);
  txns_.emplace(id, std::move(txn));
  counters_.server_created++;
  counters_.server_active++;
  ref.start();
  user_.onRequest(id, ref.request(), ref.flow());
}

void TransactionLayer::handleAck(Message ack, const Flow& flow) {
  Transaction* txn = lookupKey(server_keys_, serverKeyOf(ack));
  if (txn != nullptr && txn->kind() == TxnKind::InviteServer) {
    txn->onAck(ack, flow);
    return;
  }
  // Usually the ACK for a 2xx whose transaction has ended (or never existed: the dialog layer
  // retransmits 2xx itself), which the dialog layer needs.
  counters_.stray_acks++;
  user_.onAck(ack, flow);
}

void TransactionLayer::handleCancel(Message cancel, const Flow& flow) {
  Transaction* invite = lookupKey(server_keys_, inviteKeyForCancel(cancel));
  if (invite == nullptr || invite->kind() != TxnKind::InviteServer) {
    GH_LOG_DEBUG(Module::Transaction, "call-id={} CANCEL matches no INVITE: 481", cancel.callId());
    respondStateless(cancel, flow, 481);
    return;
  }
  TxnId invite_id = invite->id();
  bool pending = invite->state() == TxnState::Proceeding;
  // §9.2: the CANCEL is answered 200 by its own transaction (absorbing retransmissions); the
  // INVITE is the TU's to answer with 487.
  TxnId id = next_id_++;
  std::string key = serverKeyOf(cancel);
  auto txn = std::make_unique<NonInviteServerTransaction>(host(), id, std::move(cancel), flow, key);
  txn->setInternal();
  Transaction& ref = *txn;
  server_keys_.insert_or_assign(std::move(key), id);
  txns_.emplace(id, std::move(txn));
  counters_.server_created++;
  counters_.server_active++;
  (void)ref.respond(buildResponse(ref.request(), 200), 200);
  if (pending) {
    user_.onCancel(invite_id, ref.request());
  }
}

void TransactionLayer::handleResponse(Message response, const Flow& flow) {
  if (Transaction* txn = lookupKey(client_keys_, clientKeyOf(response))) {
    txn->onResponse(response, flow);
    return;
  }
  counters_.stray_responses++;
  uint16_t code = response.statusCode();
  if (response.method() == Method::Invite && code >= 200 && code < 300) {
    user_.onStrayResponse(response, flow);
    return;
  }
  GH_LOG_DEBUG(Module::Transaction, "call-id={} stray {} {} from {} dropped", response.callId(),
               code, response.methodText(), flow.remote.toString());
}

void TransactionLayer::respondStateless(const Message& request, const Flow& flow, uint16_t code) {
  counters_.stateless_responses++;
  std::string bytes = buildResponse(request, code);
  transport_.send(flow, bytes, 0);
}

bool TransactionLayer::overCapacity(const Message& message) {
  if (txns_.size() < settings_.max_transactions) {
    return false;
  }
  counters_.refused_over_capacity++;
  GH_LOG_WARN(Module::Transaction, "call-id={} {} refused: {} transactions is the limit",
              message.callId(), message.isRequest() ? message.methodText() : "response",
              settings_.max_transactions);
  return true;
}

void TransactionLayer::onSendFailed(TxnId txn) {
  auto handle = std::make_shared<TimerHandle>(0);
  *handle = timers_.schedule(Duration{0}, [this, txn, handle] { sendFailed(txn, *handle); });
  failure_timers_.insert(*handle);
}

void TransactionLayer::sendFailed(TxnId id, TimerHandle handle) {
  failure_timers_.erase(handle);
  Step step(*this);
  if (Transaction* txn = lookup(id); txn != nullptr && !txn->terminated()) {
    txn->onTransportError();
  }
}

TxnResult<TxnId> TransactionLayer::sendRequest(std::string_view request, const Flow& flow) {
  auto parsed = parseMessage(request);
  if (!parsed) {
    GH_LOG_ERROR(Module::Transaction, "refusing to send a malformed request: {} at {}",
                 parsed.error().what, parsed.error().offset);
    return txnFail(TxnError::BadMessage);
  }
  return sendRequest(*std::move(parsed), flow);
}

TxnResult<TxnId> TransactionLayer::sendRequest(Message request, const Flow& flow) {
  Step step(*this);
  if (!request.isRequest() || request.method() == Method::Ack ||
      !request.topVia().hasRfc3261Branch()) {
    return txnFail(TxnError::BadMessage);
  }
  if (overCapacity(request)) {
    return txnFail(TxnError::OverCapacity);
  }
  return startClient(std::move(request), flow, false);
}

TxnResult<TxnId> TransactionLayer::startClient(Message request, const Flow& flow, bool internal) {
  std::string key = clientKeyOf(request);
  if (client_keys_.contains(key)) {
    return txnFail(TxnError::Duplicate);
  }
  TxnId id = next_id_++;
  TransactionPtr txn;
  if (request.method() == Method::Invite) {
    txn = std::make_unique<InviteClientTransaction>(host(), id, std::move(request), flow, key);
  } else {
    txn = std::make_unique<NonInviteClientTransaction>(host(), id, std::move(request), flow, key);
  }
  if (internal) {
    txn->setInternal();
  }
  Transaction& ref = *txn;
  client_keys_.insert_or_assign(std::move(key), id);
  txns_.emplace(id, std::move(txn));
  counters_.client_created++;
  counters_.client_active++;
  ref.start();
  return id;
}

TxnResult<void> TransactionLayer::cancel(TxnId invite) {
  Step step(*this);
  Transaction* txn = lookup(invite);
  if (txn == nullptr || txn->terminated()) {
    return txnFail(TxnError::NotFound);
  }
  if (txn->kind() != TxnKind::InviteClient) {
    return txnFail(TxnError::WrongKind);
  }
  return txn->cancel();
}

void TransactionLayer::sendCancelFor(const Transaction& invite) {
  auto cancel = parseMessage(buildCancel(invite.request()));
  GH_BUG(cancel.has_value(), "CANCEL built from a parsed INVITE must parse");
  if (!cancel) {
    return;
  }
  auto id = startClient(*std::move(cancel), invite.flow(), true);
  if (!id) {
    GH_LOG_WARN(Module::Transaction, "call-id={} CANCEL not sent: {}", invite.callId(),
                txnErrorName(id.error()));
  }
}

void TransactionLayer::sendStateless(const Flow& flow, std::string_view bytes) {
  transport_.send(flow, bytes, 0);
}

TxnResult<void> TransactionLayer::respond(TxnId server, std::string response) {
  Step step(*this);
  Transaction* txn = lookup(server);
  if (txn == nullptr || txn->terminated()) {
    return txnFail(TxnError::NotFound);
  }
  if (isClient(txn->kind())) {
    return txnFail(TxnError::WrongKind);
  }
  uint16_t code = statusOf(response);
  if (code == 0) {
    return txnFail(TxnError::BadMessage);
  }
  return txn->respond(std::move(response), code);
}

TxnResult<void> TransactionLayer::respond(TxnId server, uint16_t code,
                                          const ResponseOptions& options) {
  const Transaction* txn = lookup(server);
  if (txn == nullptr || txn->terminated()) {
    return txnFail(TxnError::NotFound);
  }
  return respond(server, buildResponse(txn->request(), code, options));
}

const Transaction* TransactionLayer::find(TxnId id) const {
  return lookup(id);
}

std::optional<TxnId> TransactionLayer::findInviteForCancel(const Message& cancel) const {
  const Transaction* txn = lookupKey(server_keys_, inviteKeyForCancel(cancel));
  if (txn == nullptr || txn->kind() != TxnKind::InviteServer) {
    return std::nullopt;
  }
  return txn->id();
}

Transaction* TransactionLayer::lookup(TxnId id) const {
  auto it = txns_.find(id);
  return it == txns_.end() ? nullptr : it->second.get();
}

Transaction* TransactionLayer::lookupKey(const std::unordered_map<std::string, TxnId>& keys,
                                         const std::string& key) const {
  auto it = keys.find(key);
  if (it == keys.end()) {
    return nullptr;
  }
  Transaction* txn = lookup(it->second);
  return txn != nullptr && !txn->terminated() ? txn : nullptr;
}

void TransactionLayer::transmit(const Transaction& txn, std::string_view bytes) {
  transport_.send(txn.flow(), bytes, txn.id());
}

TimerHandle TransactionLayer::arm(const Transaction& txn, TimerName timer, Duration delay) {
  TxnId id = txn.id();
  return timers_.schedule(delay, [this, id, timer] { timerFired(id, timer); });
}

void TransactionLayer::disarm(TimerHandle handle) {
  timers_.cancel(handle);
}

void TransactionLayer::timerFired(TxnId id, TimerName timer) {
  Step step(*this);
  Transaction* txn = lookup(id);
  if (txn == nullptr || txn->terminated()) {
    return;
  }
  txn->timerFired(timer);
  txn->onTimer(timer);
}

void TransactionLayer::retire(Transaction& txn) {
  if (destroying_) {
    return;
  }
  retiring_.push_back(txn.id());
  if (depth_ == 0) { // not inside an entry point: nothing of the transaction is on the stack
    Step step(*this);
  }
}

void TransactionLayer::drain() {
  // TU callbacks below may re-enter the layer and retire more transactions: loop until quiet.
  while (!retiring_.empty()) {
    std::vector<TxnId> batch;
    batch.swap(retiring_);
    for (TxnId id : batch) {
      auto it = txns_.find(id);
      if (it == txns_.end()) {
        continue;
      }
      TransactionPtr txn = std::move(it->second);
      txns_.erase(it);
      auto& keys = isClient(txn->kind()) ? client_keys_ : server_keys_;
      if (auto k = keys.find(txn->key()); k != keys.end() && k->second == id) {
        keys.erase(k);
      }
      (isClient(txn->kind()) ? counters_.client_active : counters_.server_active)--;
      if (!txn->internal()) {
        user_.onTerminated(id, txn->kind());
      }
    }
  }
}

} // namespace gh::sip
