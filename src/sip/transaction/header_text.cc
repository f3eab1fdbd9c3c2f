#include "sip/transaction/header_text.h"

#include "common/text.h"

namespace gh::sip {

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

std::vector<std::string_view> headerElements(const Message& message, HeaderId id) {
  std::vector<std::string_view> out;
  for (const auto& h : message.headers()) {
    if (h.id != id) {
      continue;
    }
    // The parser validated these headers, so the split cannot fail; a failure keeps what it has.
    (void)forEachListElement(h.value, [&out](std::string_view element, std::size_t) {
      out.push_back(element);
      return Result<void>{};
    });
  }
  return out;
}

std::string_view firstElement(const Message& message, HeaderId id) {
  const HeaderField* h = message.first(id);
  if (h == nullptr) {
    return {};
  }
  std::string_view first;
  (void)forEachListElement(h->value, [&first](std::string_view element, std::size_t) {
    if (first.empty()) {
      first = element;
    }
    return Result<void>{};
  });
  return first;
}

std::string withTag(const NameAddrView& value, std::string_view tag) {
  std::string out;
  if (!value.display_name.empty()) {
    out.append(value.display_name);
    out.push_back(' ');
  }
  out.push_back('<');
  out.append(value.uri.raw);
  out.push_back('>');
  value.params.forEach([&out](const Param& p) {
    if (iequals(p.name, "tag")) {
      return;
    }
    out.push_back(';');
    out.append(p.name);
    if (p.has_value) {
      out.push_back('=');
      out.append(p.value);
    }
  });
  if (!tag.empty()) {
    out.append(";tag=");
    out.append(tag);
  }
  return out;
}

void appendBody(std::string& out, std::string_view content_type, std::string_view body) {
  if (!body.empty() && !content_type.empty()) {
    appendHeader(out, "Content-Type", content_type);
  }
  out.append("Content-Length: ");
  out.append(std::to_string(body.size()));
  out.append("\r\n\r\n");
  out.append(body);
}

} // namespace gh::sip
