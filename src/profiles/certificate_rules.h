#pragma once
// Judges a TLS certificate Gatehouse presents: dates, purposes, key, chain, and its names under
// the rules of every peer that sees it. The facts are read from the files by app/ (OpenSSL);
// the judgement lives here so that it is table-tested without certificate files.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "profiles/finding.h"

namespace gh::profiles {

struct CertificateFacts {
  std::string common_name;                // subject CN; empty when absent
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  bool server_auth = true;                // EKU allows TLS server use (or there is no EKU)
  bool client_auth = true;                // EKU allows TLS client use (or there is no EKU)
  bool key_matches = true;                // private_key belongs to the certificate
  std::optional<std::string> chain_error; // why the chain does not verify; nullopt = it does
  int64_t seconds_left = 0;               // until notAfter; negative once expired
  int64_t seconds_to_start = 0;           // until notBefore; positive = not yet valid
  std::string not_after;                  // "2027-06-01" for messages
};

// Who sees one certificate: the interface tables that use it and the TLS peers reached with it.
struct CertificateUse {
  const config::TlsSettings* tls = nullptr;
  bool serves_listeners = false;          // a tls listener presents it (server side)
  std::vector<const config::Peer*> peers; // TLS peers it is presented to (client side)
};

inline constexpr int64_t kExpiryWarningDays = 30;

Findings checkCertificate(const CertificateFacts& facts, const CertificateUse& use,
                          const config::SbcSettings& sbc);

// The SAN DNS names, then the CN when it is not among them.
std::vector<std::string> certificateNames(const CertificateFacts& facts);

} // namespace gh::profiles
