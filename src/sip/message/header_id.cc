#include "sip/message/header_id.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "common/text.h"

namespace gh::sip {
namespace {

struct NameEntry {
  std::string_view name;
  HeaderId id;
};

constexpr std::array<NameEntry, static_cast<std::size_t>(HeaderId::Count) - 1> kNames = {{
    {"Accept", HeaderId::Accept},
    {"Accept-Contact", HeaderId::AcceptContact},
    {"Accept-Encoding", HeaderId::AcceptEncoding},
    {"Accept-Language", HeaderId::AcceptLanguage},
    {"Alert-Info", HeaderId::AlertInfo},
    {"Allow", HeaderId::Allow},
    {"Allow-Events", HeaderId::AllowEvents},
    {"Authorization", HeaderId::Authorization},
    {"Call-ID", HeaderId::CallId},
    {"Call-Info", HeaderId::CallInfo},
    {"Contact", HeaderId::Contact},
    {"Content-Disposition", HeaderId::ContentDisposition},
    {"Content-Encoding", HeaderId::ContentEncoding},
    {"Content-Language", HeaderId::ContentLanguage},
    {"Content-Length", HeaderId::ContentLength},
    {"Content-Type", HeaderId::ContentType},
    {"CSeq", HeaderId::CSeq},
    {"Date", HeaderId::Date},
    {"Error-Info", HeaderId::ErrorInfo},
    {"Event", HeaderId::Event},
    {"Expires", HeaderId::Expires},
    {"From", HeaderId::From},
    {"Identity", HeaderId::Identity},
    {"Identity-Info", HeaderId::IdentityInfo},
    {"In-Reply-To", HeaderId::InReplyTo},
    {"Max-Forwards", HeaderId::MaxForwards},
    {"MIME-Version", HeaderId::MimeVersion},
    {"Min-Expires", HeaderId::MinExpires},
    {"Min-SE", HeaderId::MinSE},
    {"Organization", HeaderId::Organization},
    {"P-Asserted-Identity", HeaderId::PAssertedIdentity},
    {"P-Preferred-Identity", HeaderId::PPreferredIdentity},
    {"Priority", HeaderId::Priority},
    {"Privacy", HeaderId::Privacy},
    {"Proxy-Authenticate", HeaderId::ProxyAuthenticate},
    {"Proxy-Authorization", HeaderId::ProxyAuthorization},
    {"Proxy-Require", HeaderId::ProxyRequire},
    {"RAck", HeaderId::RAck},
    {"Reason", HeaderId::Reason},
    {"Record-Route", HeaderId::RecordRoute},
    {"Refer-To", HeaderId::ReferTo},
    {"Referred-By", HeaderId::ReferredBy},
    {"Reject-Contact", HeaderId::RejectContact},
    {"Remote-Party-ID", HeaderId::RemotePartyId},
    {"Replaces", HeaderId::Replaces},
    {"Reply-To", HeaderId::ReplyTo},
    {"Request-Disposition", HeaderId::RequestDisposition},
    {"Require", HeaderId::Require},
    {"Retry-After", HeaderId::RetryAfter},
    {"Route", HeaderId::Route},
    {"RSeq", HeaderId::RSeq},
    {"Server", HeaderId::Server},
    {"Session-Expires", HeaderId::SessionExpires},
    {"Subject", HeaderId::Subject},
    {"Subscription-State", HeaderId::SubscriptionState},
    {"Supported", HeaderId::Supported},
    {"Timestamp", HeaderId::Timestamp},
    {"To", HeaderId::To},
    {"Unsupported", HeaderId::Unsupported},
    {"User-Agent", HeaderId::UserAgent},
    {"Via", HeaderId::Via},
    {"Warning", HeaderId::Warning},
    {"WWW-Authenticate", HeaderId::WwwAuthenticate},
}};

// RFC 3261 §7.3.3 compact forms plus those of RFC 3841, 3892, 4028, 4474, 3515, 3265.
constexpr HeaderId compactForm(char c) {
  switch (asciiLower(c)) {
  case 'a': return HeaderId::AcceptContact;
  case 'b': return HeaderId::ReferredBy;
  case 'c': return HeaderId::ContentType;
  case 'd': return HeaderId::RequestDisposition;
  case 'e': return HeaderId::ContentEncoding;
  case 'f': return HeaderId::From;
  case 'i': return HeaderId::CallId;
  case 'j': return HeaderId::RejectContact;
  case 'k': return HeaderId::Supported;
  case 'l': return HeaderId::ContentLength;
  case 'm': return HeaderId::Contact;
  case 'n': return HeaderId::IdentityInfo;
  case 'o': return HeaderId::Event;
  case 'r': return HeaderId::ReferTo;
  case 's': return HeaderId::Subject;
  case 't': return HeaderId::To;
  case 'u': return HeaderId::AllowEvents;
  case 'v': return HeaderId::Via;
  case 'x': return HeaderId::SessionExpires;
  case 'y': return HeaderId::Identity;
  default: return HeaderId::Other;
  }
}

// Buckets by (length, first letter) so a lookup compares against one or two candidates. Each
// candidate is kept lower-cased with a mask holding 0x20 where it has a letter and 0 where it
// has '-': (name | mask) == lower then folds case exactly, eight bytes at a time.
struct Index {
  static constexpr std::size_t kMaxLen = 24;
  static constexpr std::size_t kWords = kMaxLen / 8;

