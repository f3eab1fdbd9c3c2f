#include "call/e164.h"

#include <algorithm>

#include "common/text.h"

namespace gh::call {

std::optional<std::string> e164User(std::string_view user) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < user.size(); ++i) {
    const char c = user[i];
    if (c == '+' && i == 0) {
      plus = true;
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  // Without '+', only what can be nothing but an international number gets one: 11 to 15
  // digits, no leading 0 (a trunk or international prefix). A 10-digit North American or a
  // national number would become another country's; those need a route rewrite.
  if (plus ? digits.empty() : (digits.size() < 11 || digits.front() == '0'))
    return std::nullopt;
  if (digits.size() > 15)
    return std::nullopt;
  return "+" + digits;
}

std::string e164Uri(std::string_view uri) {
  std::size_t scheme = 0;
  if (istartsWith(uri, "sip:")) {
    scheme = 4;
  } else if (istartsWith(uri, "sips:")) {
    scheme = 5;
  } else {
    return std::string(uri);
  }
  const std::size_t at = uri.find('@', scheme);
  if (at == std::string_view::npos)
    return std::string(uri);
  const std::string_view user = uri.substr(scheme, at - scheme);
  auto number = e164User(user);
  if (!number)
    return std::string(uri);
  // hostport ends at the first parameter or header; an IPv6 reference has ':' but no ';' or '?'.
  const std::size_t host_end = std::min(uri.find(';', at), uri.find('?', at));
  const std::string_view hostport = uri.substr(
      at + 1, host_end == std::string_view::npos ? std::string_view::npos : host_end - at - 1);
  const std::string_view rest =
      host_end == std::string_view::npos ? std::string_view{} : uri.substr(host_end);
  std::string out;
  out.reserve(uri.size() + 16);
  out.append(uri.substr(0, scheme)).append(*number).push_back('@');
  out.append(hostport);
  std::string lower(rest);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  const std::size_t headers = lower.find('?');
  if (lower.substr(0, headers).find(";user=") == std::string::npos)
    out.append(";user=phone");
  out.append(rest);
  return out;
}

std::string e164NameAddr(std::string_view value) {
  const std::size_t open = value.find('<');
  if (open != std::string_view::npos) {
    const std::size_t close = value.find('>', open);
    if (close == std::string_view::npos)
      return std::string(value);
    std::string out(value.substr(0, open + 1));
    out += e164Uri(value.substr(open + 1, close - open - 1));
    out.append(value.substr(close));
    return out;
  }
  // An addr-spec: ';' starts header parameters, so the new URI parameter needs brackets.
  const std::size_t semi = value.find(';');
  const std::string_view uri = value.substr(0, semi);
  std::string changed = e164Uri(uri);
  if (changed == uri)
    return std::string(value);
  std::string out = "<" + changed + ">";
  if (semi != std::string_view::npos)
    out.append(value.substr(semi));
  return out;
}

} // namespace gh::call
