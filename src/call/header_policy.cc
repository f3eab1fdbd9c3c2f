#include "call/header_policy.h"

#include <algorithm>

namespace gh::call {

bool isLegManaged(sip::HeaderId id) {
  using H = sip::HeaderId;
  switch (id) {
  case H::Via:
  case H::Route:
  case H::RecordRoute:
  case H::Contact:
  case H::CallId:
  case H::CSeq:
  case H::From:
  case H::To:
  case H::MaxForwards:
  case H::ContentLength:
  case H::ContentType:
  case H::ContentDisposition:
  case H::ContentEncoding:
  case H::ContentLanguage:
  case H::MimeVersion:
  case H::RSeq:
  case H::RAck:
  case H::Authorization:
  case H::ProxyAuthorization:
  case H::WwwAuthenticate:
  case H::ProxyAuthenticate:
  case H::UserAgent:
  case H::Server:
  case H::Require:
  case H::ProxyRequire:
  case H::Supported:
  case H::Unsupported:
  case H::Replaces: // names a dialog of the other leg, meaningless here
    return true;
  default: return false;
  }
}

void copyEndToEndHeaders(const sip::Message& message, const config::HeaderPolicy& policy,
                         route::HeaderList& out) {
  auto listed = [](const std::vector<config::NameRef>& names, std::string_view name) {
    return std::any_of(names.begin(), names.end(),
                       [&](const config::NameRef& n) { return route::sameHeader(n.name, name); });
  };
  for (const sip::HeaderField& field : message.headers()) {
    if (isLegManaged(field.id))
      continue;
    if (policy.pass == config::HeaderPass::All ? listed(policy.strip, field.name)
                                               : !listed(policy.allow, field.name)) {
      continue;
    }
    out.push_back({std::string(field.name), std::string(field.value)});
  }
}

} // namespace gh::call
