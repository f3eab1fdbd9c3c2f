#include "app/check_tls.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "profiles/certificate_rules.h"

namespace gh::app {

namespace {

using profiles::Finding;
using profiles::Findings;
using profiles::Severity;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;

void freeChain(STACK_OF(X509) * chain) {
  sk_X509_pop_free(chain, X509_free);
}

using ChainPtr = std::unique_ptr<STACK_OF(X509), Deleter<freeChain>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;

bool sameFiles(const config::TlsSettings& a, const config::TlsSettings& b) {
  return a.certificate.path == b.certificate.path && a.private_key.path == b.private_key.path &&
         a.ca_bundle.path == b.ca_bundle.path;
}

// Each distinct set of TLS files, with the listeners and TLS peers that use it.
std::vector<profiles::CertificateUse> collectUses(const config::Config& config) {
  std::vector<profiles::CertificateUse> uses;
  auto useOf = [&](const config::TlsSettings& tls) -> profiles::CertificateUse& {
    for (auto& u : uses) {
      if (sameFiles(*u.tls, tls))
        return u;
    }
    uses.push_back({.tls = &tls});
    return uses.back();
  };
  if (!config.tls.certificate.text.empty())
    useOf(config.tls);
  for (const config::Interface& iface : config.interfaces) {
    const bool listens = std::any_of(iface.sip.begin(), iface.sip.end(), [](const auto& l) {
      return l.transport == config::Transport::Tls;
    });
    std::vector<const config::Peer*> peers;
    for (const config::Peer& peer : config.peers) {
      if (peer.interface.name == iface.name && peer.transport == config::Transport::Tls)
        peers.push_back(&peer);
    }
    if (iface.tls.certificate.text.empty() || (!listens && peers.empty()))
      continue;
    profiles::CertificateUse& u = useOf(iface.tls);
    u.serves_listeners = u.serves_listeners || listens;
    u.peers.insert(u.peers.end(), peers.begin(), peers.end());
  }
  return uses;
}

std::string openSslReason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0)
    return "no PEM data";
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

// Opens a configured file, or says why not at the key that names it.
Bio openFile(const config::FileRef& file, std::string_view what, Findings& out) {
  errno = 0;
  Bio bio(BIO_new_file(file.path.c_str(), "r"));
  if (!bio) {
    const int error = errno;
    ERR_clear_error();
    out.push_back({Severity::Error, file.where,
                   fmt::format("cannot read {} {} ({}): {}", what, file.text, file.path.string(),
                               error != 0 ? std::strerror(error) : "cannot open")});
  }
  return bio;
}

int64_t secondsUntil(const ASN1_TIME* when) {
  int days = 0;
  int seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, when) != 1)
    return 0;
  return static_cast<int64_t>(days) * 86400 + seconds;
}

std::string dayOf(const ASN1_TIME* when) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(when, &tm) != 1)
    return "an unreadable date";
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void readNames(X509* leaf, profiles::CertificateFacts& facts) {
  X509_NAME* subject = X509_get_subject_name(leaf);
  const int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (cn >= 0) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn));
    facts.common_name.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                             static_cast<std::size_t>(ASN1_STRING_length(data)));
  }
  NamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_DNS)
      continue;
    const ASN1_STRING* dns = name->d.dNSName;
    facts.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                 static_cast<std::size_t>(ASN1_STRING_length(dns)));
  }
}

std::optional<std::string> verifyWith(X509_STORE* store, X509* leaf,
                                      STACK_OF(X509) * intermediates) {
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (X509_STORE_CTX_init(ctx.get(), store, leaf, intermediates) != 1)
    return openSslReason();
  // Dates are checkDates' business: an expired leaf is one finding, not two.
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
  if (X509_verify_cert(ctx.get()) == 1)
    return std::nullopt;
  return std::string(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
}

// The chain against ca_bundle. ca_bundle holds the roots of the *peers*' certificates, and a
// peer checks ours against its own store, so a chain the system store vouches for (a public CA,
// what Microsoft requires) passes too.
std::optional<std::string> verifyChain(X509* leaf, STACK_OF(X509) * intermediates,
                                       const config::TlsSettings& tls, Findings& out) {
  StorePtr system(X509_STORE_new());
  X509_STORE_set_default_paths(system.get());
  if (tls.ca_bundle.text.empty())
    return verifyWith(system.get(), leaf, intermediates);
  if (!openFile(tls.ca_bundle, "CA bundle", out))
    return std::nullopt;
  StorePtr bundle(X509_STORE_new());
  if (X509_STORE_load_file(bundle.get(), tls.ca_bundle.path.c_str()) != 1) {
    out.push_back({Severity::Error, tls.ca_bundle.where,
                   fmt::format("CA bundle {} holds no PEM certificate: {}", tls.ca_bundle.text,
                               openSslReason())});
    return std::nullopt;
  }
  auto error = verifyWith(bundle.get(), leaf, intermediates);
  if (error && !verifyWith(system.get(), leaf, intermediates))
    return std::nullopt;
  ERR_clear_error();
  return error;
}

void checkUse(const config::Config& config, const profiles::CertificateUse& use, Findings& out) {
  const config::TlsSettings& tls = *use.tls;
  Bio cert_bio = openFile(tls.certificate, "certificate", out);
  if (!cert_bio)
    return;
  X509Ptr leaf(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!leaf) {
    out.push_back({Severity::Error, tls.certificate.where,
                   fmt::format("certificate {} holds no PEM certificate: {}", tls.certificate.text,
                               openSslReason())});
    return;
  }
  ChainPtr chain(sk_X509_new_null());
  while (X509* next = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr))
    sk_X509_push(chain.get(), next);
  ERR_clear_error(); // the end of the file reads as an error

  profiles::CertificateFacts facts;
  if (!tls.private_key.text.empty()) {
    if (Bio key_bio = openFile(tls.private_key, "private key", out)) {
      KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
      if (!key) {
        out.push_back({Severity::Error, tls.private_key.where,
                       fmt::format("private key {} is not an unencrypted PEM key: {}",
                                   tls.private_key.text, openSslReason())});
      } else {
        facts.key_matches = X509_check_private_key(leaf.get(), key.get()) == 1;
        ERR_clear_error();
      }
    }
  }
  facts.chain_error = verifyChain(leaf.get(), chain.get(), tls, out);
  readNames(leaf.get(), facts);
  const uint32_t eku = X509_get_extended_key_usage(leaf.get()); // all bits when absent
  facts.server_auth = (eku & XKU_SSL_SERVER) != 0;
  facts.client_auth = (eku & XKU_SSL_CLIENT) != 0;
  facts.seconds_left = secondsUntil(X509_get0_notAfter(leaf.get()));
  facts.seconds_to_start = secondsUntil(X509_get0_notBefore(leaf.get()));
  facts.not_after = dayOf(X509_get0_notAfter(leaf.get()));
  Findings judged = profiles::checkCertificate(facts, use, config.sbc);
  out.insert(out.end(), judged.begin(), judged.end());
}

} // namespace

Findings checkTlsFiles(const config::Config& config) {
  Findings out;
  for (const profiles::CertificateUse& use : collectUses(config))
    checkUse(config, use, out);
  return out;
}

} // namespace gh::app
