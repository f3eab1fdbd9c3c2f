#include "profiles/to_host.h"

#include <string_view>

#include "config/types.h"
#include "route/header_list.h"
#include "sip/message/name_addr.h"

namespace gh::profiles {

namespace {

bool hostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// The literal host right after '@' in a regex: letters, digits, '-' and escaped dots.
std::string literalHostAfter(std::string_view pattern, std::size_t at) {
  std::string host;
  for (std::size_t i = at + 1; i < pattern.size(); ++i) {
    if (hostChar(pattern[i])) {
      host += pattern[i];
    } else if (pattern[i] == '\\' && i + 1 < pattern.size() && pattern[i + 1] == '.') {
      host += '.';
      ++i;
    } else {
      break;
    }
  }
  // A quantifier or group right after the run would make the literal a guess.
  return host.empty() || host.back() == '.' ? std::string{} : host;
}

std::string literalUserBefore(std::string_view pattern, std::size_t at) {
  std::size_t begin = at;
  while (begin > 0 && hostChar(pattern[begin - 1]))
    --begin;
  if (begin == at || (begin > 0 && pattern[begin - 1] != ':'))
    return {};
  return std::string(pattern.substr(begin, at - begin));
}

} // namespace

SampleRequest sampleRequest(const config::Route& route) {
  SampleRequest sample;
  if (!route.match.request_uri)
    return sample;
  std::string_view pattern = route.match.request_uri->pattern;
  // The last '@': an earlier one may sit in a class such as [^@].
  std::size_t at = pattern.rfind('@');
  if (at == std::string_view::npos)
    return sample;
  if (std::string host = literalHostAfter(pattern, at); !host.empty())
    sample.host = std::move(host);
  if (std::string user = literalUserBefore(pattern, at); !user.empty())
    sample.user = std::move(user);
  return sample;
}

ToHostResult evaluateToHost(const config::Config& config, const route::CompiledRoute& route,
                            const config::Peer& peer) {
  ToHostResult result;
  result.sample = sampleRequest(*route.route);
  const std::string port = std::to_string(peer.port);
  const std::string address = peer.address ? config::formatIpAddress(peer.address->ip) : "";
  route::TemplateFacts facts{
      .ruri_user = result.sample.user,
      .ruri_host = result.sample.host,
      .from_user = "caller",
      .from_host = result.sample.host,
      .to_user = result.sample.user,
      .to_host = result.sample.host,
      .peer_name = peer.name,
      .peer_fqdn = peer.fqdn,
      .peer_host = peer.fqdn.empty() ? std::string_view(address) : std::string_view(peer.fqdn),
      .peer_port = port,
      .sbc_fqdn = config.sbc.fqdn,
      .source_address = "192.0.2.1",
  };
  route::HeaderList headers{
      {"From", "<sip:caller@" + result.sample.host + ">;tag=1"},
      {"To", "<sip:" + result.sample.user + "@" + result.sample.host + ">"},
  };
  route::applyHeaderActions(route, false, facts, headers);
  if (const route::HeaderLine* to = route::findHeader(headers, "To")) {
    result.to = to->value;
    if (auto parsed = sip::parseNameAddr(result.to); parsed && parsed->uri.isSip())
      result.host = std::string(parsed->uri.host);
  }
  return result;
}

} // namespace gh::profiles
