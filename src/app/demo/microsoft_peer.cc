#include "app/demo/microsoft_peer.h"

#include <unistd.h>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "app/demo/sdp_probe.h"
#include "app/demo/sip_stream.h"
#include "app/demo/sip_text.h"

namespace gh::app::demo {

namespace {

using namespace std::chrono_literals;

// Every name the client certificate carries: the subject CN and the DNS SANs.
std::vector<std::string> certificateNames(X509* cert) {
  std::vector<std::string> names;
  X509_NAME* subject = X509_get_subject_name(cert);
  int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at >= 0) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
    names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                       static_cast<std::size_t>(ASN1_STRING_length(data)));
  }
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* dns = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                         static_cast<std::size_t>(ASN1_STRING_length(dns)));
    }
  }
  GENERAL_NAMES_free(sans);
  return names;
}

std::string answerSdp(const std::string& ip, uint16_t port, const SdesKey& key) {
  // Shaped like Exchange UM's answer in the seed's dump.
  return fmt::format("v=0\r\n"
                     "o=- 0 0 IN IP4 {0}\r\n"
                     "s=session\r\n"
                     "c=IN IP4 {0}\r\n"
                     "b=CT:1000\r\n"
                     "t=0 0\r\n"
                     "m=audio {1} RTP/SAVP 0 101\r\n"
                     "c=IN IP4 {0}\r\n"
                     "a=rtcp:{2}\r\n"
                     "a={3}|2^31\r\n"
                     "a=label:main-audio\r\n"
                     "a=rtpmap:0 PCMU/8000\r\n"
                     "a=rtpmap:101 telephone-event/8000\r\n"
                     "a=fmtp:101 0-16\r\n"
                     "a=ptime:20\r\n",
                     ip, port, port + 1, cryptoAttribute(key));
}

} // namespace

MicrosoftPeer::MicrosoftPeer(MicrosoftPeerSettings settings) : settings_(std::move(settings)) {}

MicrosoftPeer::~MicrosoftPeer() {
  if (listener_ >= 0)
    ::close(listener_);
  SSL_CTX_free(ctx_);
}

bool MicrosoftPeer::listen(std::string& why) {
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (ctx_ == nullptr || SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx_, settings_.certificate.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx_, settings_.private_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_load_verify_locations(ctx_, settings_.ca_bundle.c_str(), nullptr) != 1) {
    char text[256] = "unknown";
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    why = fmt::format("Microsoft peer TLS setup: {}", text);
    return false;
  }
  // Microsoft's SIP proxies refuse a connection that shows no client certificate.
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  listener_ = listenTcp(settings_.ip, settings_.port, why);
  return listener_ >= 0;
}

bool MicrosoftPeer::checkRequest(const sip::Message& invite, SSL* ssl, MicrosoftPeerResult& result,
                                 Ladder& ladder, int& code, std::string& warning) {
  auto fail = [&](int rule, std::string what, int with) {
    result.rules.push_back({rule, what, false});
    if (code == 0) {
      code = with;
      warning = fmt::format("rule {}: {}", rule, what);
    }
    ladder.remark(Party::Microsoft, fmt::format("rule {} broken: {} -> {}", rule, what, with));
  };
  auto pass = [&](int rule, std::string what) { result.rules.push_back({rule, what, true}); };

  // Rule 1: the certificate subject equals the SBC's FQDN exactly; a wildcard gets 403.
  X509* cert = SSL_get0_peer_certificate(ssl);
  std::vector<std::string> names =
      cert != nullptr ? certificateNames(cert) : std::vector<std::string>{};
  bool exact = !names.empty() && names.front() == settings_.sbc_fqdn;
  for (const std::string& n : names)
    exact = exact && n.find('*') == std::string::npos;
  if (exact)
    pass(1, fmt::format("client certificate subject is {}", settings_.sbc_fqdn));
  else
    fail(1,
         fmt::format("client certificate subject {} is not {}",
                     names.empty() ? "(none)" : names.front(), settings_.sbc_fqdn),
         403);

  // Rule 2: the To host is the UM forwarding address.
  std::string_view to_host = invite.to().uri.host;
  if (to_host == settings_.fqdn)
    pass(2, fmt::format("To host is {}", settings_.fqdn));
  else
    fail(2, fmt::format("To host {} is not {}", to_host, settings_.fqdn), 488);

  auto sdp = probeSdp(invite.body());
  bool srtp = sdp && sdp->audio_protocol == "RTP/SAVP" && !sdp->crypto.empty() &&
              sdp->crypto.front().find("AES_CM_128_HMAC_SHA1_80") != std::string::npos;
  // Rule 3: SRTP offered.
  if (srtp)
    pass(3, "SRTP offered (RTP/SAVP, AES_CM_128_HMAC_SHA1_80)");
  else
    fail(3,
         sdp ? fmt::format("offer is {} without SDES AES_CM_128_HMAC_SHA1_80", sdp->audio_protocol)
             : std::string("no usable SDP offer"),
         488);
  // Rule 4: no RTCP multiplexing offered.
  if (sdp && sdp->rtcp_mux)
    fail(4, "a=rtcp-mux offered", 488);
  else
    pass(4, "no a=rtcp-mux");
  // Rule 5: no ICE at all.
  if (sdp && !sdp->ice_lines.empty())
    fail(5, fmt::format("ICE offered ({})", sdp->ice_lines.front()), 488);
  else
    pass(5, "no ICE attributes");
  return code == 0;
}

