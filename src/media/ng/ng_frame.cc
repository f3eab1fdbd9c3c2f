#include "media/ng/ng_frame.h"

namespace gh::media::ng {

std::optional<NgFrame> splitFrame(std::string_view datagram) {
  const std::size_t space = datagram.find(' ');
  if (space == std::string_view::npos || space == 0 || space > kMaxCookie)
    return std::nullopt;
  return NgFrame{datagram.substr(0, space), datagram.substr(space + 1)};
}

std::string frameReply(std::string_view cookie, std::string_view payload) {
  std::string out;
  out.reserve(cookie.size() + 1 + payload.size());
  out.append(cookie);
  out.push_back(' ');
  out.append(payload);
  return out;
}

} // namespace gh::media::ng
