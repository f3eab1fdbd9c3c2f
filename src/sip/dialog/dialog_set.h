#pragma once
// All dialogs of one SIP loop, by id, plus the two §13 reliability duties that outlive the
// INVITE transaction: the UAS retransmits its 2xx until the ACK comes (§13.3.1.4), and the UAC
// ACKs every retransmission of a 2xx it already ACKed (§13.2.2.4).
//
// Thread: the SIP event-loop thread only.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sip/dialog/dialog.h"
#include "sip/transaction/settings.h"
#include "sip/transaction/timer_service.h"
#include "sip/transport/flow.h"

namespace gh::sip {

class DialogCallbacks {
public:
  virtual ~DialogCallbacks() = default;
  // Bytes outside any transaction (2xx retransmissions, repeated ACKs): the TU passes them to
  // TransactionLayer::sendStateless().
  virtual void send(const Flow& flow, std::string_view bytes) = 0;
  // §13.3.1.4: no ACK within 64*T1 of our 2xx. The TU should end the dialog with a BYE.
  virtual void onAckTimeout(const DialogId& id) = 0;
};

// What to do with an in-dialog request: reject != 0 means answer it with that status (481: no
// such dialog, §12.2.2; 500: CSeq out of order). Otherwise `dialog` has been updated.
struct InDialogVerdict {
  Dialog* dialog = nullptr;
  uint16_t reject = 0;
};

class DialogSet {
public:
  DialogSet(TimerService& timers, DialogCallbacks& callbacks, TransactionSettings settings = {},
            std::size_t max_dialogs = 100000);
  DialogSet(const DialogSet&) = delete;
  DialogSet& operator=(const DialogSet&) = delete;
  ~DialogSet();

  // Dialog::forUac/forUas, stored. Forked responses with other To tags make separate dialogs.
  Expected<Dialog*, DialogError> createUac(const Message& invite, const Message& response,
                                           std::string local_contact);
  Expected<Dialog*, DialogError> createUas(const Message& invite, std::string_view local_tag,
                                           std::string local_contact, bool confirmed);

  Dialog* find(const DialogId& id);
  // A received request: local tag = To tag, remote tag = From tag.
  Dialog* findForRequest(const Message& request);
  // A response to a request we sent: local tag = From tag, remote tag = To tag.
  Dialog* findForResponse(const Message& response);
  // For a received request with a To tag (not ACK: use onAck): finds the dialog and applies
  // Dialog::onRequest(), or says 481.
  InDialogVerdict checkRequest(const Message& request);
  // Forgets the dialog and whatever it was retransmitting.
  void remove(const DialogId& id);

  std::size_t size() const { return dialogs_.size(); }

  // UAS: the TU has sent `response` (a 2xx to the INVITE with CSeq `invite_cseq`) through the
  // transaction layer; resend it at T1, 2*T1 ... T2 until onAck() or 64*T1 (onAckTimeout).
  void start2xxRetransmission(const DialogId& id, uint32_t invite_cseq, std::string response,
                              const Flow& flow);
  // A received ACK (TransactionUser::onAck). Stops the matching 2xx retransmission and returns
  // the dialog, or nullptr when it matches none (drop it).
  Dialog* onAck(const Message& ack);

  // UAC: builds the ACK for the 2xx to INVITE `invite_cseq`, sends it and keeps it for 64*T1 so
  // that retransmissions of the 2xx are answered with it (onInvite2xx).
  Expected<void, DialogError> sendAck(const DialogId& id, uint32_t invite_cseq, const ViaSpec& via,
                                      const Flow& flow, const RequestExtras& extras = {});
  // A 2xx to INVITE (TransactionUser::onResponse in Accepted, or onStrayResponse). When it is a
  // retransmission of a 2xx we already ACKed, the same ACK is sent again and true is returned;
  // false means it is new to us (first 2xx or another fork): create or update the dialog.
  bool onInvite2xx(const Message& response);

  std::size_t pendingRetransmissions() const { return retransmits_.size(); }

private:
  struct Retransmit {
    uint32_t cseq = 0;
    std::string bytes;
    Flow flow;
    Duration interval{};
    TimerHandle resend = 0;
    TimerHandle give_up = 0;
  };

  struct SentAck {
    uint32_t cseq = 0;
    std::string bytes;
    Flow flow;
    TimerHandle expiry = 0;
  };

  Expected<Dialog*, DialogError> insert(Dialog dialog);
  void stopRetransmit(const DialogId& id);
  void forgetAck(const DialogId& id);
  void resend2xx(const DialogId& id);
  void giveUp(const DialogId& id);

  TimerService& timers_;
  DialogCallbacks& callbacks_;
  TransactionSettings settings_;
  std::size_t max_dialogs_;
  std::unordered_map<DialogId, Dialog, DialogIdHash> dialogs_;
  std::unordered_map<DialogId, Retransmit, DialogIdHash> retransmits_;
  std::unordered_map<DialogId, SentAck, DialogIdHash> acks_;
};

} // namespace gh::sip
