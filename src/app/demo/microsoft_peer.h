#pragma once
// The simulated Microsoft Exchange UM of `gatehouse demo`: a SIP-over-TLS server that demands a
// client certificate and enforces the seed's five rules the way Microsoft does, with a bare 403
// or 488 (plus a Warning naming the rule, which Microsoft does not give). A call that passes is
// answered with SDES-SRTP, and its audio is checked packet by packet.

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "app/demo/ladder.h"
#include "app/demo/media_leg.h"
#include "sip/message/message.h"

namespace gh::app::demo {

struct MicrosoftPeerSettings {
  std::string ip; // listens on ip:port (TLS)
  uint16_t port = 5061;
  std::string fqdn;     // the UM forwarding address: the To host Microsoft insists on
  std::string sbc_fqdn; // the only client certificate subject accepted (rule 1)
  std::string certificate, private_key, ca_bundle;
  int packets = 100;
  std::chrono::milliseconds timeout{15000}; // for each step
};

struct RuleCheck {
  int rule = 0; // 1..5 as the seed numbers them
  std::string what;
  bool passed = false;
};

struct MicrosoftPeerResult {
  bool call_answered = false;
  bool bye_received = false;
  int rejected_with = 0; // 403/488 when a rule failed
  std::vector<RuleCheck> rules;
  MediaFigures media; // received from Gatehouse (SRTP)
  std::string error;  // what went wrong, empty when the peer saw the whole call
};

class MicrosoftPeer {
public:
  explicit MicrosoftPeer(MicrosoftPeerSettings settings);
  ~MicrosoftPeer();
  MicrosoftPeer(const MicrosoftPeer&) = delete;
  MicrosoftPeer& operator=(const MicrosoftPeer&) = delete;

  // Loads the certificates and binds the listener, before Gatehouse starts.
  bool listen(std::string& why);
  // Serves one call; `media_done` is set once its audio run is over (or the call failed).
  MicrosoftPeerResult serve(Ladder& ladder, std::promise<void>& media_done);

private:
  bool checkRequest(const sip::Message& invite, SSL* ssl, MicrosoftPeerResult& result,
                    Ladder& ladder, int& code, std::string& warning);

  MicrosoftPeerSettings settings_;
  SSL_CTX* ctx_ = nullptr;
  int listener_ = -1;
};

} // namespace gh::app::demo
