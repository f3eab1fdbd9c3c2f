#include "media/ng/ng_request.h"

#include <array>

#include "common/log.h"

namespace gh::media::ng {

namespace {

constexpr std::array<std::string_view, kCommandCount> kNames = {
    "ping", "offer", "answer", "delete", "query", "list", "statistics"};

Unexpected<MediaError> bad(const char* reason) {
  return Unexpected(MediaError{MediaErrc::BadRequest, reason});
}

NgOptions read(const BValue& request) {
  NgOptions o;
  readOptions(request, o);
  if (!o.ignored.empty() && log::enabled(log::Module::Ng, log::Level::Debug)) {
    std::string list;
    for (const std::string& s : o.ignored)
      list.append(list.empty() ? "" : ", ").append(s);
    GH_LOG_DEBUG(Module::Ng, "call-id={} ignored options: {}", o.call_id, list);
  }
  return o;
}

} // namespace

std::optional<NgCommand> commandFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name)
      return static_cast<NgCommand>(i);
  }
  return std::nullopt;
}

std::string_view commandName(NgCommand command) {
  const auto i = static_cast<std::size_t>(command);
  return i < kNames.size() ? kNames[i] : std::string_view("?");
}

MediaResult<NgCommand> decodeCommand(const BValue& request) {
  auto command = request.find("command");
  if (!command || !command->isString())
    return bad("Dictionary contains no key \"command\"");
  auto known = commandFromName(command->str());
  if (!known)
    return bad("Unrecognized command");
  return *known;
}

MediaResult<OfferParams> decodeOffer(const BValue& request) {
  NgOptions o = read(request);
  if (!o.sdp)
    return bad("No SDP body in message");
  if (o.call_id.empty())
    return bad("No call-id in message");
  if (o.from_tag.empty())
    return bad("No from-tag in message");
  OfferParams p;
  p.call_id = std::move(o.call_id);
  p.from_tag = std::move(o.from_tag);
  p.via_branch = std::move(o.via_branch);
  p.sdp = std::move(*o.sdp);
  auto [from, to] = interfaces(o);
  p.from_interface = std::move(from);
  p.to_interface = std::move(to);
  p.policy = toPolicy(o);
  p.received_from = o.received_from;
  return p;
}

MediaResult<AnswerParams> decodeAnswer(const BValue& request) {
  NgOptions o = read(request);
  if (!o.sdp)
    return bad("No SDP body in message");
  if (o.call_id.empty())
    return bad("No call-id in message");
  if (o.from_tag.empty())
    return bad("No from-tag in message");
  if (o.to_tag.empty())
    return bad("No to-tag in message");
  AnswerParams p;
  p.call_id = std::move(o.call_id);
  p.from_tag = std::move(o.from_tag);
  p.to_tag = std::move(o.to_tag);
  p.sdp = std::move(*o.sdp);
  p.policy = toPolicy(o);
  return p;
}

MediaResult<DeleteRequest> decodeDelete(const BValue& request) {
  NgOptions o = read(request);
  if (o.call_id.empty())
    return bad("No call-id in message");
  DeleteRequest d;
  d.params.call_id = std::move(o.call_id);
  d.params.from_tag = std::move(o.from_tag);
  d.params.to_tag = std::move(o.to_tag);
  d.fatal = o.fatal;
  d.fast = o.fast;
  return d;
}

MediaResult<QueryRequest> decodeQuery(const BValue& request) {
  auto id = request.find("call-id");
  if (!id || !id->isString() || id->str().empty())
    return bad("No call-id in message");
  return QueryRequest{std::string(id->str())};
}

ListRequest decodeList(const BValue& request) {
  ListRequest l;
  if (auto limit = request.find("limit"); limit && limit->isInt() && limit->integer() >= 0)
    l.limit = std::min<std::size_t>(static_cast<std::size_t>(limit->integer()), kMaxListLimit);
  return l;
}

} // namespace gh::media::ng
