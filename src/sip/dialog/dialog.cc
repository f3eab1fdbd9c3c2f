#include "sip/dialog/dialog.h"

#include <algorithm>

#include "sip/transaction/header_text.h"
#include "sip/transaction/random_id.h"

namespace gh::sip {
namespace {

bool isTargetRefresh(Method m) {
  return m == Method::Invite || m == Method::Update || m == Method::Subscribe ||
         m == Method::Notify || m == Method::Refer;
}

std::string contactUri(const Message& message) {
  auto contacts = message.contacts();
  return contacts.empty() ? std::string{} : std::string(contacts.front().uri.raw);
}

std::vector<std::string> copyElements(const Message& message, HeaderId id, bool reversed) {
  std::vector<std::string> out;
  for (std::string_view e : headerElements(message, id)) {
    out.emplace_back(e);
  }
  if (reversed) {
    std::reverse(out.begin(), out.end());
  }
  return out;
}

} // namespace

std::string_view dialogErrorName(DialogError error) {
  switch (error) {
  case DialogError::NotDialogCreating: return "not a dialog-creating message";
  case DialogError::NoContact: return "no Contact";
  case DialogError::Exists: return "dialog exists";
  case DialogError::OverCapacity: return "dialog limit reached";
  case DialogError::NotFound: return "no such dialog";
  }
  return "?";
}

Expected<Dialog, DialogError> Dialog::forUac(const Message& invite, const Message& response,
                                             std::string local_contact) {
  uint16_t code = response.statusCode();
  if (!invite.isRequest() || invite.method() != Method::Invite || !response.isResponse() ||
      response.method() != Method::Invite || code <= 100 || code >= 300 ||
      response.to().tag().empty()) {
    return Unexpected(DialogError::NotDialogCreating);
  }
  Dialog d;
  d.role_ = DialogRole::Uac;
  d.state_ = code >= 200 ? DialogState::Confirmed : DialogState::Early;
  d.id_ = {std::string(invite.callId()), std::string(invite.from().tag()),
           std::string(response.to().tag())};
  d.local_uri_ = withTag(invite.from(), {});
  d.remote_uri_ = withTag(invite.to(), {});
  d.remote_target_ = contactUri(response);
  if (d.remote_target_.empty()) {
    if (code >= 200) {
      return Unexpected(DialogError::NoContact);
    }
    // An early dialog from a 1xx without Contact: use the Request-URI until a 2xx tells more.
    d.remote_target_ = std::string(invite.requestUriText());
  }
  d.route_set_ = copyElements(response, HeaderId::RecordRoute, true);
  d.local_contact_ = std::move(local_contact);
  d.local_cseq_ = invite.cseq().number;
  d.invite_cseq_ = invite.cseq().number;
  d.initial_invite_cseq_ = invite.cseq().number;
  return d;
}

Expected<Dialog, DialogError> Dialog::forUas(const Message& invite, std::string_view local_tag,
                                             std::string local_contact, bool confirmed) {
  if (!invite.isRequest() || invite.method() != Method::Invite || local_tag.empty()) {
    return Unexpected(DialogError::NotDialogCreating);
  }
  Dialog d;
  d.role_ = DialogRole::Uas;
  d.state_ = confirmed ? DialogState::Confirmed : DialogState::Early;
  d.id_ = {std::string(invite.callId()), std::string(local_tag), std::string(invite.from().tag())};
  d.local_uri_ = withTag(invite.to(), {});
  d.remote_uri_ = withTag(invite.from(), {});
  d.remote_target_ = contactUri(invite);
  if (d.remote_target_.empty()) {
    return Unexpected(DialogError::NoContact);
  }
  d.route_set_ = copyElements(invite, HeaderId::RecordRoute, false);
  d.local_contact_ = std::move(local_contact);
  d.remote_cseq_ = invite.cseq().number;
  d.initial_invite_cseq_ = invite.cseq().number;
  return d;
}

std::string Dialog::nextHopUri() const {
  if (route_set_.empty()) {
    return remote_target_;
  }
  auto route = parseNameAddr(route_set_.front());
  return route ? std::string(route->uri.raw) : remote_target_;
}

uint16_t Dialog::onRequest(const Message& request) {
  Method m = request.method();
  if (m == Method::Ack || m == Method::Cancel) {
    return 0; // they reuse the CSeq number of the request they belong to
  }
  uint32_t number = request.cseq().number;
  if (remote_cseq_ && number < *remote_cseq_) {
    return 500;
  }
  remote_cseq_ = number;
  if (isTargetRefresh(m)) {
    std::string target = contactUri(request);
    if (!target.empty()) {
      remote_target_ = std::move(target);
    }
  }
  return 0;
}

void Dialog::onResponse(const Message& response) {
  uint16_t code = response.statusCode();
  Method m = response.method();
  if (code == 481 || code == 408) {
    state_ = DialogState::Terminated;
    return;
  }
  bool initial_invite = m == Method::Invite && response.cseq().number == initial_invite_cseq_ &&
                        role_ == DialogRole::Uac;
  if (state_ == DialogState::Early && initial_invite) {
    if (code >= 300) {
      state_ = DialogState::Terminated;
      return;
    }
    if (code >= 200) {
      state_ = DialogState::Confirmed;
      route_set_ = copyElements(response, HeaderId::RecordRoute, true);
    }
  }
  if (code > 100 && code < 300 && isTargetRefresh(m)) {
    std::string target = contactUri(response);
    if (!target.empty()) {
      remote_target_ = std::move(target);
    }
  }
}

std::string Dialog::buildRequest(std::string_view method, const ViaSpec& via,
                                 const RequestExtras& extras) {
  // §12.2.1.1: the first request of a UAS picks its own starting number, below 2^31.
  uint32_t cseq = local_cseq_ ? *local_cseq_ + 1 : static_cast<uint32_t>(randomU64() % 0xFFFF) + 1;
  local_cseq_ = cseq;
  if (methodFromText(method) == Method::Invite) {
    invite_cseq_ = cseq;
  }
  return write(method, cseq, via, extras);
}

std::string Dialog::buildAck(uint32_t invite_cseq, const ViaSpec& via,
                             const RequestExtras& extras) const {
  return write("ACK", invite_cseq, via, extras);
}

std::string Dialog::write(std::string_view method, uint32_t cseq, const ViaSpec& via,
                          const RequestExtras& extras) const {
  std::string from = local_uri_;
  if (!id_.local_tag.empty()) {
    from += ";tag=" + id_.local_tag;
  }
  std::string to = remote_uri_;
  if (!id_.remote_tag.empty()) {
    to += ";tag=" + id_.remote_tag;
  }
  RequestParts parts;
  parts.method = method;
  parts.request_uri = remote_target_;
  parts.from = from;
  parts.to = to;
  parts.call_id = id_.call_id;
  parts.cseq = cseq;
  Method m = methodFromText(method);
  if (isTargetRefresh(m)) {
    parts.contact = local_contact_;
  }
  std::string strict_uri;
  std::string target_route;
  auto first = route_set_.empty() ? Result<NameAddrView>(fail(Errc::BadNameAddr, 0, "none"))
                                  : parseNameAddr(route_set_.front());
  if (first && !first->uri.params.has("lr")) {
    // §12.2.1.1 strict routing: the first route becomes the Request-URI and the remote target
    // goes to the end of the Route list.
    strict_uri = std::string(first->uri.raw);
    parts.request_uri = strict_uri;
    for (std::size_t i = 1; i < route_set_.size(); ++i) {
      parts.routes.push_back(route_set_[i]);
    }
    target_route = "<" + remote_target_ + ">";
    parts.routes.push_back(target_route);
  } else {
    for (const auto& r : route_set_) {
      parts.routes.push_back(r);
    }
  }
  return writeRequest(parts, via, extras);
}

} // namespace gh::sip
