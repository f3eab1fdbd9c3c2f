#include "app/demo/pbx_peer.h"

#include <fmt/format.h>

#include "app/demo/sdp_probe.h"
#include "app/demo/sip_stream.h"
#include "app/demo/sip_text.h"
#include "sip/transaction/random_id.h"

namespace gh::app::demo {

namespace {

using namespace std::chrono_literals;

struct Dialog {
  std::string call_id, from_tag, to_header, contact_uri, request_uri;
  uint32_t cseq = 101;
};

std::string offerSdp(const std::string& ip, uint16_t port, bool ice, bool rtcp_mux) {
  // The seed's CUCM offer, on loopback.
  std::string sdp = fmt::format("v=0\r\n"
                                "o=CiscoSystemsCCM-SIP 94213 1 IN IP4 {0}\r\n"
                                "s=SIP Call\r\n"
                                "c=IN IP4 {0}\r\n"
                                "t=0 0\r\n"
                                "m=audio {1} RTP/AVP 0 101\r\n"
                                "a=rtpmap:0 PCMU/8000\r\n"
                                "a=ptime:20\r\n"
                                "a=rtpmap:101 telephone-event/8000\r\n"
                                "a=fmtp:101 0-15\r\n",
                                ip, port);
  if (rtcp_mux)
    sdp += "a=rtcp-mux\r\n";
  if (ice) {
    sdp += fmt::format("a=ice-ufrag:Gh7d\r\n"
                       "a=ice-pwd:asd88fgpdd777uzjYhagZg4fcg\r\n"
                       "a=candidate:1 1 UDP 2130706431 {0} {1} typ host\r\n",
                       ip, port);
  }
  return sdp;
}

std::string invite(const PbxPeerSettings& s, const Dialog& d, const std::string& branch,
                   const std::string& sdp) {
  return fmt::format(
      "INVITE {ruri} SIP/2.0\r\n"
      "Via: SIP/2.0/TCP {ip}:5060;branch={branch}\r\n"
      "From: \"10048 - Armstrong, Clint\" <sip:10048@{ip}>;tag={tag}\r\n"
      "To: <{ruri}>\r\n"
      "Call-ID: {callid}\r\n"
      "Supported: timer,resource-priority,replaces\r\n"
      "Min-SE:  1800\r\n"
      "User-Agent: Cisco-CUCM9.1\r\n"
      "Allow: INVITE, OPTIONS, INFO, BYE, CANCEL, ACK, PRACK, UPDATE, REFER, SUBSCRIBE, NOTIFY\r\n"
      "CSeq: {cseq} INVITE\r\n"
      "Expires: 180\r\n"
      "Allow-Events: presence, kpml\r\n"
      "Supported: X-cisco-srtp-fallback,X-cisco-original-called\r\n"
      "Cisco-Guid: 3357373952-0000065536-0000032693-0872546314\r\n"
      "Session-Expires:  1800\r\n"
      "P-Asserted-Identity: \"10048 - Armstrong, Clint\" <sip:10048@{ip}>\r\n"
      "Remote-Party-ID: \"10048 - Armstrong, Clint\" <sip:10048@{ip}>;party=calling;"
      "screen=yes;privacy=off\r\n"
      "Contact: <sip:10048@{ip}:5060;transport=tcp>\r\n"
      "Max-Forwards: 70\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-Length: {len}\r\n\r\n{sdp}",
      fmt::arg("ruri", s.request_uri), fmt::arg("ip", s.ip), fmt::arg("branch", branch),
      fmt::arg("tag", d.from_tag), fmt::arg("callid", d.call_id), fmt::arg("cseq", d.cseq),
      fmt::arg("len", sdp.size()), fmt::arg("sdp", sdp));
}

// ACK for a 2xx or BYE: a new transaction inside the dialog (RFC 3261 §13.2.2.4, §15).
std::string inDialog(const PbxPeerSettings& s, const Dialog& d, std::string_view method,
                     uint32_t cseq) {
  return fmt::format("{method} {uri} SIP/2.0\r\n"
                     "Via: SIP/2.0/TCP {ip}:5060;branch={branch}\r\n"
                     "From: \"10048 - Armstrong, Clint\" <sip:10048@{ip}>;tag={tag}\r\n"
                     "To: {to}\r\n"
                     "Call-ID: {callid}\r\n"
                     "CSeq: {cseq} {method}\r\n"
                     "Max-Forwards: 70\r\n"
                     "User-Agent: Cisco-CUCM9.1\r\n"
                     "Content-Length: 0\r\n\r\n",
                     fmt::arg("method", method), fmt::arg("uri", d.contact_uri),
                     fmt::arg("ip", s.ip), fmt::arg("branch", sip::makeBranch()),
                     fmt::arg("tag", d.from_tag), fmt::arg("to", d.to_header),
                     fmt::arg("callid", d.call_id), fmt::arg("cseq", cseq));
}

} // namespace

PbxPeerResult placeCall(const PbxPeerSettings& s, Ladder& ladder,
                        std::future<void> microsoft_media_done) {
  PbxPeerResult result;
  std::string why;
  auto leg = MediaLeg::open(s.ip, kPbxSsrc, why);
  if (!leg) {
    result.error = fmt::format("CUCM: {}", why);
    return result;
  }
  int fd = connectTcp(s.ip, s.gatehouse_ip, s.gatehouse_port, 5s, why);
  if (fd < 0) {
    result.error = fmt::format("CUCM: {}", why);
    return result;
  }
  SipStream stream(fd, nullptr);
  Dialog dialog{.call_id = sip::makeCallId(s.ip),
                .from_tag = fmt::format("94213~{}", sip::makeTag())};
  std::string sdp = offerSdp(s.ip, leg->port(), s.offer_ice, s.offer_rtcp_mux);
  std::string branch = sip::makeBranch();
  ladder.add(Party::Pbx, Party::Gatehouse, "INVITE",
             fmt::format("{} {}", s.request_uri, describeSdp(*probeSdp(sdp))));
  if (!stream.send(invite(s, dialog, branch, sdp), why)) {
    result.error = fmt::format("CUCM: {}", why);
    return result;
  }

  std::optional<SdpProbe> answer;
  // 100, 18x, then a final response: a bounded handful.
  for (int step = 0; step < 8 && result.final_code == 0; ++step) {
    auto message = stream.receive(s.timeout, why);
    if (!message) {
      result.error = fmt::format("CUCM: waiting for an answer to INVITE: {}", why);
      return result;
    }
    if (message->isRequest())
      continue;
    std::string note;
    if (!message->body().empty()) {
      answer = probeSdp(message->body());
      note = answer ? describeSdp(*answer) : "unusable SDP";
    }
    ladder.add(Party::Gatehouse, Party::Pbx, ladderLabel(*message), note);
    if (message->statusCode() >= 200) {
      result.final_code = message->statusCode();
      dialog.to_header = std::string(headerValue(*message, "To"));
      auto contacts = message->contacts();
      dialog.contact_uri = contacts.empty() ? s.request_uri : std::string(contacts.front().uri.raw);
    }
  }
  if (result.final_code == 0) {
    result.error = "CUCM: no final response to INVITE";
    return result;
  }
  if (result.final_code >= 300) {
    // The INVITE client transaction acknowledges a failure itself, on the INVITE's branch
    // (§17.1.1.3); without it Gatehouse's server transaction would wait for Timer H.
    ladder.add(Party::Pbx, Party::Gatehouse, "ACK");
    stream.send(fmt::format("ACK {ruri} SIP/2.0\r\n"
                            "Via: SIP/2.0/TCP {ip}:5060;branch={branch}\r\n"
                            "From: \"10048 - Armstrong, Clint\" <sip:10048@{ip}>;tag={tag}\r\n"
                            "To: {to}\r\n"
                            "Call-ID: {callid}\r\n"
                            "CSeq: {cseq} ACK\r\n"
                            "Max-Forwards: 70\r\n"
                            "Content-Length: 0\r\n\r\n",
                            fmt::arg("ruri", s.request_uri), fmt::arg("ip", s.ip),
                            fmt::arg("branch", branch), fmt::arg("tag", dialog.from_tag),
                            fmt::arg("to", dialog.to_header), fmt::arg("callid", dialog.call_id),
                            fmt::arg("cseq", dialog.cseq)),
                why);
    return result;
  }
  ladder.add(Party::Pbx, Party::Gatehouse, "ACK");
  stream.send(inDialog(s, dialog, "ACK", dialog.cseq), why);
  if (!answer) {
    result.error = "CUCM: the 200 OK carries no usable SDP answer";
    return result;
  }
  result.media =
      leg->exchange(answer->connection_ip, answer->audio_port, kMicrosoftSsrc, s.packets, 1000ms);
  microsoft_media_done.wait_for(s.timeout);

  ladder.add(Party::Pbx, Party::Gatehouse, "BYE");
  stream.send(inDialog(s, dialog, "BYE", dialog.cseq + 1), why);
  for (int step = 0; step < 4; ++step) {
    auto message = stream.receive(s.timeout, why);
    if (!message) {
      result.error = fmt::format("CUCM: waiting for 200 OK to BYE: {}", why);
      break;
    }
    if (message->isResponse()) {
      ladder.add(Party::Gatehouse, Party::Pbx, ladderLabel(*message));
      result.bye_answered = message->statusCode() == 200;
      break;
    }
  }
  return result;
}

} // namespace gh::app::demo
