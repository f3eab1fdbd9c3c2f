#include "sip/transaction/transaction_key.h"

#include <fmt/format.h>

#include "common/text.h"

namespace gh::sip {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = asciiLower(c);
  }
  return out;
}

uint16_t sentByPort(const ViaView& via) {
  if (via.has_port) {
    return via.port;
  }
  return iequals(via.transport, "TLS") ? 5061 : 5060;
}

std::string serverKey(const Message& request, std::string_view method) {
  ViaView via = request.topVia();
  if (via.hasRfc3261Branch()) {
    return fmt::format("{}\x1f{}\x1f{}\x1f{}", via.branch, lower(via.host), sentByPort(via),
                       method);
  }
  return fmt::format("2543\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}",
                     request.requestUriText(), request.callId(), request.from().tag(),
                     request.cseq().number, lower(via.host), sentByPort(via), via.branch, method);
}

} // namespace

std::string clientKey(std::string_view branch, std::string_view method_text) {
  return fmt::format("{}\x1f{}", branch, method_text);
}

std::string clientKeyOf(const Message& message) {
  return clientKey(message.topVia().branch, message.cseq().method_text);
}

std::string serverKeyOf(const Message& request) {
  if (request.method() == Method::Ack) {
    return serverKey(request, "INVITE");
  }
  return serverKey(request, request.methodText());
}

std::string inviteKeyForCancel(const Message& cancel) {
  return serverKey(cancel, "INVITE");
}

} // namespace gh::sip
