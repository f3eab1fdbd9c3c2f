#include "sip/transport/tls_diagnostics.h"

#include <memory>

#include <asio/error.hpp>
#include <asio/ssl/error.hpp>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace gh::sip {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

struct GeneralNamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};

std::string subjectOf(X509* certificate) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0,
                                 XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

std::vector<std::string> dnsNamesOf(X509* certificate) {
  std::vector<std::string> out;
  std::unique_ptr<GENERAL_NAMES, GeneralNamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    return out;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<std::size_t>(ASN1_STRING_length(dns)));
    }
  }
  return out;
}

// The reason code of an OpenSSL error as Asio reports it (the packed ERR_get_error() value).
int sslReason(const std::error_code& error) {
  if (error.category() != asio::error::get_ssl_category()) {
    return 0;
  }
  return ERR_GET_REASON(static_cast<unsigned long>(error.value()));
}

std::string_view alertText(int reason) {
  switch (reason) {
  case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    return "the peer rejected our certificate: certificate expired";
  case SSL_R_TLSV1_ALERT_UNKNOWN_CA: return "the peer rejected our certificate: unknown CA";
  case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    return "the peer rejected our certificate: bad certificate";
  case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    return "the peer rejected our certificate: unsupported certificate";
  case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    return "the peer rejected our certificate: certificate revoked";
  case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    return "the peer rejected our certificate: certificate unknown";
  case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    return "the peer requires a client certificate and we sent none";
  case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE: return "no client certificate";
  case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
  case SSL_R_UNSUPPORTED_PROTOCOL:
  case SSL_R_NO_PROTOCOLS_AVAILABLE:
  case SSL_R_VERSION_TOO_LOW:
  case SSL_R_VERSION_TOO_HIGH: return "protocol version not accepted (TLS version mismatch)";
  case SSL_R_WRONG_VERSION_NUMBER:
  case SSL_R_HTTP_REQUEST:
  case SSL_R_PACKET_LENGTH_TOO_LONG:
    return "the peer does not speak TLS (plain TCP on a TLS port?)";
  case SSL_R_NO_SHARED_CIPHER: return "no shared cipher";
  case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
    return "the peer aborted the handshake (no shared cipher or a certificate it refused)";
  case SSL_R_TLSV1_ALERT_DECRYPT_ERROR: return "the peer reported a decrypt error";
  case SSL_R_TLSV1_ALERT_INTERNAL_ERROR: return "the peer reported an internal error";
  case SSL_R_TLSV1_UNRECOGNIZED_NAME: return "the peer does not know the server name (SNI)";
  default: return {};
  }
}

} // namespace

PeerCertificate describeCertificate(X509* certificate) {
  PeerCertificate out;
  if (certificate == nullptr) {
    return out;
  }
  out.present = true;
  out.subject = subjectOf(certificate);
  out.dns_names = dnsNamesOf(certificate);
  return out;
}

std::string certificateSummary(X509* certificate) {
  if (certificate == nullptr) {
    return "no certificate";
  }
  PeerCertificate c = describeCertificate(certificate);
  std::string out = c.subject.empty() ? std::string("(empty subject)") : c.subject;
  if (!c.dns_names.empty()) {
    out += " [";
    for (std::size_t i = 0; i < c.dns_names.size(); ++i) {
      out += (i ? ", DNS:" : "DNS:") + c.dns_names[i];
    }
    out += "]";
  }
  return out;
}

std::string_view verifyErrorText(int x509_error) {
  switch (x509_error) {
  case X509_V_OK: return "ok";
  case X509_V_ERR_CERT_HAS_EXPIRED: return "certificate expired";
  case X509_V_ERR_CERT_NOT_YET_VALID: return "certificate not yet valid";
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    return "unknown CA (not issued by a CA in our bundle)";
  case X509_V_ERR_HOSTNAME_MISMATCH: return "name mismatch";
  case X509_V_ERR_IP_ADDRESS_MISMATCH: return "IP address mismatch";
  case X509_V_ERR_CERT_REVOKED: return "certificate revoked";
  case X509_V_ERR_INVALID_PURPOSE:
    return "certificate not valid for this purpose (extended key usage)";
  case X509_V_ERR_CERT_SIGNATURE_FAILURE: return "bad certificate signature";
  case X509_V_ERR_INVALID_CA: return "an intermediate is not a CA";
  case X509_V_ERR_CERT_CHAIN_TOO_LONG: return "certificate chain too long";
  case X509_V_ERR_EE_KEY_TOO_SMALL:
  case X509_V_ERR_CA_KEY_TOO_SMALL: return "key too small for the security level";
  case X509_V_ERR_CA_MD_TOO_WEAK: return "signature digest too weak";
  default: return X509_verify_cert_error_string(x509_error);
  }
}

std::string handshakeFailureReason(const std::error_code& error, const VerifyFailure& verify,
                                   std::string_view expected_name) {
  if (verify.error != X509_V_OK) {
    std::string out(verifyErrorText(verify.error));
    if (verify.error == X509_V_ERR_HOSTNAME_MISMATCH) {
      return fmt::format("{}: expected {}, the certificate is for {}", out, expected_name,
                         verify.certificate);
    }
    return fmt::format("{}: {}{}", out, verify.certificate,
                       verify.depth > 0 ? fmt::format(" (chain depth {})", verify.depth) : "");
  }
  if (error == asio::ssl::error::stream_truncated || error == asio::error::eof) {
    return "the peer closed the connection during the TLS handshake";
  }
  if (error == asio::error::connection_reset) {
    return "the peer reset the connection during the TLS handshake";
  }
  int reason = sslReason(error);
  if (std::string_view text = alertText(reason); !text.empty()) {
    return std::string(text);
  }
  if (reason != 0) {
    const char* text = ERR_reason_error_string(static_cast<unsigned long>(error.value()));
    return fmt::format("TLS handshake failed: {}", text ? text : error.message());
  }
  return fmt::format("TLS handshake failed: {}", error.message());
}

std::string tlsReadErrorReason(const std::error_code& error) {
  if (error == asio::ssl::error::stream_truncated) {
    return "closed by the peer without a TLS close_notify";
  }
  if (std::string_view text = alertText(sslReason(error)); !text.empty()) {
    return std::string(text);
  }
  return fmt::format("TLS error: {}", error.message());
}

} // namespace gh::sip
