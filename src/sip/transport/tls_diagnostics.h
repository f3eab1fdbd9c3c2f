#pragma once
// Turns OpenSSL's verdicts into sentences an operator can act on: every TLS handshake failure
// is logged with one of these, and the same text fails the send that needed the connection.

#include <string>
#include <string_view>
#include <system_error>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sip/transport/peer_certificate.h"

namespace gh::sip {

// The first certificate-chain problem OpenSSL reported while verifying the peer (captured by
// the verify callback, because after a failed handshake the peer chain is no longer reachable).
struct VerifyFailure {
  int error = X509_V_OK;
  int depth = 0;
  std::string certificate; // subject and names of the certificate that failed
};

PeerCertificate describeCertificate(X509* certificate); // nullptr -> present = false
std::string certificateSummary(X509* certificate);      // "CN=a,O=b [DNS:a, DNS:b]"
std::string_view verifyErrorText(int x509_error);       // "certificate expired", "unknown CA" ...

// Why a handshake failed: our verification of the peer (`verify`), an alert the peer sent, a
// protocol mismatch, or the peer hanging up. `expected_name` is the name we checked, if any.
std::string handshakeFailureReason(const std::error_code& error, const VerifyFailure& verify,
                                   std::string_view expected_name);

// The text of an error read from an established TLS connection (e.g. a TLS 1.3 alert that the
// peer refused our client certificate after the handshake looked complete to us).
std::string tlsReadErrorReason(const std::error_code& error);

} // namespace gh::sip
