#include "sip/transaction/types.h"

namespace gh::sip {

std::string_view txnKindName(TxnKind kind) {
  switch (kind) {
  case TxnKind::InviteClient: return "invite-client";
  case TxnKind::NonInviteClient: return "non-invite-client";
  case TxnKind::InviteServer: return "invite-server";
  case TxnKind::NonInviteServer: return "non-invite-server";
  }
  return "?";
}

std::string_view txnStateName(TxnState state) {
  switch (state) {
  case TxnState::Calling: return "Calling";
  case TxnState::Trying: return "Trying";
  case TxnState::Proceeding: return "Proceeding";
  case TxnState::Completed: return "Completed";
  case TxnState::Confirmed: return "Confirmed";
  case TxnState::Accepted: return "Accepted";
  case TxnState::Terminated: return "Terminated";
  }
  return "?";
}

std::string_view timerName(TimerName timer) {
  static constexpr std::string_view kNames[] = {"A", "B", "D", "E", "F", "G",   "H",
                                                "I", "J", "K", "L", "M", "100", "cancel"};
  auto i = static_cast<std::size_t>(timer);
  return i < std::size(kNames) ? kNames[i] : "?";
}

std::string_view txnErrorName(TxnError error) {
  switch (error) {
  case TxnError::NotFound: return "no such transaction";
  case TxnError::WrongState: return "not allowed in this transaction state";
  case TxnError::WrongKind: return "not allowed on this kind of transaction";
  case TxnError::OverCapacity: return "transaction limit reached";
  case TxnError::BadMessage: return "not a valid SIP message";
  case TxnError::Duplicate: return "duplicate transaction";
  }
  return "?";
}

} // namespace gh::sip
