#include "sdp/session_description.h"

#include "common/assert.h"

namespace gh::sdp {
namespace {

const Attribute* findIn(std::span<const Attribute> attributes, std::string_view name) {
  for (const Attribute& a : attributes) {
    if (a.is(name)) {
      return &a;
    }
  }
  return nullptr;
}

std::optional<Direction> directionIn(std::span<const Attribute> attributes) {
  for (const Attribute& a : attributes) {
    if (auto d = directionFromName(a.name); d && !a.has_value) {
      return d;
    }
  }
  return std::nullopt;
}

} // namespace

const Attribute* MediaSection::findAttribute(std::string_view name) const {
  return findIn(attributes, name);
}

std::optional<Direction> MediaSection::direction() const {
  return directionIn(attributes);
}

std::optional<RtpmapView> MediaSection::rtpmap(uint8_t payload_type) const {
  for (const Attribute& a : attributes) {
    if (!a.is(attr::kRtpmap)) {
      continue;
    }
    if (auto r = parseRtpmap(a.value); r && r->payload_type == payload_type) {
      return *r;
    }
  }
  return std::nullopt;
}

std::optional<FmtpView> MediaSection::fmtp(std::string_view format) const {
  for (const Attribute& a : attributes) {
    if (!a.is(attr::kFmtp)) {
      continue;
    }
    if (auto f = parseFmtp(a.value); f && f->format == format) {
      return *f;
    }
  }
  return std::nullopt;
}

SessionDescription SessionDescription::clone() const {
  auto copy = parse(text(), limits_);
  // The same bytes under the same limits parsed once already; failing now means memory is corrupt.
  GH_CHECK(copy.has_value());
  return std::move(*copy);
}

LineEnd SessionDescription::preferredLineEnd() const {
  if (!lines_.empty() && lines_.front().end != LineEnd::None) {
    return lines_.front().end;
  }
  return LineEnd::Crlf;
}

const Attribute* SessionDescription::findAttribute(std::string_view name) const {
  return findIn(attributes_, name);
}

Direction SessionDescription::sessionDirection() const {
  return directionIn(attributes_).value_or(Direction::SendRecv);
}

const ConnectionView* SessionDescription::connectionFor(const MediaSection& media) const {
  if (!media.connections.empty()) {
    return &media.connections.front();
  }
  return connection();
}

const Attribute* SessionDescription::findAttribute(const MediaSection& media,
                                                   std::string_view name) const {
  if (const Attribute* a = media.findAttribute(name)) {
    return a;
  }
  return findAttribute(name);
}

Direction SessionDescription::direction(const MediaSection& media) const {
  if (auto d = media.direction()) {
    return *d;
  }
  return sessionDirection();
}

} // namespace gh::sdp
