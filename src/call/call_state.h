#pragma once
// The state of one call inside the B2BUA (private to call/).

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "call/b2bua.h"

namespace gh::call {

// An INVITE (initial or re-INVITE) from one leg being carried to the other. Only one at a time
// per call: a second one from either side meets 491 (RFC 3261 §14.2 glare).
struct InviteRelay {
  LegSide from = LegSide::A;
  sip::TxnId server = 0;        // the INVITE we received, until its final response
  sip::TxnId client = 0;        // the INVITE we sent on the other leg
  uint32_t other_cseq = 0;      // CSeq of the INVITE on the other leg, for its ACK
  uint32_t from_cseq = 0;       // CSeq of the received INVITE, to match its ACK
  bool offer_in_request = true; // false: late offer, the answer comes in the ACK
  bool answered = false;        // a 2xx went to `from`
  bool acked = false;           // `from` ACKed it and we ACKed the other leg
  std::string ok;               // the 2xx text, retransmitted until the ACK
  // The answer as it went to `from` in a provisional (183 + SDP). Provisionals toward `from`
  // are unreliable, so a 2xx without SDP from the other side must repeat it (RFC 3261 §13.2.1,
  // RFC 6337 §3.1): the offerer may never have seen the 183.
  std::string early_answer;
  std::string early_answer_type;
  sip::TimerHandle timer = 0;
  sip::Duration interval{0};
  sip::TimerService::TimePoint give_up{};
};

// Owned copies of the template variables of the call's initial INVITE.
struct CallFacts {
  std::string ruri_user, ruri_host, ruri_port, from_user, from_host, to_user, to_host;
  std::string peer_name, peer_fqdn, peer_host, peer_port, sbc_fqdn, source_address;

  route::TemplateFacts view() const {
    return {ruri_user, ruri_host, ruri_port, from_user, from_host, to_user,       to_host,
            peer_name, peer_fqdn, peer_host, peer_port, sbc_fqdn,  source_address};
  }
};

// What the core keeps of a received message while its body is with the media hook (which may
// complete after the message itself is gone).
struct MessageCopy {
  uint16_t code = 0;  // responses
  std::string reason; // responses
  std::string method; // requests
  uint32_t cseq = 0;
  route::HeaderList headers; // end-to-end headers, already filtered by the receiving peer's policy
  std::string content_type;
  std::string body;
  bool timer_supported = false;
  bool timer_required = false;
};

struct B2bua::Call {
  enum class State : uint8_t { Calling, Early, Answered, Confirmed, Ending };

  uint64_t id = 0;
  std::shared_ptr<const Policy> policy;
  const route::CompiledRoute* route = nullptr;
  std::size_t target = 0; // position in route->to_peers of the peer tried now
  Leg a, b;
  State state = State::Calling;
  bool b_early = false; // the callee sent a provisional with a tag: no failover any more
  bool cancelled = false;
  std::string source_key;
  std::string invite_body; // the offer as it went to B (for failover to the next peer)
  std::string invite_content_type;
  route::HeaderList b_headers; // the B-leg INVITE's headers after the route's actions
  uint32_t a_max_forwards = 70;
  std::optional<InviteRelay> invite;
  std::unordered_map<sip::TxnId, std::pair<sip::TxnId, LegSide>>
      relays; // client -> server, its leg
  int byes_pending = 0;
  sip::TimerHandle no_answer_timer = 0; // RFC 3261 Timer C on the B leg's INVITE
  std::string from_text, to_text;
  std::string a_invite_wire;     // the caller's INVITE, to build the B leg again on failover
  net::Endpoint target_endpoint; // where the current target peer is tried
  std::vector<net::Endpoint> dns_targets; // RFC 3263 order, for a peer given by FQDN only
  std::size_t dns_index = 0;
  bool dns_done = false;
  // A peer with `targets`: the positions the call tries, in PeerHealth's order, and where it is.
  std::vector<std::size_t> target_order;
  std::size_t order_pos = 0;
  bool order_ready = false;
  bool offer_done = false; // the media hook has made the offer for leg B
  // The caller's own offer and the peer the media offer was made for: failover to a peer on
  // another interface or with another media policy needs the offer made again from the original.
  std::string a_offer;
  std::size_t offer_peer = SIZE_MAX;
  CallFacts facts;
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
};

} // namespace gh::call
