#include "sip/dialog/dialog_set.h"

#include <algorithm>

#include "common/log.h"

namespace gh::sip {
namespace {

DialogId requestId(const Message& request) {
  return {std::string(request.callId()), std::string(request.to().tag()),
          std::string(request.from().tag())};
}

DialogId responseId(const Message& response) {
  return {std::string(response.callId()), std::string(response.from().tag()),
          std::string(response.to().tag())};
}

} // namespace

DialogSet::DialogSet(TimerService& timers, DialogCallbacks& callbacks, TransactionSettings settings,
                     std::size_t max_dialogs)
    : timers_(timers), callbacks_(callbacks), settings_(settings), max_dialogs_(max_dialogs) {}

DialogSet::~DialogSet() {
  for (auto& [id, r] : retransmits_) {
    timers_.cancel(r.resend);
    timers_.cancel(r.give_up);
  }
  for (auto& [id, a] : acks_) {
    timers_.cancel(a.expiry);
  }
}

Expected<Dialog*, DialogError> DialogSet::insert(Dialog dialog) {
  if (dialogs_.contains(dialog.id())) {
    return Unexpected(DialogError::Exists);
  }
  if (dialogs_.size() >= max_dialogs_) {
    GH_LOG_WARN(Module::Sip, "call-id={} dialog refused: {} dialogs is the limit",
                dialog.id().call_id, max_dialogs_);
    return Unexpected(DialogError::OverCapacity);
  }
  DialogId id = dialog.id();
  auto [it, inserted] = dialogs_.emplace(std::move(id), std::move(dialog));
  return &it->second;
}

Expected<Dialog*, DialogError> DialogSet::createUac(const Message& invite, const Message& response,
                                                    std::string local_contact) {
  auto d = Dialog::forUac(invite, response, std::move(local_contact));
  if (!d) {
    return Unexpected(d.error());
  }
  return insert(*std::move(d));
}

Expected<Dialog*, DialogError> DialogSet::createUas(const Message& invite,
                                                    std::string_view local_tag,
                                                    std::string local_contact, bool confirmed) {
  auto d = Dialog::forUas(invite, local_tag, std::move(local_contact), confirmed);
  if (!d) {
    return Unexpected(d.error());
  }
  return insert(*std::move(d));
}

Dialog* DialogSet::find(const DialogId& id) {
  auto it = dialogs_.find(id);
  return it == dialogs_.end() ? nullptr : &it->second;
}

Dialog* DialogSet::findForRequest(const Message& request) {
  return find(requestId(request));
}

Dialog* DialogSet::findForResponse(const Message& response) {
  return find(responseId(response));
}

InDialogVerdict DialogSet::checkRequest(const Message& request) {
  Dialog* d = findForRequest(request);
  if (d == nullptr || d->state() == DialogState::Terminated) {
    GH_LOG_DEBUG(Module::Sip, "call-id={} {} for no dialog: 481", request.callId(),
                 request.methodText());
    return {nullptr, 481};
  }
  uint16_t reject = d->onRequest(request);
  if (reject != 0) {
    GH_LOG_INFO(Module::Sip, "call-id={} {} CSeq {} out of order (remote CSeq {}): {}",
                request.callId(), request.methodText(), request.cseq().number,
                d->remoteCSeq().value_or(0), reject);
  }
  return {d, reject};
}

void DialogSet::remove(const DialogId& id) {
  stopRetransmit(id);
  forgetAck(id);
  dialogs_.erase(id);
}

void DialogSet::start2xxRetransmission(const DialogId& id, uint32_t invite_cseq,
                                       std::string response, const Flow& flow) {
  stopRetransmit(id);
  Retransmit r;
  r.cseq = invite_cseq;
  r.bytes = std::move(response);
  r.flow = flow;
  r.interval = settings_.t1;
  r.resend = timers_.schedule(r.interval, [this, id] { resend2xx(id); });
  r.give_up = timers_.schedule(settings_.timerB(), [this, id] { giveUp(id); });
  retransmits_.insert_or_assign(id, std::move(r));
}

void DialogSet::resend2xx(const DialogId& id) {
  auto it = retransmits_.find(id);
  if (it == retransmits_.end()) {
    return;
  }
  Retransmit& r = it->second;
  callbacks_.send(r.flow, r.bytes);
  r.interval = std::min(r.interval * 2, settings_.t2);
  r.resend = timers_.schedule(r.interval, [this, id] { resend2xx(id); });
}

void DialogSet::giveUp(const DialogId& id) {
  auto it = retransmits_.find(id);
  if (it == retransmits_.end()) {
    return;
  }
  timers_.cancel(it->second.resend);
  retransmits_.erase(it);
  GH_LOG_INFO(Module::Sip, "call-id={} no ACK for our 2xx within 64*T1", id.call_id);
  callbacks_.onAckTimeout(id);
}

void DialogSet::stopRetransmit(const DialogId& id) {
  auto it = retransmits_.find(id);
  if (it == retransmits_.end()) {
    return;
  }
  timers_.cancel(it->second.resend);
  timers_.cancel(it->second.give_up);
  retransmits_.erase(it);
}

Dialog* DialogSet::onAck(const Message& ack) {
  DialogId id = requestId(ack);
  Dialog* d = find(id);
  if (d == nullptr) {
    return nullptr;
  }
  auto it = retransmits_.find(id);
  if (it != retransmits_.end() && it->second.cseq == ack.cseq().number) {
    stopRetransmit(id);
  }
  if (d->state() == DialogState::Early) {
    d->confirm();
  }
  return d;
}

Expected<void, DialogError> DialogSet::sendAck(const DialogId& id, uint32_t invite_cseq,
                                               const ViaSpec& via, const Flow& flow,
                                               const RequestExtras& extras) {
  Dialog* d = find(id);
  if (d == nullptr) {
    return Unexpected(DialogError::NotFound);
  }
  forgetAck(id);
  SentAck a;
  a.cseq = invite_cseq;
  a.bytes = d->buildAck(invite_cseq, via, extras);
  a.flow = flow;
  callbacks_.send(a.flow, a.bytes);
  // The peer's 2xx retransmissions stop after 64*T1; so can our memory of the ACK.
  a.expiry = timers_.schedule(settings_.timerB(), [this, id] {
    if (auto it = acks_.find(id); it != acks_.end()) {
      acks_.erase(it);
    }
  });
  acks_.insert_or_assign(id, std::move(a));
  return {};
}

void DialogSet::forgetAck(const DialogId& id) {
  auto it = acks_.find(id);
  if (it == acks_.end()) {
    return;
  }
  timers_.cancel(it->second.expiry);
  acks_.erase(it);
}

bool DialogSet::onInvite2xx(const Message& response) {
  auto it = acks_.find(responseId(response));
  if (it == acks_.end() || it->second.cseq != response.cseq().number) {
    return false;
  }
  callbacks_.send(it->second.flow, it->second.bytes);
  return true;
}

} // namespace gh::sip
