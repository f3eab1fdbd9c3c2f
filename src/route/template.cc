#include "route/template.h"

namespace gh::route {

namespace {

std::string_view valueOf(config::Variable v, const TemplateFacts& f) {
  using V = config::Variable;
  switch (v) {
  case V::RuriUser: return f.ruri_user;
  case V::RuriHost: return f.ruri_host;
  case V::RuriPort: return f.ruri_port;
  case V::FromUser: return f.from_user;
  case V::FromHost: return f.from_host;
  case V::ToUser: return f.to_user;
  case V::ToHost: return f.to_host;
  case V::PeerName: return f.peer_name;
  case V::PeerFqdn: return f.peer_fqdn;
  case V::PeerHost: return f.peer_host;
  case V::PeerPort: return f.peer_port;
  case V::SbcFqdn: return f.sbc_fqdn;
  case V::SourceAddress: return f.source_address;
  }
  return {};
}

} // namespace

std::string expand(const config::Template& tmpl, const TemplateFacts& facts,
                   const std::match_results<std::string_view::const_iterator>* groups) {
  std::string out;
  out.reserve(tmpl.text.size() + 32);
  for (const auto& part : tmpl.parts) {
    switch (part.kind) {
    case config::TemplatePart::Kind::Text: out += part.text; break;
    case config::TemplatePart::Kind::Var: out += valueOf(part.variable, facts); break;
    case config::TemplatePart::Kind::Group:
      if (groups != nullptr && part.group < groups->size() && (*groups)[part.group].matched) {
        const auto& g = (*groups)[part.group];
        out.append(g.first, g.second);
      }
      break;
    }
  }
  return out;
}

} // namespace gh::route
