#pragma once
// The route table compiled once per config load: the first route whose match keys all hold wins.
// Regexes are compiled here so that a request never pays for compilation; a reload builds a new
// Router and swaps it in.

#include <cstddef>
#include <optional>
#include <regex>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace gh::route {

struct RequestFacts {
  std::string_view method;      // as written in the request line
  std::string_view request_uri; // text
  std::string_view from_uri;    // the From URI text (no display name, no tag)
  std::string_view to_uri;
  std::size_t interface = 0;         // index into Config::interfaces
  std::optional<std::size_t> peer{}; // index into Config::peers when the source is a known peer
};

struct CompiledRoute {
  const config::Route* route = nullptr;
  std::optional<std::regex> request_uri, from, to;
  std::vector<std::size_t> from_peers, from_interfaces, to_peers;
  std::vector<std::string> methods;

  struct Replace {
    const config::HeaderReplace* rule;
    std::regex pattern;
  };

  std::vector<Replace> header_replaces;
  std::vector<Replace> reply_header_replaces;
};

class Router {
public:
  explicit Router(const config::Config& config);

  // nullptr when no route matches (the caller answers 404).
  const CompiledRoute* select(const RequestFacts& facts) const;

  const std::vector<CompiledRoute>& routes() const { return routes_; }

private:
  std::vector<CompiledRoute> routes_;
};

} // namespace gh::route
