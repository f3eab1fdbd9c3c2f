#include "sip/transport/tls_context.h"

#include <cstring>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace gh::sip {
namespace {

// Asio moves the OpenSSL error into `ec`; anything left on the queue is older detail.
std::string openSslText(const asio::error_code& ec) {
  ERR_clear_error();
  if (ec.category() == asio::error::get_ssl_category()) {
    unsigned long code = static_cast<unsigned long>(ec.value());
    if (ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH) {
      return "the key does not match the certificate";
    }
    if (ERR_GET_LIB(code) == ERR_LIB_SYS) {
      return std::strerror(ERR_GET_REASON(code));
    }
  }
  return ec.message();
}

net::NetResult<void> configure(asio::ssl::context& ctx, const TlsOptions& options,
                               bool with_certificate) {
  SSL_CTX* native = ctx.native_handle();
  // No compression (CRIME) and no renegotiation: neither has a use on a SIP trunk.
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Without a session id context a server that verifies clients fails every resumed session.
  static constexpr unsigned char kSessionContext[] = "gatehouse-sip";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof(kSessionContext) - 1);
  int min = options.min_version == TlsMinVersion::Tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(native, min) != 1) {
    return net::netFail(net::NetErrc::TlsSetup, "cannot set the minimum TLS version");
  }
  if (!options.ciphers.empty() && SSL_CTX_set_cipher_list(native, options.ciphers.c_str()) != 1) {
    return net::netFail(net::NetErrc::TlsSetup,
                        fmt::format("no usable cipher in \"{}\"", options.ciphers));
  }
  if (!options.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(native, options.ciphersuites.c_str()) != 1) {
    return net::netFail(net::NetErrc::TlsSetup,
                        fmt::format("no usable TLS 1.3 suite in \"{}\"", options.ciphersuites));
  }
  if (with_certificate) {
    asio::error_code ec;
    ctx.use_certificate_chain_file(options.certificate_file, ec);
    if (ec) {
      return net::netFail(net::NetErrc::TlsSetup,
                          fmt::format("cannot load certificate chain {}: {}",
                                      options.certificate_file, openSslText(ec)));
    }
    ctx.use_private_key_file(options.private_key_file, asio::ssl::context::pem, ec);
    if (ec) {
      return net::netFail(
          net::NetErrc::TlsSetup,
          fmt::format("cannot load private key {}: {}", options.private_key_file, openSslText(ec)));
    }
    if (SSL_CTX_check_private_key(native) != 1) {
      return net::netFail(net::NetErrc::TlsSetup,
                          fmt::format("private key {} does not match certificate {}",
                                      options.private_key_file, options.certificate_file));
    }
  }
  asio::error_code ec;
  if (options.ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    ctx.load_verify_file(options.ca_file, ec);
  }
  if (ec) {
    return net::netFail(net::NetErrc::TlsSetup,
                        fmt::format("cannot load CA bundle {}: {}",
                                    options.ca_file.empty() ? "(system)" : options.ca_file,
                                    openSslText(ec)));
  }
  return {};
}

} // namespace

net::NetResult<std::unique_ptr<TlsContexts>> makeTlsContexts(const TlsOptions& options,
                                                             bool need_server) {
  std::unique_ptr<TlsContexts> out;
  try {
    out = std::make_unique<TlsContexts>();
  } catch (const std::exception& e) {
    return net::netFail(net::NetErrc::TlsSetup,
                        fmt::format("cannot create a TLS context: {}", e.what()));
  }
  out->has_certificate = !options.certificate_file.empty();
  if (need_server && !out->has_certificate) {
    return net::netFail(net::NetErrc::TlsSetup, "a TLS listener needs a certificate and key");
  }
  if (auto ok = configure(out->server, options, out->has_certificate); !ok) {
    return Unexpected(ok.error());
  }
  if (auto ok = configure(out->client, options, out->has_certificate); !ok) {
    return Unexpected(ok.error());
  }
  asio::error_code ec;
  // Servers always verify what a client presents; only a listener that requires a client
  // certificate asks for one (RFC 5630 leaves it to policy; Microsoft requires it).
  auto server_mode = options.require_client_certificate
                         ? asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert
                         : asio::ssl::verify_none;
  out->server.set_verify_mode(server_mode, ec);
  out->client.set_verify_mode(asio::ssl::verify_peer, ec);
  if (ec) {
    return net::netFail(net::NetErrc::TlsSetup, "cannot set the verify mode");
  }
  // A client certificate request lists the CAs we trust, so a client with several certificates
  // picks the right one.
  if (options.require_client_certificate && !options.ca_file.empty()) {
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(out->server.native_handle(), names);
    }
  }
  return out;
}

} // namespace gh::sip
