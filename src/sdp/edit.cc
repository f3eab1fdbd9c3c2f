#include "sdp/edit.h"

#include <algorithm>

#include "common/assert.h"
#include "sdp/ice.h"
#include "sdp/tokens.h"
#include "sdp/writer.h"

namespace gh::sdp {
namespace {

// Line types that come before c= (RFC 8866 section 5 order).
constexpr std::string_view kBeforeSessionC = "vosiuep";
constexpr std::string_view kBeforeMediaC = "mi";

// A value with a line break would smuggle extra lines into the SDP sent to the peer. Callers pass
// values from a parsed SDP (which cannot hold them) or from configuration (validated at load), so
// finding one is a bug; the bytes are blanked rather than sent.
std::string oneLine(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n' || c == '\0') {
      GH_BUG(false, "sdp edit value holds CR, LF or NUL");
      c = ' ';
    }
  }
  return text;
}

std::string attributeText(std::string_view name, std::optional<std::string_view> value) {
  std::string text(name);
  if (value) {
    text += ':';
    text += *value;
  }
  return text;
}

std::string connectionText(std::string_view addrtype, std::string_view address) {
  std::string text = "IN ";
  text += addrtype;
  text += ' ';
  text += address;
  return text;
}

} // namespace

// ---- SectionEdit ----------------------------------------------------------------------------

SectionEdit::SectionEdit(std::span<const Line> lines, LineEnd new_line_end,
                         std::string_view before_c)
    : new_line_end_(new_line_end), before_c_(before_c) {
  lines_.reserve(lines.size());
  for (const Line& line : lines) {
    EditLine edit;
    edit.type = line.type;
    edit.end = line.end;
    edit.original = line.value;
    lines_.push_back(std::move(edit));
  }
}

void SectionEdit::setLine(EditLine& line, std::string text) {
  line.text = oneLine(std::move(text));
  line.changed = true;
}

SectionEdit::EditLine SectionEdit::makeLine(char type, std::string text) const {
  EditLine line;
  line.type = type;
  line.end = new_line_end_;
  line.changed = true;
  line.text = oneLine(std::move(text));
  return line;
}

bool SectionEdit::keepFirst(const std::function<bool(const EditLine&)>& match, std::string text) {
  std::size_t first = 0;
  while (first < lines_.size() && !match(lines_[first])) {
    ++first;
  }
  if (first == lines_.size()) {
    return false;
  }
  setLine(lines_[first], std::move(text));
  std::size_t kept = first + 1;
  for (std::size_t i = first + 1; i < lines_.size(); ++i) {
    if (match(lines_[i])) {
      continue;
    }
    if (kept != i) {
      lines_[kept] = std::move(lines_[i]);
    }
    ++kept;
  }
  lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(kept), lines_.end());
  return true;
}

bool SectionEdit::hasAttribute(std::string_view name) const {
  return attributeValue(name).has_value();
}

std::size_t SectionEdit::attributeCount(std::string_view name) const {
  std::size_t n = 0;
  for (const EditLine& line : lines_) {
    if (line.type == 'a' && attributeNameIs(splitAttribute(line.value()).name, name)) {
      ++n;
    }
  }
  return n;
}

std::optional<std::string_view> SectionEdit::attributeValue(std::string_view name) const {
  for (const EditLine& line : lines_) {
    if (line.type != 'a') {
      continue;
    }
    const AttributeView a = splitAttribute(line.value());
    if (attributeNameIs(a.name, name)) {
      return a.value;
    }
  }
  return std::nullopt;
}

std::vector<AttributeView> SectionEdit::attributes() const {
  std::vector<AttributeView> out;
  for (const EditLine& line : lines_) {
    if (line.type == 'a') {
      out.push_back(splitAttribute(line.value()));
    }
  }
  return out;
}

std::size_t SectionEdit::removeAttributesIf(const std::function<bool(const AttributeView&)>& pred) {
  const auto removed = std::erase_if(lines_, [&](const EditLine& line) {
    return line.type == 'a' && pred(splitAttribute(line.value()));
  });
  return static_cast<std::size_t>(removed);
}

std::size_t SectionEdit::removeAttributes(std::string_view name) {
  return removeAttributesIf(
      [name](const AttributeView& a) { return attributeNameIs(a.name, name); });
}

