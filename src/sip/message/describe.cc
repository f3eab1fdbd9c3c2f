#include "sip/message/describe.h"

#include <fmt/format.h>

#include "sip/message/grammar.h"

namespace gh::sip {
namespace {

void describeUri(std::string& out, const UriView& uri, std::string_view indent) {
  out += fmt::format("{}scheme={}", indent, uri.scheme_text);
  if (uri.scheme == UriScheme::Other) {
    out += fmt::format(" opaque={}\n", printable(uri.opaque));
    return;
  }
  if (uri.has_user) {
    out += fmt::format(" user={}", printable(uri.user));
  }
  if (uri.has_password) {
    out += " password=(set)";
  }
  if (!uri.host.empty()) {
    out += fmt::format(" host={}", uri.host);
  }
  if (uri.has_port) {
    out += fmt::format(" port={}", uri.port);
  }
  uri.params.forEach([&out](const Param& p) {
    out += p.has_value ? fmt::format(" ;{}={}", p.name, p.value) : fmt::format(" ;{}", p.name);
  });
  if (!uri.headers.empty()) {
    out += fmt::format(" ?{}", uri.headers);
  }
  out += '\n';
}

void describeParams(std::string& out, const ParamsView& params) {
  params.forEach([&out](const Param& p) {
    out += p.has_value ? fmt::format(" {}={}", p.name, printable(p.value))
                       : fmt::format(" {}", p.name);
  });
}

void describeNameAddr(std::string& out, const NameAddrView& a) {
  out += "      ";
  if (!a.display_name.empty()) {
    out += fmt::format("display=\"{}\" ", printable(a.displayNameText()));
  }
  out += fmt::format("uri={}", printable(a.uri.raw));
  describeParams(out, a.params);
  out += '\n';
  describeUri(out, a.uri, "        ");
}

void describeTyped(std::string& out, const HeaderField& h) {
  switch (h.id) {
  case HeaderId::Via:
    (void)forEachListElement(h.value, [&out](std::string_view element, std::size_t) {
      auto via = parseVia(element);
      if (via) {
        out += fmt::format("      via {}/{}/{} host={}", via->protocol, via->version,
                           via->transport, via->host);
        if (via->has_port) {
          out += fmt::format(" port={}", via->port);
        }
        describeParams(out, via->params);
        out += '\n';
      }
      return Result<void>{};
    });
    break;
  case HeaderId::From:
  case HeaderId::To:
  case HeaderId::Contact:
  case HeaderId::Route:
  case HeaderId::RecordRoute:
  case HeaderId::PAssertedIdentity:
    if (h.value == "*") {
      out += "      wildcard\n";
      break;
    }
    (void)forEachListElement(h.value, [&out](std::string_view element, std::size_t) {
      auto addr = parseNameAddr(element);
      if (addr) {
        describeNameAddr(out, *addr);
      } else {
        out += fmt::format("      (not a name-addr: {})\n", addr.error().what);
      }
      return Result<void>{};
    });
    break;
  case HeaderId::CSeq:
    if (auto cseq = parseCSeq(h.value)) {
      out += fmt::format("      number={} method={}\n", cseq->number, cseq->method_text);
    }
    break;
  default: break;
  }
}

} // namespace

std::string printable(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c == '\r' || c == '\n') {
      std::size_t j = grammar::skipLws(value, i);
      out.push_back(' ');
      // Drop the white space that precedes the fold as well, so "a \r\n b" reads "a b".
      while (out.size() >= 2 && out[out.size() - 2] == ' ') {
        out.pop_back();
      }
      i = j - 1;
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string describe(const Message& m) {
  std::string out;
  if (m.isRequest()) {
    out += fmt::format("request: {}\n", printable(m.methodText()));
    out += fmt::format("request-uri: {}\n", printable(m.requestUriText()));
    describeUri(out, m.requestUri(), "  ");
  } else {
    out += fmt::format("response: {} {}\n", m.statusCode(), printable(m.reasonPhrase()));
    out += fmt::format("  for: {}\n", printable(m.methodText()));
  }
  out += "version: SIP/2.0\n";
  out += fmt::format("call-id: {}\n", printable(m.callId()));
  auto cseq = m.cseq();
  out += fmt::format("cseq: {} {}\n", cseq.number, cseq.method_text);
  out += fmt::format("headers: {}\n", m.headers().size());
  for (const auto& h : m.headers()) {
    std::string_view name = h.id == HeaderId::Other ? h.name : canonicalName(h.id);
    out += fmt::format("  {}: {}\n", printable(name), printable(h.value));
    describeTyped(out, h);
  }
  std::string_view body = m.body();
  out += fmt::format("body: {} bytes", body.size());
  if (!m.contentType().empty()) {
    out += fmt::format(" ({})", printable(m.contentType()));
  }
  out += '\n';
  bool text = true;
  for (char c : body) {
    auto u = static_cast<unsigned char>(c);
    text = text && (u >= 0x20 || c == '\r' || c == '\n' || c == '\t');
  }
  if (text) {
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t nl = body.find('\n', pos);
      std::string_view line = body.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      out += fmt::format("  | {}\n", line);
      if (nl == std::string_view::npos) {
        break;
      }
      pos = nl + 1;
    }
  } else {
    out += "  (binary)\n";
  }
  if (m.ignoredTrailingBytes() > 0) {
    out += fmt::format("ignored: {} bytes after the body (RFC 3261 §18.3)\n",
                       m.ignoredTrailingBytes());
  }
  return out;
}

} // namespace gh::sip