  struct Candidate {
    std::array<uint64_t, kWords> lower{};
    std::array<uint64_t, kWords> mask{};
    uint8_t entry = 0; // 1-based index into kNames; 0 = empty slot
  };

  std::array<std::array<Candidate, 3>, kMaxLen * 26> slots{};
};

constexpr Index buildIndex() {
  Index index;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    const auto& name = kNames[i].name;
    std::size_t bucket = name.size() * 26 + static_cast<std::size_t>(asciiLower(name[0]) - 'a');
    bool placed = false;
    for (auto& slot : index.slots[bucket]) {
      if (slot.entry != 0) {
        continue;
      }
      placed = true;
      slot.entry = static_cast<uint8_t>(i + 1);
      for (std::size_t c = 0; c < name.size(); ++c) {
        auto lower = static_cast<uint64_t>(static_cast<unsigned char>(asciiLower(name[c])));
        uint64_t mask = name[c] == '-' ? 0 : 0x20;
        slot.lower[c / 8] |= lower << (8 * (c % 8));
        slot.mask[c / 8] |= mask << (8 * (c % 8));
      }
      break;
    }
    if (!placed) {
      throw "header name bucket overflow: give Index::slots more candidates"; // compile error
    }
  }
  return index;
}

constexpr Index kIndex = buildIndex();

// Little-endian load of up to eight bytes, zero-filled, matching buildIndex()'s layout.
static_assert(std::endian::native == std::endian::little);

inline uint64_t loadWord(const char* p, std::size_t n) {
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  return w;
}

bool matches(const Index::Candidate& c, std::string_view name) {
  for (std::size_t w = 0; w * 8 < name.size(); ++w) {
    std::size_t n = std::min<std::size_t>(8, name.size() - w * 8);
    if ((loadWord(name.data() + w * 8, n) | c.mask[w]) != c.lower[w]) {
      return false;
    }
  }
  return true;
}

} // namespace

HeaderId lookupHeader(std::string_view name) {
  if (name.size() == 1) {
    return compactForm(name[0]);
  }
  if (name.empty() || name.size() >= Index::kMaxLen) {
    return HeaderId::Other;
  }
  char first = asciiLower(name[0]);
  if (first < 'a' || first > 'z') {
    return HeaderId::Other;
  }
  const auto& slots = kIndex.slots[name.size() * 26 + static_cast<std::size_t>(first - 'a')];
  for (const auto& slot : slots) {
    if (slot.entry == 0) {
      break;
    }
    if (matches(slot, name)) {
      return kNames[slot.entry - 1].id;
    }
  }
  return HeaderId::Other;
}

std::string_view canonicalName(HeaderId id) {
  for (const auto& entry : kNames) {
    if (entry.id == id) {
      return entry.name;
    }
  }
  return {};
}

} // namespace gh::sip
