#include "call/header_policy.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "common/text.h"
#include "sip/message/name_addr.h"

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

namespace {

std::string withHost(const sip::NameAddrView& id, std::string_view host) {
  std::string display = id.display_name.empty() ? "" : fmt::format("{} ", id.display_name);
  return fmt::format("{}<{}:{}{}{}{}>{}", display, sip::schemeName(id.uri.scheme), id.uri.user,
                     id.uri.has_user ? "@" : "", host, id.uri.params.raw(), id.params.raw());
}

} // namespace

void hideIdentityHosts(route::HeaderList& headers, std::string_view host) {
  for (auto& h : headers) {
    if (!iequals(h.name, "P-Asserted-Identity") && !iequals(h.name, "P-Preferred-Identity") &&
        !iequals(h.name, "Remote-Party-ID"))
      continue;
    std::string out;
    auto each = sip::forEachListElement(
        h.value, [&](std::string_view element, std::size_t) -> Result<sip::NameAddrView> {
          auto id = sip::parseNameAddr(element);
          if (id) {
            if (!out.empty())
              out += ", ";
            out += id->uri.isSip() ? withHost(*id, host) : std::string(element);
          }
          return id;
        });
    if (each)
      h.value = std::move(out);
  }
}

} // namespace gh::call
