#include "app/demo/demo_certs.h"

#include <sys/stat.h>

#include <memory>
#include <vector>

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace gh::app::demo {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};

struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

std::string opensslError(std::string_view what) {
  unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0)
    ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return fmt::format("{}: {}", what, text);
}

bool addExtension(X509* cert, X509V3_CTX& ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr)
    return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A CA when `issuer` is null (self-signed), else a leaf for `cn` usable as TLS server and client.
Expected<Cert, std::string> makeCertificate(EVP_PKEY* key, std::string_view cn, X509* issuer,
                                            EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  if (!cert)
    return Unexpected(opensslError("X509_new"));
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1)
    return Unexpected(opensslError("RAND_bytes"));
  serial[0] &= 0x7f; // a positive INTEGER
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 90L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Gatehouse demo"), -1, -1, 0);
  std::string cn_text(cn);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn_text.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  bool ok = addExtension(cert.get(), ctx, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    ok = ok && addExtension(cert.get(), ctx, NID_basic_constraints, "critical,CA:TRUE") &&
         addExtension(cert.get(), ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok =
        ok && addExtension(cert.get(), ctx, NID_basic_constraints, "critical,CA:FALSE") &&
        addExtension(cert.get(), ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
        addExtension(cert.get(), ctx, NID_ext_key_usage, "serverAuth,clientAuth") &&
        addExtension(cert.get(), ctx, NID_subject_alt_name, "DNS:" + cn_text) &&
        addExtension(cert.get(), ctx, NID_authority_key_identifier, "keyid");
  }
  if (!ok)
    return Unexpected(opensslError("certificate extension"));
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0)
    return Unexpected(opensslError("X509_sign"));
  return cert;
}

Expected<Pkey, std::string> makeKey() {
  Pkey key(EVP_RSA_gen(2048));
  if (!key)
    return Unexpected(opensslError("RSA key generation"));
  return key;
}

bool writePem(const std::string& path, X509* cert, EVP_PKEY* key, std::string& why) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) {
    why = opensslError(fmt::format("cannot write {}", path));
    return false;
  }
  bool ok = cert != nullptr ? PEM_write_bio_X509(bio.get(), cert) == 1
                            : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                                                       nullptr) == 1;
  if (!ok) {
    why = opensslError(fmt::format("cannot write {}", path));
    return false;
  }
  if (key != nullptr)
    ::chmod(path.c_str(), 0600);
  return true;
}

} // namespace

Expected<CertificateFiles, std::string> makeCertificates(const std::string& folder,
                                                         std::string_view sbc_fqdn,
                                                         std::string_view um_fqdn, bool wildcard) {
  auto ca_key = makeKey();
  if (!ca_key)
    return Unexpected(ca_key.error());
  auto ca = makeCertificate(ca_key->get(), "Gatehouse demo CA", nullptr, nullptr);
  if (!ca)
    return Unexpected(ca.error());

  CertificateFiles files{.ca_crt = folder + "/ca.crt",
                         .sbc_crt = folder + "/sbc.crt",
                         .sbc_key = folder + "/sbc.key",
                         .um_crt = folder + "/um.crt",
                         .um_key = folder + "/um.key"};
  std::string wildcard_name;
  if (wildcard) {
    std::size_t dot = sbc_fqdn.find('.');
    wildcard_name = fmt::format("*{}", dot == std::string_view::npos ? "" : sbc_fqdn.substr(dot));
    files.wildcard_crt = folder + "/wildcard.crt";
    files.wildcard_key = folder + "/wildcard.key";
  }
  std::string why;
  if (!writePem(files.ca_crt, ca->get(), nullptr, why))
    return Unexpected(why);

  struct Leaf {
    std::string_view cn;
    const std::string& crt;
    const std::string& key;
  };

  std::vector<Leaf> leaves = {Leaf{sbc_fqdn, files.sbc_crt, files.sbc_key},
                              Leaf{um_fqdn, files.um_crt, files.um_key}};
  if (wildcard)
    leaves.push_back(Leaf{wildcard_name, files.wildcard_crt, files.wildcard_key});
  for (const Leaf& leaf : leaves) {
    auto key = makeKey();
    if (!key)
      return Unexpected(key.error());
    auto cert = makeCertificate(key->get(), leaf.cn, ca->get(), ca_key->get());
    if (!cert)
      return Unexpected(cert.error());
    if (!writePem(leaf.crt, cert->get(), nullptr, why) ||
        !writePem(leaf.key, nullptr, key->get(), why))
      return Unexpected(why);
  }
  return files;
}

} // namespace gh::app::demo
