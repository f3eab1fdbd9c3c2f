#include "route/header_list.h"

#include <algorithm>

#include "sip/message/header_id.h"

namespace gh::route {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

} // namespace

bool sameHeader(std::string_view a, std::string_view b) {
  sip::HeaderId ia = sip::lookupHeader(a);
  sip::HeaderId ib = sip::lookupHeader(b);
  if (ia != sip::HeaderId::Other || ib != sip::HeaderId::Other)
    return ia == ib;
  return equalsIgnoreCase(a, b);
}

void removeHeader(HeaderList& headers, std::string_view name) {
  std::erase_if(headers, [&](const HeaderLine& h) { return sameHeader(h.name, name); });
}

void setHeader(HeaderList& headers, std::string_view name, std::string value) {
  auto first = std::find_if(headers.begin(), headers.end(),
                            [&](const HeaderLine& h) { return sameHeader(h.name, name); });
  if (first == headers.end()) {
    headers.push_back({std::string(name), std::move(value)});
    return;
  }
  first->value = std::move(value);
  auto keep = first - headers.begin();
  std::size_t i = 0;
  std::erase_if(headers, [&](const HeaderLine& h) {
    bool drop = static_cast<std::ptrdiff_t>(i) != keep && sameHeader(h.name, name);
    ++i;
    return drop;
  });
}

const HeaderLine* findHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (sameHeader(h.name, name))
      return &h;
  }
  return nullptr;
}

void applyHeaderActions(const CompiledRoute& route, bool reply, const TemplateFacts& facts,
                        HeaderList& headers) {
  const config::HeaderActions& actions = reply ? route.route->reply.headers : route.route->headers;
  const auto& replaces = reply ? route.reply_header_replaces : route.header_replaces;
  for (const auto& name : actions.remove)
    removeHeader(headers, name.name);
  for (const auto& r : replaces) {
    for (auto& h : headers) {
      if (!sameHeader(h.name, r.rule->header))
        continue;
      std::string out;
      std::string_view value = h.value;
      auto it = value.begin();
      std::match_results<std::string_view::const_iterator> m;
      while (std::regex_search(it, value.end(), m, r.pattern)) {
        out.append(it, m[0].first);
        out += expand(r.rule->with, facts, &m);
        if (m[0].length() == 0) { // an empty match must still advance
          if (m[0].second == value.end()) {
            it = value.end();
            break;
          }
          out += *m[0].second;
          it = m[0].second + 1;
        } else {
          it = m[0].second;
        }
      }
      out.append(it, value.end());
      h.value = std::move(out);
    }
  }
  for (const auto& set : actions.set)
    setHeader(headers, set.header, expand(set.value, facts));
  for (const auto& add : actions.add)
    headers.push_back({add.header, expand(add.value, facts)});
}

} // namespace gh::route
