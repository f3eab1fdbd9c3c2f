#pragma once
// One dialog (RFC 3261 §12): its id, state, route set, remote target, local and remote CSeq,
// and the builder for the requests sent inside it. A value type: it keeps copies of what it
// needs, never views into the messages it was made from. Owned by a DialogSet.
//
//   auto d = Dialog::forUac(invite, response_180, our_contact);    // or forUas()
//   std::string bye = d->buildRequest("BYE", {Transport::Udp, "192.0.2.10:5060", makeBranch()});
//   layer.sendRequest(bye, flow);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "sip/dialog/dialog_id.h"
#include "sip/dialog/request_builder.h"
#include "sip/message/message.h"

namespace gh::sip {

enum class DialogState : uint8_t { Early, Confirmed, Terminated };
enum class DialogRole : uint8_t { Uac, Uas };

enum class DialogError : uint8_t {
  NotDialogCreating, // not an INVITE, or a response that is not 101-299 with a To tag
  NoContact,         // §12.1.1/§12.1.2: a dialog needs the peer's Contact (2xx, INVITE)
  Exists,            // a dialog with this id is already known
  OverCapacity,      // DialogSet limit reached
  NotFound,
};

std::string_view dialogErrorName(DialogError error);

class Dialog {
public:
  // §12.1.2: from the INVITE we sent and a 101-299 response with a To tag. A 1xx makes an early
  // dialog, a 2xx a confirmed one; the route set is the response's Record-Route reversed.
  static Expected<Dialog, DialogError> forUac(const Message& invite, const Message& response,
                                              std::string local_contact);
  // §12.1.1: from a received INVITE and the To tag of our 1xx/2xx; Record-Route in order.
  static Expected<Dialog, DialogError> forUas(const Message& invite, std::string_view local_tag,
                                              std::string local_contact, bool confirmed);

  const DialogId& id() const { return id_; }

  DialogState state() const { return state_; }

  DialogRole role() const { return role_; }

  const std::string& remoteTarget() const { return remote_target_; }

  const std::vector<std::string>& routeSet() const { return route_set_; }

  const std::string& localUri() const { return local_uri_; } // name-addr without tag

  const std::string& remoteUri() const { return remote_uri_; }

  const std::string& localContact() const { return local_contact_; }

  std::optional<uint32_t> localCSeq() const { return local_cseq_; }

  std::optional<uint32_t> remoteCSeq() const { return remote_cseq_; }

  // CSeq number of the last INVITE we sent in this dialog (the 2xx ACK repeats it).
  uint32_t inviteCSeq() const { return invite_cseq_; }

  // Where a request in this dialog goes first: the first route's URI, or the remote target.
  std::string nextHopUri() const;

  // An incoming request inside this dialog (§12.2.2). Returns 500 when its CSeq is lower than
  // the remote CSeq (out of order; the TU answers 500), 0 when accepted. Target refresh
  // requests (re-INVITE, UPDATE, SUBSCRIBE, NOTIFY, REFER) replace the remote target.
  uint16_t onRequest(const Message& request);
  // A response to a request we sent in this dialog, or to the INVITE that created it:
  // early -> confirmed on 2xx (route set and target recomputed, §13.2.2.4), terminated on a
  // final non-2xx to the initial INVITE while early, or on 481/408 (§12.2.1.2); 2xx to a target
  // refresh updates the remote target.
  void onResponse(const Message& response);

  void confirm() { state_ = DialogState::Confirmed; }

  void terminate() { state_ = DialogState::Terminated; }

  // §12.2.1.1: a request inside the dialog with the next local CSeq. Request-URI = remote target
  // (or the first route when it is a strict router), Route = route set, From/To with tags,
  // Contact = ours for methods that carry one. An INVITE remembers its CSeq for the ACK.
  std::string buildRequest(std::string_view method, const ViaSpec& via,
                           const RequestExtras& extras = {});
  // §13.2.2.4: the ACK for a 2xx to the INVITE with CSeq `invite_cseq` (a new branch; the
  // INVITE's CSeq number; body only when the offer was in the 2xx).
  std::string buildAck(uint32_t invite_cseq, const ViaSpec& via,
                       const RequestExtras& extras = {}) const;

private:
  Dialog() = default;
  std::string write(std::string_view method, uint32_t cseq, const ViaSpec& via,
                    const RequestExtras& extras) const;

  DialogId id_;
  DialogState state_ = DialogState::Early;
  DialogRole role_ = DialogRole::Uac;
  std::string local_uri_;
  std::string remote_uri_;
  std::string remote_target_;
  std::string local_contact_;
  std::vector<std::string> route_set_;
  std::optional<uint32_t> local_cseq_;
  std::optional<uint32_t> remote_cseq_;
  uint32_t invite_cseq_ = 0;
  uint32_t initial_invite_cseq_ = 0;
};

} // namespace gh::sip
