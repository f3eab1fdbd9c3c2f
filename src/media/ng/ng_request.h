#pragma once
// NG commands decoded into the media API's typed requests. Errors carry rtpengine's own
// error-reason texts where it has one, since controllers log them and operators search for them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "media/api/media_control.h"
#include "media/ng/bencode.h"
#include "media/ng/ng_options.h"

namespace gh::media::ng {

enum class NgCommand : uint8_t { Ping, Offer, Answer, Delete, Query, List, Statistics, Count };

inline constexpr std::size_t kCommandCount = static_cast<std::size_t>(NgCommand::Count);

std::optional<NgCommand> commandFromName(std::string_view name);
std::string_view commandName(NgCommand command);

struct DeleteRequest {
  DeleteParams params;
  bool fatal = false; // an unknown call is an error rather than ok + warning
  bool fast = false;  // reply without statistics
};

struct QueryRequest {
  std::string call_id;
};

struct ListRequest {
  std::size_t limit = 32;
};

// The request's "command"; MediaErrc::BadRequest with rtpengine's texts when absent or unknown.
MediaResult<NgCommand> decodeCommand(const BValue& request);

MediaResult<OfferParams> decodeOffer(const BValue& request);
MediaResult<AnswerParams> decodeAnswer(const BValue& request);
MediaResult<DeleteRequest> decodeDelete(const BValue& request);
MediaResult<QueryRequest> decodeQuery(const BValue& request);
ListRequest decodeList(const BValue& request);

// Upper bound on "limit" in list: the reply must fit a datagram.
inline constexpr std::size_t kMaxListLimit = 1000;

} // namespace gh::media::ng
