#pragma once
// The certificate a TLS peer presented and we verified, as the call layer logs it.

#include <string>
#include <vector>

namespace gh::sip {

struct PeerCertificate {
  bool present = false;
  std::string subject;                // RFC 2253 form: "CN=sbc.example.com,O=Example"
  std::vector<std::string> dns_names; // subjectAltName dNSName entries
};

} // namespace gh::sip
