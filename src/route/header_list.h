#pragma once
// The headers of a message Gatehouse is building for the other leg, in order, plus the route's
// header actions on them (remove, replace, set, add: in that order, as docs/config.md says).

#include <string>
#include <string_view>
#include <vector>

#include "route/router.h"
#include "route/template.h"

namespace gh::route {

struct HeaderLine {
  std::string name;
  std::string value;
};

using HeaderList = std::vector<HeaderLine>;

// Same header: case-insensitive, compact forms equal to their full names ("t" == "To").
bool sameHeader(std::string_view a, std::string_view b);

void removeHeader(HeaderList& headers, std::string_view name);
// Replaces every instance with one value, at the first instance's place (or appends it).
void setHeader(HeaderList& headers, std::string_view name, std::string value);
const HeaderLine* findHeader(const HeaderList& headers, std::string_view name);

// Applies a route's request header actions (`reply` = false) or its reply rules (`reply` = true).
void applyHeaderActions(const CompiledRoute& route, bool reply, const TemplateFacts& facts,
                        HeaderList& headers);

} // namespace gh::route