std::size_t SectionEdit::replaceAttributeValues(std::string_view name, std::string_view value) {
  std::size_t n = 0;
  for (EditLine& line : lines_) {
    if (line.type != 'a') {
      continue;
    }
    const AttributeView a = splitAttribute(line.value());
    if (attributeNameIs(a.name, name)) {
      setLine(line, attributeText(a.name, value));
      ++n;
    }
  }
  return n;
}

void SectionEdit::addAttribute(std::string_view name) {
  lines_.push_back(makeLine('a', attributeText(name, std::nullopt)));
}

void SectionEdit::addAttribute(std::string_view name, std::string_view value) {
  lines_.push_back(makeLine('a', attributeText(name, value)));
}

void SectionEdit::setAttribute(std::string_view name, std::string_view value) {
  const bool kept = keepFirst(
      [name](const EditLine& line) {
        return line.type == 'a' && attributeNameIs(splitAttribute(line.value()).name, name);
      },
      attributeText(name, value));
  if (!kept) {
    addAttribute(name, value);
  }
}

void SectionEdit::setDirection(Direction direction) {
  const bool kept = keepFirst(
      [](const EditLine& line) {
        return line.type == 'a' && isDirectionAttribute(splitAttribute(line.value()).name);
      },
      std::string(directionName(direction)));
  if (!kept) {
    addAttribute(directionName(direction));
  }
}

std::optional<Direction> SectionEdit::direction() const {
  for (const EditLine& line : lines_) {
    if (line.type != 'a') {
      continue;
    }
    const AttributeView a = splitAttribute(line.value());
    if (auto d = directionFromName(a.name); d && !a.has_value) {
      return d;
    }
  }
  return std::nullopt;
}

void SectionEdit::setConnection(std::string_view addrtype, std::string_view address) {
  if (keepFirst([](const EditLine& line) { return line.type == 'c'; },
                connectionText(addrtype, address))) {
    return;
  }
  std::size_t at = 0;
  while (at < lines_.size() && before_c_.find(lines_[at].type) != std::string_view::npos) {
    ++at;
  }
  lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(at),
                makeLine('c', connectionText(addrtype, address)));
}

bool SectionEdit::hasConnection() const {
  return std::any_of(lines_.begin(), lines_.end(),
                     [](const EditLine& line) { return line.type == 'c'; });
}

std::size_t SectionEdit::removeLines(char type) {
  if (type == 'v' || type == 'o' || type == 'm') {
    return 0;
  }
  return static_cast<std::size_t>(
      std::erase_if(lines_, [type](const EditLine& line) { return line.type == type; }));
}

std::size_t SectionEdit::removeIce() {
  return removeAttributesIf([](const AttributeView& a) { return isIceAttribute(a.name); });
}

std::size_t SectionEdit::removeRtcpMux() {
  return removeAttributes(attr::kRtcpMux);
}

std::size_t SectionEdit::removeDtls() {
  return removeAttributesIf([](const AttributeView& a) { return isDtlsAttribute(a.name); });
}

std::size_t SectionEdit::removeCrypto() {
  return removeAttributes(attr::kCrypto);
}

void SectionEdit::addCrypto(const CryptoSpec& spec) {
  addAttribute(attr::kCrypto, formatCrypto(spec));
}

// ---- MediaEdit ------------------------------------------------------------------------------

MediaEdit::MediaEdit(const MediaSection& section, std::span<const Line> lines, LineEnd new_line_end)
    : SectionEdit(lines, new_line_end, kBeforeMediaC), media_(section.line.media),
      port_(section.line.port), port_count_(section.line.port_count), proto_(section.line.proto),
      formats_text_(section.line.formats_text) {}

void MediaEdit::setPort(uint16_t port) {
  port_ = port;
  port_count_.reset();
  rewriteMediaLine();
}

void MediaEdit::setPort(uint16_t port, uint16_t port_count) {
  port_ = port;
  port_count_ = port_count;
  rewriteMediaLine();
}

void MediaEdit::setProto(std::string_view proto) {
  proto_ = std::string(proto);
  rewriteMediaLine();
}

