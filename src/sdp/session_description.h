#pragma once
// A parsed SDP body (RFC 8866). The SessionDescription owns one copy of the bytes and indexes
// them with views: every line in order (with its own line ending, so serialize() reproduces the
// input byte for byte), the structural lines parsed (o=, session and media c=, m=), and every
// a= line split into name and value. Typed attribute parsing happens on demand and never fails
// the whole description.
//
//   Result<SessionDescription> sdp = parse(body);
//   if (!sdp) return reject(sdp.error());               // Errc::BadSdp, offset, what
//   for (const MediaSection& m : sdp->media()) {
//     const ConnectionView* c = sdp->connectionFor(m);  // media c= or else session c=
//     for (const Attribute& a : m.attributes) {
//       if (a.is(attr::kCrypto)) {
//         Result<CryptoView> crypto = parseAttribute(a, parseCrypto);  // offsets into the body
//       }
//     }
//   }
//
// Thread: a SessionDescription is an immutable value after parse(); any thread may read it.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "sdp/attributes.h"
#include "sdp/fields.h"
#include "sdp/lifetimebound.h"
#include "sdp/limits.h"

namespace gh::sdp {

// How one line ended in the input. None only for a last line without a line end.
enum class LineEnd : uint8_t { Crlf, Lf, None };

constexpr std::string_view lineEndText(LineEnd end) {
  switch (end) {
  case LineEnd::Crlf: return "\r\n";
  case LineEnd::Lf: return "\n";
  case LineEnd::None: return "";
  }
  return "";
}

// One "<type>=<value>" line of the body.
struct Line {
  char type = 0;
  LineEnd end = LineEnd::Crlf;
  uint32_t offset = 0;    // of the type letter in the body
  std::string_view value; // after "<type>=", without the line end
};

// One a= line, session or media level.
struct Attribute {
  std::string_view name;
  std::string_view value; // empty for a flag such as a=rtcp-mux
  bool has_value = false;
  uint32_t line = 0;         // index into SessionDescription::lines()
  uint32_t value_offset = 0; // of `value` in the body: typed parse errors are moved by it

  bool is(std::string_view attribute_name) const { return attributeNameIs(name, attribute_name); }

  AttributeView view() const { return {name, value, has_value}; }
};

// Runs a typed attribute parser (parseRtpmap, parseCrypto, parseCandidate, ...) on an attribute's
// value and turns an error offset relative to the value into an offset into the whole body.
template <class Parser>
auto parseAttribute(const Attribute& attribute, Parser&& parser)
    -> decltype(parser(attribute.value)) {
  auto result = parser(attribute.value);
  if (!result) {
    return fail(result.error().shifted(attribute.value_offset));
  }
  return result;
}

// One m= line and the lines up to the next m= line.
struct MediaSection {
  MediaLineView line;                       // media, port, port count, proto, format text
  std::vector<std::string_view> formats;    // the fmt list split: "0", "101" or "wb"
  std::vector<ConnectionView> connections;  // media-level c= lines (several only for multicast)
  std::vector<std::string_view> bandwidths; // b= values, see parseBandwidth()
  std::vector<Attribute> attributes;
  uint32_t first_line = 0; // index of the m= line in SessionDescription::lines()
  uint32_t line_count = 0; // the m= line included

  bool isRejected() const { return line.port == 0; }

  // The first attribute named `name` (case-insensitive), or nullptr.
  const Attribute* findAttribute(std::string_view name) const;

  bool hasAttribute(std::string_view name) const { return findAttribute(name) != nullptr; }

  // The direction attribute of this section, if it has one.
  std::optional<Direction> direction() const;
  // The first rtpmap / fmtp for a format that parses; nullopt when there is none.
  std::optional<RtpmapView> rtpmap(uint8_t payload_type) const;
  std::optional<FmtpView> fmtp(std::string_view format) const;
};

class SessionDescription;
struct ParserAccess;

// Parses and indexes `text`, copying it once. Fails with Errc::BadSdp, the byte offset of the
// problem and a static reason when: the body exceeds a limit; it is empty; the first line is not
// "v=0"; a line is not <letter>=<value>; it holds a NUL or a CR not followed by LF; an empty line
// is followed by more text; o= is missing, repeated, or malformed; session-level c= is repeated;
// a c= or m= line is malformed. Trailing empty lines are kept (see trailer()). Pure, bounded,
// never recursive.
Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});

class SessionDescription {
public:
  SessionDescription(SessionDescription&&) noexcept = default;
  SessionDescription& operator=(SessionDescription&&) noexcept = default;
  SessionDescription(const SessionDescription&) = delete;
  SessionDescription& operator=(const SessionDescription&) = delete;
  ~SessionDescription() = default;

  // A deep copy (the views of a plain copy would point into the original's bytes).
  SessionDescription clone() const;

  std::string_view text() const GH_LIFETIMEBOUND { return {bytes_.get(), size_}; }

  std::span<const Line> lines() const GH_LIFETIMEBOUND { return lines_; }

  // Empty lines after the last line, kept so serialize() gives the input back. Usually empty.
  std::string_view trailer() const GH_LIFETIMEBOUND { return trailer_; }

  // The line end new lines should get: that of the first line, CRLF if it has none.
  LineEnd preferredLineEnd() const;

  const Limits& limits() const { return limits_; }

  // Session level.
  const OriginView& origin() const GH_LIFETIMEBOUND { return origin_; }

  std::string_view sessionName() const GH_LIFETIMEBOUND { return session_name_; }

  const ConnectionView* connection() const GH_LIFETIMEBOUND {
    return connection_ ? &*connection_ : nullptr;
  }

  std::span<const std::string_view> bandwidths() const GH_LIFETIMEBOUND { return bandwidths_; }

  std::span<const Attribute> attributes() const GH_LIFETIMEBOUND { return attributes_; }

  // Lines before the first m= line (all lines when there is none).
  uint32_t sessionLineCount() const { return session_line_count_; }

  const Attribute* findAttribute(std::string_view name) const GH_LIFETIMEBOUND;
  Direction sessionDirection() const;

  std::span<const MediaSection> media() const GH_LIFETIMEBOUND { return media_; }

  // Media level falling back to session level, as RFC 8866 and RFC 8839 define for c=,
  // direction, ice-ufrag/ice-pwd, fingerprint and setup. `media` must belong to this object.
  const ConnectionView* connectionFor(const MediaSection& media) const GH_LIFETIMEBOUND;
  const Attribute* findAttribute(const MediaSection& media,
                                 std::string_view name) const GH_LIFETIMEBOUND;
  Direction direction(const MediaSection& media) const;

private:
  friend struct ParserAccess;
  SessionDescription() = default;

  std::unique_ptr<char[]> bytes_; // never reallocated, so the views survive a move
  uint32_t size_ = 0;
  Limits limits_;
  std::vector<Line> lines_;
  std::string_view trailer_;
  uint32_t session_line_count_ = 0;
  OriginView origin_;
  std::string_view session_name_;
  std::optional<ConnectionView> connection_;
  std::vector<std::string_view> bandwidths_;
  std::vector<Attribute> attributes_;
  std::vector<MediaSection> media_;
};

} // namespace gh::sdp