MicrosoftPeerResult MicrosoftPeer::serve(Ladder& ladder, std::promise<void>& media_done) {
  MicrosoftPeerResult result;
  bool media_signalled = false;
  auto signalMedia = [&] {
    if (!media_signalled) {
      media_signalled = true;
      media_done.set_value();
    }
  };
  std::string why;
  int fd = acceptTcp(listener_, settings_.timeout, why);
  if (fd < 0) {
    result.error = fmt::format("Microsoft peer: {} from Gatehouse", why);
    signalMedia();
    return result;
  }
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  SipStream stream(fd, ssl);
  if (!stream.acceptTls(settings_.timeout, why)) {
    result.error = fmt::format("Microsoft peer: {}", why);
    signalMedia();
    return result;
  }
  ladder.remark(Party::Microsoft,
                fmt::format("TLS {} accepted, client certificate verified against the CA",
                            SSL_get_version(ssl)));

  const std::string to_tag = "ms-umx7c1";
  std::optional<SdpProbe> offer;
  std::optional<MediaLeg> leg;
  SdesKey our_key = randomSdesKey();
  // OPTIONS, INVITE, ACK, BYE: a handful of messages; the bound keeps a confused peer finite.
  for (int step = 0; step < 16 && !result.bye_received; ++step) {
    auto message = stream.receive(settings_.timeout, why);
    if (!message) {
      result.error = fmt::format("Microsoft peer: waiting for a request: {}", why);
      break;
    }
    if (!message->isRequest())
      continue;
    std::string label = ladderLabel(*message);
    sip::Method method = message->method();
    if (method == sip::Method::Invite) {
      offer = probeSdp(message->body());
      ladder.add(
          Party::Gatehouse, Party::Microsoft, label,
          fmt::format("To {} {}", message->to().uri.host, offer ? describeSdp(*offer) : "no SDP"));
      int code = 0;
      std::string warning;
      if (!checkRequest(*message, ssl, result, ladder, code, warning)) {
        std::string reason = code == 403 ? "Forbidden" : "Not Acceptable Here";
        ladder.add(Party::Microsoft, Party::Gatehouse, fmt::format("{} {}", code, reason));
        stream.send(
            makeResponse(*message, code, reason, to_tag,
                         fmt::format("Warning: 399 {} \"{}\"\r\n", settings_.fqdn, warning)),
            why);
        result.rejected_with = code;
        continue; // the ACK for the failure follows
      }
      leg = MediaLeg::open(settings_.ip, kMicrosoftSsrc, why);
      auto their_key = parseCryptoAttribute(offer->crypto.front());
      if (!leg || !their_key || !leg->useSrtp(our_key, *their_key, why)) {
        result.error = fmt::format("Microsoft peer: {}", why.empty() ? "bad crypto line" : why);
        break;
      }
      ladder.add(Party::Microsoft, Party::Gatehouse, "100 Trying");
      stream.send(makeResponse(*message, 100, "Trying", {}), why);
      std::string sdp = answerSdp(settings_.ip, leg->port(), our_key);
      ladder.add(Party::Microsoft, Party::Gatehouse, "200 OK", describeSdp(*probeSdp(sdp)));
      stream.send(makeResponse(*message, 200, "OK", to_tag,
                               fmt::format("Contact: <sip:{}:{};transport=tls>\r\n", settings_.ip,
                                           settings_.port),
                               sdp),
                  why);
      result.call_answered = true;
    } else if (method == sip::Method::Ack) {
      ladder.add(Party::Gatehouse, Party::Microsoft, label);
      if (result.rejected_with != 0)
        break; // the failure is acknowledged: the call is over
      if (result.call_answered && leg && offer) {
        result.media = leg->exchange(offer->connection_ip, offer->audio_port, kPbxSsrc,
                                     settings_.packets, 1000ms);
        signalMedia();
      }
    } else if (method == sip::Method::Bye) {
      ladder.add(Party::Gatehouse, Party::Microsoft, label);
      ladder.add(Party::Microsoft, Party::Gatehouse, "200 OK");
      stream.send(makeResponse(*message, 200, "OK", {}), why);
      result.bye_received = true;
    } else {
      ladder.add(Party::Gatehouse, Party::Microsoft, label);
      ladder.add(Party::Microsoft, Party::Gatehouse, "200 OK");
      stream.send(makeResponse(*message, 200, "OK", to_tag), why);
    }
  }
  signalMedia();
  return result;
}

} // namespace gh::app::demo
