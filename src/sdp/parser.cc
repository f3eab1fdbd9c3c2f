// parse(): splits the body into lines, then indexes them into session and media sections.
// Two flat passes, no recursion; every loop is bounded by the body size or a Limits field.

#include <cstring>

#include "common/charset.h"
#include "sdp/session_description.h"
#include "sdp/tokens.h"

namespace gh::sdp {

struct ParserAccess {
  static Result<void> splitLines(SessionDescription& sdp);
  static Result<void> indexLines(SessionDescription& sdp);
  static Result<SessionDescription> parse(std::string_view text, const Limits& limits);
};

namespace {

Unexpected<Error> bad(uint32_t offset, const char* what) {
  return fail(Errc::BadSdp, offset, what);
}

} // namespace

Result<void> ParserAccess::splitLines(SessionDescription& sdp) {
  const std::string_view s = sdp.text();
  const auto size = static_cast<uint32_t>(s.size());
  uint32_t pos = 0;
  while (pos < size) {
    const char type = s[pos];
    if (type == '\r' || type == '\n') {
      // RFC 8866 has no empty lines, but a body whose Content-Length counts one more CRLF is
      // common enough to keep verbatim; an empty line with text after it is not.
      for (uint32_t i = pos; i < size; ++i) {
        if (s[i] != '\r' && s[i] != '\n') {
          return bad(pos, "empty line inside sdp");
        }
      }
      if (sdp.lines_.empty()) {
        return bad(0, "sdp must start with v=0");
      }
      sdp.trailer_ = s.substr(pos);
      break;
    }
    if (sdp.lines_.size() == sdp.limits_.max_lines) {
      return bad(pos, "too many lines in sdp");
    }
    uint32_t eol = pos;
    while (eol < size && s[eol] != '\n') {
      if (s[eol] == '\0') {
        return bad(eol, "NUL in sdp");
      }
      ++eol;
    }
    LineEnd end = LineEnd::None;
    uint32_t content_end = eol;
    if (eol < size) {
      if (eol > pos && s[eol - 1] == '\r') {
        end = LineEnd::Crlf;
        content_end = eol - 1;
      } else {
        end = LineEnd::Lf;
      }
    }
    if (const void* cr = std::memchr(s.data() + pos, '\r', content_end - pos)) {
      return bad(static_cast<uint32_t>(static_cast<const char*>(cr) - s.data()),
                 "CR without LF in sdp");
    }
    if (sdp.lines_.empty() && s.substr(pos, content_end - pos) != "v=0") {
      return bad(0, "sdp must start with v=0");
    }
    if (!chars::kAlpha.contains(type)) {
      return bad(pos, "sdp line type must be a letter");
    }
    if (content_end - pos < 2 || s[pos + 1] != '=') {
      return bad(pos + 1, "sdp line without '='");
    }
    sdp.lines_.push_back(Line{type, end, pos, s.substr(pos + 2, content_end - pos - 2)});
    pos = eol < size ? eol + 1 : size;
  }
  return {};
}

Result<void> ParserAccess::indexLines(SessionDescription& sdp) {
  bool have_origin = false;
  bool have_session_name = false;
  uint32_t attribute_count = 0;
  const auto line_count = static_cast<uint32_t>(sdp.lines_.size());
  for (uint32_t index = 1; index < line_count; ++index) {
    const Line& line = sdp.lines_[index];
    const uint32_t value_offset = line.offset + 2;
    MediaSection* media = sdp.media_.empty() ? nullptr : &sdp.media_.back();
    switch (line.type) {
    case 'v': return bad(line.offset, "v= may only be the first line");
    case 'm': {
      if (sdp.media_.size() == sdp.limits_.max_media) {
        return bad(line.offset, "too many media sections");
      }
      auto parsed = parseMediaLine(line.value);
      if (!parsed) {
        return fail(parsed.error().shifted(value_offset));
      }
      MediaSection section;
      section.line = *parsed;
      section.first_line = index;
      std::string_view rest = parsed->formats_text;
      for (std::string_view f = detail::nextField(rest); !f.empty(); f = detail::nextField(rest)) {
        if (section.formats.size() == sdp.limits_.max_formats) {
          return bad(value_offset + detail::offsetOf(line.value, f), "too many formats in m= line");
        }
        section.formats.push_back(f);
      }
      sdp.media_.push_back(std::move(section));
      break;
    }
    case 'o': {
      if (media != nullptr) {
        break; // meaningless at media level; kept verbatim like any unknown line
      }
      if (have_origin) {
        return bad(line.offset, "second o= line");
      }
      auto origin = parseOrigin(line.value);
      if (!origin) {
        return fail(origin.error().shifted(value_offset));
      }
      sdp.origin_ = *origin;
      have_origin = true;
      break;
    }
    case 's':
      if (media == nullptr && !have_session_name) {
        sdp.session_name_ = line.value;
        have_session_name = true;
      }
      break;
    case 'c': {
      auto connection = parseConnection(line.value);
      if (!connection) {
        return fail(connection.error().shifted(value_offset));
      }
      if (media != nullptr) {
        media->connections.push_back(*connection);
      } else if (sdp.connection_) {
        // Two session addresses leave a relay guessing which one to rewrite.
        return bad(line.offset, "second session-level c= line");
      } else {
        sdp.connection_ = *connection;
      }
      break;
    }
    case 'b': (media != nullptr ? media->bandwidths : sdp.bandwidths_).push_back(line.value); break;
    case 'a': {
      if (attribute_count == sdp.limits_.max_attributes) {
        return bad(line.offset, "too many attributes in sdp");
      }
      ++attribute_count;
      const AttributeView view = splitAttribute(line.value);
      Attribute a;
      a.name = view.name;
      a.value = view.value;
      a.has_value = view.has_value;
      a.line = index;
      a.value_offset = view.has_value ? value_offset + static_cast<uint32_t>(view.name.size()) + 1
                                      : value_offset + static_cast<uint32_t>(line.value.size());
      (media != nullptr ? media->attributes : sdp.attributes_).push_back(a);
      break;
    }
    default: break; // i= u= e= p= t= r= z= k= and unknown letters: kept verbatim, not indexed
    }
  }
  sdp.session_line_count_ = sdp.media_.empty() ? line_count : sdp.media_.front().first_line;
  for (std::size_t i = 0; i < sdp.media_.size(); ++i) {
    const uint32_t next = i + 1 < sdp.media_.size() ? sdp.media_[i + 1].first_line : line_count;
    sdp.media_[i].line_count = next - sdp.media_[i].first_line;
  }
  if (!have_origin) {
    const uint32_t at = sdp.session_line_count_ < line_count
                            ? sdp.lines_[sdp.session_line_count_].offset
                            : static_cast<uint32_t>(sdp.size_);
    return bad(at, "o= line missing");
  }
  return {};
}

Result<SessionDescription> ParserAccess::parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_bytes) {
    return bad(limits.max_bytes, "sdp larger than the limit");
  }
  if (text.empty()) {
    return bad(0, "empty sdp");
  }
  SessionDescription sdp;
  sdp.limits_ = limits;
  sdp.size_ = static_cast<uint32_t>(text.size());
  sdp.bytes_ = std::make_unique_for_overwrite<char[]>(text.size());
  std::memcpy(sdp.bytes_.get(), text.data(), text.size());
  if (auto split = splitLines(sdp); !split) {
    return fail(split.error());
  }
  if (auto indexed = indexLines(sdp); !indexed) {
    return fail(indexed.error());
  }
  return sdp;
}

Result<SessionDescription> parse(std::string_view text, const Limits& limits) {
  return ParserAccess::parse(text, limits);
}

} // namespace gh::sdp
