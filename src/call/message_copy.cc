#include "call/message_copy.h"

#include <algorithm>

#include "call/header_policy.h"

namespace gh::call {

namespace {

void copyCommon(const sip::Message& m, const config::HeaderPolicy& policy, MessageCopy& out) {
  copyEndToEndHeaders(m, policy, out.headers);
  out.cseq = m.cseq().number;
  out.body = std::string(m.body());
  if (!out.body.empty())
    out.content_type = std::string(m.contentType());
  auto has = [&](sip::HeaderId id) {
    auto tokens = m.tokens(id);
    return tokens && std::find(tokens->begin(), tokens->end(), "timer") != tokens->end();
  };
  out.timer_supported = has(sip::HeaderId::Supported);
  out.timer_required = has(sip::HeaderId::Require);
}

} // namespace

MessageCopy copyResponse(const sip::Message& response, const config::HeaderPolicy& policy) {
  MessageCopy out;
  out.code = response.statusCode();
  out.reason = std::string(response.reasonPhrase());
  copyCommon(response, policy, out);
  return out;
}

MessageCopy copyRequest(const sip::Message& request, const config::HeaderPolicy& policy) {
  MessageCopy out;
  out.method = std::string(request.methodText());
  copyCommon(request, policy, out);
  return out;
}

} // namespace gh::call
