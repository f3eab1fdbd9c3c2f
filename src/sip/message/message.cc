#include "sip/message/message.h"

#include "common/assert.h"
#include "common/text.h"

namespace gh::sip {

Message::Message(std::unique_ptr<char[]> bytes, uint32_t size, MessageIndex index)
    : bytes_(std::move(bytes)), size_(size), index_(std::move(index)) {}

Method Message::method() const {
  return isRequest() ? index_.method : cseq().method;
}

std::string_view Message::methodText() const {
  return isRequest() ? index_.method_text : cseq().method_text;
}

UriView Message::requestUri() const {
  auto uri = parseUri(index_.request_uri);
  GH_CHECK(uri.has_value() || isResponse());
  return uri ? *uri : UriView{};
}

std::string_view Message::startLine() const {
  std::string_view line = data().substr(index_.begin, index_.start_line_end - index_.begin);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

const HeaderField* Message::first(HeaderId id) const {
  for (const auto& h : index_.headers) {
    if (h.id == id) {
      return &h;
    }
  }
  return nullptr;
}

const HeaderField* Message::first(std::string_view name) const {
  HeaderId id = lookupHeader(name);
  if (id != HeaderId::Other) {
    return first(id);
  }
  for (const auto& h : index_.headers) {
    if (h.id == HeaderId::Other && iequals(h.name, name)) {
      return &h;
    }
  }
  return nullptr;
}

std::size_t Message::count(HeaderId id) const {
  std::size_t n = 0;
  for (const auto& h : index_.headers) {
    n += h.id == id ? 1 : 0;
  }
  return n;
}

std::size_t Message::indexOf(const HeaderField& field) const {
  GH_CHECK(&field >= index_.headers.data() &&
           &field < index_.headers.data() + index_.headers.size());
  return static_cast<std::size_t>(&field - index_.headers.data());
}

std::string_view Message::body() const {
  return data().substr(index_.headers_end, index_.body_size);
}

std::string_view Message::wire() const {
  return data().substr(index_.begin, index_.headers_end + index_.body_size - index_.begin);
}

ViaView Message::topVia() const {
  const HeaderField* h = first(HeaderId::Via);
  GH_CHECK(h != nullptr);
  ViaView via;
  auto status = forEachListElement(h->value, [&via](std::string_view element, std::size_t) {
    if (via.protocol.empty()) {
      auto parsed = parseVia(element);
      GH_CHECK(parsed.has_value());
      via = *parsed;
    }
    return Result<void>{};
  });
  GH_CHECK(status.has_value());
  return via;
}

std::vector<ViaView> Message::vias() const {
  std::vector<ViaView> out;
  for (const auto& h : index_.headers) {
    if (h.id != HeaderId::Via) {
      continue;
    }
    auto status = forEachListElement(h.value, [&out](std::string_view element, std::size_t) {
      auto parsed = parseVia(element);
      GH_CHECK(parsed.has_value());
      out.push_back(*parsed);
      return Result<void>{};
    });
    GH_CHECK(status.has_value());
  }
  return out;
}

NameAddrView Message::from() const {
  auto parsed = parseNameAddr(first(HeaderId::From)->value);
  GH_CHECK(parsed.has_value());
  return *parsed;
}

NameAddrView Message::to() const {
  auto parsed = parseNameAddr(first(HeaderId::To)->value);
  GH_CHECK(parsed.has_value());
  return *parsed;
}

std::string_view Message::callId() const {
  return first(HeaderId::CallId)->value;
}

CSeqView Message::cseq() const {
  auto parsed = parseCSeq(first(HeaderId::CSeq)->value);
  GH_CHECK(parsed.has_value());
  return *parsed;
}

std::optional<uint32_t> Message::maxForwards() const {
  const HeaderField* h = first(HeaderId::MaxForwards);
  if (h == nullptr) {
    return std::nullopt;
  }
  auto v = parseDecimal(h->value);
  return v ? std::optional<uint32_t>(*v) : std::nullopt;
}

std::string_view Message::contentType() const {
  const HeaderField* h = first(HeaderId::ContentType);
  return h != nullptr ? h->value : std::string_view{};
}

bool Message::isContactStar() const {
  const HeaderField* h = first(HeaderId::Contact);
  return h != nullptr && h->value == "*";
}

std::vector<NameAddrView> Message::validatedNameAddrs(HeaderId id) const {
  auto all = nameAddrs(id);
  GH_CHECK(all.has_value());
  return *std::move(all);
}

std::vector<NameAddrView> Message::contacts() const {
  return isContactStar() ? std::vector<NameAddrView>{} : validatedNameAddrs(HeaderId::Contact);
}

std::vector<NameAddrView> Message::routes() const {
  return validatedNameAddrs(HeaderId::Route);
}

std::vector<NameAddrView> Message::recordRoutes() const {
  return validatedNameAddrs(HeaderId::RecordRoute);
}

Result<std::vector<NameAddrView>> Message::nameAddrs(HeaderId id) const {
  std::vector<NameAddrView> out;
  for (const auto& h : index_.headers) {
    if (h.id != id) {
      continue;
    }
    auto status = forEachListElement(h.value, [&out](std::string_view element, std::size_t) {
      auto parsed = parseNameAddr(element);
      if (!parsed) {
        return Result<void>(fail(parsed.error()));
      }
      out.push_back(*parsed);
      return Result<void>{};
    });
    if (!status) {
      return fail(status.error());
    }
  }
  return out;
}

Result<std::vector<std::string_view>> Message::tokens(HeaderId id) const {
  std::vector<std::string_view> out;
  for (const auto& h : index_.headers) {
    if (h.id != id || h.value.empty()) {
      continue; // an empty Supported/Allow is legal
    }
    auto status = forEachToken(h.value, [&out](std::string_view t) { out.push_back(t); });
    if (!status) {
      return fail(status.error());
    }
  }
  return out;
}

Result<std::optional<uint32_t>> Message::expires() const {
  const HeaderField* h = first(HeaderId::Expires);
  if (h == nullptr) {
    return std::optional<uint32_t>{};
  }
  auto v = parseDecimal(h->value);
  if (!v) {
    return fail(v.error());
  }
  return std::optional<uint32_t>(*v);
}

} // namespace gh::sip
