#pragma once
// The OpenSSL contexts of one interface: one for its listeners, one for connections it opens.
// Built once when the interface is added; a bad certificate, key or CA bundle is an error here,
// not a handshake failure later.

#include <memory>

#include <asio/ssl/context.hpp>

#include "net/net_error.h"
#include "sip/transport/settings.h"

namespace gh::sip {

struct TlsContexts {
  asio::ssl::context server{asio::ssl::context::tls_server};
  asio::ssl::context client{asio::ssl::context::tls_client};
  bool has_certificate = false;
};

// `need_server`: the interface has a TLS listener, so a certificate is mandatory.
net::NetResult<std::unique_ptr<TlsContexts>> makeTlsContexts(const TlsOptions& options,
                                                             bool need_server);

} // namespace gh::sip
