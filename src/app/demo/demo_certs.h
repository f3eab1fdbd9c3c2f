#pragma once
// Throwaway certificates for `gatehouse demo`: a test CA, Gatehouse's own certificate and the
// simulated Exchange UM's, made with OpenSSL in a few hundred milliseconds so the demo needs no
// openssl command, no script and no files from the source tree.

#include <string>
#include <string_view>

#include "common/expected.h"

namespace gh::app::demo {

struct CertificateFiles {
  std::string ca_crt;  // the trust anchor both sides use
  std::string sbc_crt; // CN = SAN = the SBC FQDN, serverAuth + clientAuth
  std::string sbc_key;
  std::string um_crt; // CN = SAN = the Exchange UM FQDN
  std::string um_key;
  std::string wildcard_crt; // CN = SAN = *.<parent of the SBC FQDN>, when asked for
  std::string wildcard_key;
};

// Writes ca.crt, sbc.crt, sbc.key, um.crt, um.key into `folder` (which must exist). Keys are
// RSA 2048 as Microsoft's documentation asks of SBC certificates; they are valid for 90 days.
// With `wildcard`, also wildcard.crt and wildcard.key.
Expected<CertificateFiles, std::string> makeCertificates(const std::string& folder,
                                                         std::string_view sbc_fqdn,
                                                         std::string_view um_fqdn,
                                                         bool wildcard = false);

} // namespace gh::app::demo
