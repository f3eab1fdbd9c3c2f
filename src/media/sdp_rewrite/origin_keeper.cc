#include "media/sdp_rewrite/origin_keeper.h"

#include "media/sdp_rewrite/sdp_text.h"
#include "sdp/fields.h"

namespace gh::media {

namespace {

std::string originLine(std::string_view username, std::string_view session_id, uint64_t version,
                       const sdp::OriginView& rest) {
  std::string value;
  value.reserve(64);
  value += username;
  value += ' ';
  value += session_id;
  value += ' ';
  value += std::to_string(version);
  value += ' ';
  value += rest.nettype;
  value += ' ';
  value += rest.addrtype;
  value += ' ';
  value += rest.address;
  return value;
}

} // namespace

std::string OriginKeeper::apply(std::string_view sdp) {
  Result<sdp::OriginView> origin = sdp::parseOrigin(originValue(sdp));
  if (!origin) {
    return std::string(sdp);
  }
  if (!started_) {
    started_ = true;
    username_ = std::string(origin->username);
    session_id_ = std::string(origin->session_id);
    version_ = origin->version().value_or(1);
    last_body_ = replaceOrigin(sdp, originLine(username_, session_id_, version_, *origin));
    return last_body_;
  }
  std::string same = replaceOrigin(sdp, originLine(username_, session_id_, version_, *origin));
  if (same == last_body_) {
    return same;
  }
  ++version_;
  last_body_ = replaceOrigin(sdp, originLine(username_, session_id_, version_, *origin));
  return last_body_;
}

} // namespace gh::media
