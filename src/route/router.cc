#include "route/router.h"

#include <algorithm>

#include "common/text.h"
#include "config/regex_syntax.h"

namespace gh::route {

namespace {

template <class T>
std::optional<std::size_t> indexByName(const std::vector<T>& items, std::string_view name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name)
      return i;
  }
  return std::nullopt;
}

bool searches(const std::optional<std::regex>& re, std::string_view text) {
  return !re || std::regex_search(text.begin(), text.end(), *re);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'a' && x <= 'z')
      x = static_cast<unsigned char>(x - 32);
    if (y >= 'a' && y <= 'z')
      y = static_cast<unsigned char>(y - 32);
    if (x != y)
      return false;
  }
  return true;
}

} // namespace

Router::Router(const config::Config& config) {
  routes_.reserve(config.routes.size());
  for (const config::Route& route : config.routes) {
    CompiledRoute c;
    c.route = &route;
    // The loader has compiled every pattern with the same syntax, so these cannot throw.
    if (route.match.request_uri) {
      c.request_uri.emplace(route.match.request_uri->pattern, config::kRegexSyntax);
    }
    if (route.match.from)
      c.from.emplace(route.match.from->pattern, config::kRegexSyntax);
    if (route.match.to)
      c.to.emplace(route.match.to->pattern, config::kRegexSyntax);
    for (const auto& ref : route.match.from_peers) {
      if (auto i = indexByName(config.peers, ref.name))
        c.from_peers.push_back(*i);
    }
    for (const auto& ref : route.match.from_interfaces) {
      if (auto i = indexByName(config.interfaces, ref.name))
        c.from_interfaces.push_back(*i);
    }
    for (const auto& ref : route.to_peers) {
      if (auto i = indexByName(config.peers, ref.name))
        c.to_peers.push_back(*i);
    }
    for (const auto& ref : route.match.methods)
      c.methods.push_back(ref.name);
    for (const auto& rule : route.headers.replace) {
      c.header_replaces.push_back({&rule, std::regex(rule.pattern.pattern, config::kRegexSyntax)});
    }
    for (const auto& rule : route.reply.headers.replace) {
      c.reply_header_replaces.push_back(
          {&rule, std::regex(rule.pattern.pattern, config::kRegexSyntax)});
    }
    routes_.push_back(std::move(c));
  }
}

const CompiledRoute* Router::select(const RequestFacts& facts) const {
  for (const CompiledRoute& c : routes_) {
    if (!c.from_interfaces.empty() && std::find(c.from_interfaces.begin(), c.from_interfaces.end(),
                                                facts.interface) == c.from_interfaces.end()) {
      continue;
    }
    if (!c.from_peers.empty() && (!facts.peer || std::find(c.from_peers.begin(), c.from_peers.end(),
                                                           *facts.peer) == c.from_peers.end())) {
      continue;
    }
    if (!c.methods.empty() &&
        std::none_of(c.methods.begin(), c.methods.end(),
                     [&](const std::string& m) { return equalsIgnoreCase(m, facts.method); })) {
      continue;
    }
    if (!searches(c.request_uri, facts.request_uri) || !searches(c.from, facts.from_uri) ||
        !searches(c.to, facts.to_uri)) {
      continue;
    }
    return &c;
  }
  return nullptr;
}

} // namespace gh::route
