#include "media/sdp_rewrite/sdp_text.h"

#include <algorithm>

namespace gh::media {

namespace {

struct TextLine {
  std::string_view body; // without the line end
  std::string_view end;  // "\r\n", "\n" or ""
};

std::vector<TextLine> splitLines(std::string_view sdp) {
  std::vector<TextLine> lines;
  while (!sdp.empty()) {
    const std::size_t lf = sdp.find('\n');
    if (lf == std::string_view::npos) {
      lines.push_back({sdp, {}});
      break;
    }
    const std::size_t body_end = lf > 0 && sdp[lf - 1] == '\r' ? lf - 1 : lf;
    lines.push_back({sdp.substr(0, body_end), sdp.substr(body_end, lf + 1 - body_end)});
    sdp.remove_prefix(lf + 1);
  }
  return lines;
}

void append(std::string& out, std::string_view body, std::string_view end) {
  out += body;
  out += end;
}

} // namespace

std::string_view originValue(std::string_view sdp) {
  for (const TextLine& line : splitLines(sdp)) {
    if (line.body.starts_with("o=")) {
      return line.body.substr(2);
    }
  }
  return {};
}

std::string replaceOrigin(std::string_view sdp, std::string_view value) {
  std::string out;
  out.reserve(sdp.size() + value.size());
  bool done = false;
  for (const TextLine& line : splitLines(sdp)) {
    if (!done && line.body.starts_with("o=")) {
      out += "o=";
      append(out, value, line.end);
      done = true;
    } else {
      append(out, line.body, line.end);
    }
  }
  return out;
}

std::string replaceMediaFormats(std::string_view sdp, std::size_t index,
                                std::span<const std::string> formats) {
  std::string out;
  out.reserve(sdp.size());
  std::size_t seen = 0;
  for (const TextLine& line : splitLines(sdp)) {
    if (!line.body.starts_with("m=") || seen++ != index) {
      append(out, line.body, line.end);
      continue;
    }
    // m=<media> <port> <proto> <fmt> ...: keep the first three fields as written.
    std::string_view rest = line.body;
    std::size_t cut = 0;
    for (int field = 0; field < 3 && cut != std::string_view::npos; ++field) {
      cut = rest.find(' ', cut == 0 ? 0 : cut + 1);
    }
    std::string_view head = cut == std::string_view::npos ? rest : rest.substr(0, cut);
    out += head;
    for (const std::string& f : formats) {
      out += ' ';
      out += f;
    }
    out += line.end;
  }
  return out;
}

std::string removeLinesWithPrefix(std::string_view sdp, std::span<const std::string> prefixes) {
  std::string out;
  out.reserve(sdp.size());
  for (const TextLine& line : splitLines(sdp)) {
    const bool drop = std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
      return !p.empty() && line.body.starts_with(p);
    });
    if (!drop) {
      append(out, line.body, line.end);
    }
  }
  return out;
}

} // namespace gh::media