void MediaEdit::rewriteMediaLine() {
  std::string text(media_);
  text += ' ';
  detail::appendDecimal(text, port_);
  if (port_count_) {
    text += '/';
    detail::appendDecimal(text, *port_count_);
  }
  text += ' ';
  text += proto_;
  if (!formats_text_.empty()) {
    text += ' ';
    text += formats_text_;
  }
  // The m= line opens the section and removeLines() never takes it away.
  GH_ASSERT(!lines_.empty() && lines_.front().type == 'm');
  setLine(lines_.front(), std::move(text));
}

// ---- SdpEdit --------------------------------------------------------------------------------

SdpEdit::SdpEdit(const SessionDescription& sdp)
    : origin_(sdp.origin()),
      session_(sdp.lines().first(sdp.sessionLineCount()), sdp.preferredLineEnd(), kBeforeSessionC),
      trailer_(sdp.trailer()), new_line_end_(sdp.preferredLineEnd()) {
  media_.reserve(sdp.media().size());
  for (const MediaSection& section : sdp.media()) {
    media_.push_back(MediaEdit(section, sdp.lines().subspan(section.first_line, section.line_count),
                               new_line_end_));
  }
}

MediaEdit& SdpEdit::media(std::size_t index) {
  GH_CHECK(index < media_.size());
  return media_[index];
}

const MediaEdit& SdpEdit::media(std::size_t index) const {
  GH_CHECK(index < media_.size());
  return media_[index];
}

void SdpEdit::setOriginAddress(std::string_view addrtype, std::string_view address) {
  origin_addrtype_ = std::string(addrtype);
  origin_address_ = std::string(address);
  rewriteOrigin();
}

void SdpEdit::setOriginVersion(uint64_t version) {
  std::string text;
  detail::appendDecimal(text, version);
  origin_version_ = std::move(text);
  rewriteOrigin();
}

void SdpEdit::rewriteOrigin() {
  std::string text(origin_.username);
  text += ' ';
  text += origin_.session_id;
  text += ' ';
  text += origin_version_ ? std::string_view(*origin_version_) : origin_.session_version;
  text += ' ';
  text += origin_.nettype;
  text += ' ';
  text += origin_addrtype_ ? std::string_view(*origin_addrtype_) : origin_.addrtype;
  text += ' ';
  text += origin_address_ ? std::string_view(*origin_address_) : origin_.address;
  // parse() guarantees exactly one session-level o= line, and removeLines() keeps it.
  for (SectionEdit::EditLine& line : session_.lines_) {
    if (line.type == 'o') {
      session_.setLine(line, std::move(text));
      return;
    }
  }
  GH_BUG(false, "session without o= line");
}

void SdpEdit::rewriteConnections(std::string_view addrtype, std::string_view address) {
  const bool media_without_c = std::any_of(media_.begin(), media_.end(),
                                           [](const MediaEdit& m) { return !m.hasConnection(); });
  if (session_.hasConnection() || media_without_c) {
    session_.setConnection(addrtype, address);
  }
  for (MediaEdit& m : media_) {
    if (m.hasConnection()) {
      m.setConnection(addrtype, address);
    }
  }
}

std::size_t SdpEdit::removeIce() {
  std::size_t n = session_.removeIce();
  for (MediaEdit& m : media_) {
    n += m.removeIce();
  }
  return n;
}

std::size_t SdpEdit::removeRtcpMux() {
  std::size_t n = session_.removeRtcpMux();
  for (MediaEdit& m : media_) {
    n += m.removeRtcpMux();
  }
  return n;
}

std::size_t SdpEdit::removeDtls() {
  std::size_t n = session_.removeDtls();
  for (MediaEdit& m : media_) {
    n += m.removeDtls();
  }
  return n;
}

std::string SdpEdit::toString() const {
  std::string out;
  // Each line end is written when the next line comes, so a last line that had none and is no
  // longer last gets one instead of merging with its successor.
  LineEnd pending = LineEnd::None;
  bool first = true;
  auto write = [&](const SectionEdit& section) {
    for (const SectionEdit::EditLine& line : section.lines_) {
      if (!first) {
        out += lineEndText(pending == LineEnd::None ? new_line_end_ : pending);
      }
      first = false;
      writeLine(out, line.type, line.value(), LineEnd::None);
      pending = line.end;
    }
  };
  write(session_);
  for (const MediaEdit& m : media_) {
    write(m);
  }
  out += lineEndText(pending);
  out += trailer_;
  return out;
}

} // namespace gh::sdp
