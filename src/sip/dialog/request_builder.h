#pragma once
// Request text for the call layer: new out-of-dialog requests (INVITE, OPTIONS ...) from parts,
// and the common writer Dialog uses for in-dialog requests. Output always parses with
// parseMessage(); TransactionLayer::sendRequest() checks that anyway.
//
//   OutOfDialogRequest r;
//   r.request_uri = "sip:+4930123@teams.example.com;user=phone";
//   r.from = "<sip:+4940555@sbc.example.com>";  r.from_tag = makeTag();
//   r.to = "<sip:+4930123@teams.example.com>";  r.call_id = makeCallId();
//   r.contact = "<sip:sbc.example.com:5061;transport=tls>";
//   r.extras.withBody("application/sdp", sdp);
//   std::string invite = buildRequest(r, {Transport::Tls, "sbc.example.com:5061", makeBranch()});

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sip/transaction/header_text.h"
#include "sip/transport/flow.h"

namespace gh::sip {

// Our top Via: "SIP/2.0/<transport> <sent_by>;branch=<branch>;rport". The branch comes from
// makeBranch() (a new one per transaction; the 2xx ACK gets its own too).
struct ViaSpec {
  Transport transport = Transport::Udp;
  std::string_view sent_by; // "sbc.example.com:5061", "192.0.2.10:5060", "[2001:db8::1]"
  std::string_view branch;
};

std::string viaValue(const ViaSpec& via);

// Headers and body the caller adds (Supported, RAck, Event, P-Asserted-Identity, SDP ...).
struct RequestExtras {
  std::vector<HeaderLine> headers;
  std::string_view content_type;
  std::string_view body;

  RequestExtras& withHeader(std::string_view name, std::string_view value) {
    headers.push_back({name, value});
    return *this;
  }

  RequestExtras& withBody(std::string_view type, std::string_view content) {
    content_type = type;
    body = content;
    return *this;
  }
};

struct OutOfDialogRequest {
  std::string_view method = "INVITE";
  std::string_view request_uri;
  std::string_view from; // name-addr without tag, e.g. "\"Alice\" <sip:alice@example.com>"
  std::string_view from_tag;
  std::string_view to; // name-addr without tag
  std::string_view call_id;
  uint32_t cseq = 1;
  std::string_view contact;             // a Contact value; empty = none (OPTIONS may omit it)
  std::vector<std::string_view> routes; // Route values in order, e.g. "<sip:edge.example.net;lr>"
  uint32_t max_forwards = 70;
  RequestExtras extras;
};

std::string buildRequest(const OutOfDialogRequest& request, const ViaSpec& via);

// The writer behind both kinds: start line, Via, Max-Forwards, Route, From, To, Call-ID, CSeq,
// Contact, extras, body.
struct RequestParts {
  std::string_view method;
  std::string_view request_uri;
  std::vector<std::string_view> routes;
  std::string_view from; // complete values, tags included
  std::string_view to;
  std::string_view call_id;
  uint32_t cseq = 0;
  std::string_view contact;
  uint32_t max_forwards = 70;
};

std::string writeRequest(const RequestParts& parts, const ViaSpec& via,
                         const RequestExtras& extras);

} // namespace gh::sip
