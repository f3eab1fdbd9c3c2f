#pragma once
// The seed deployment (examples/seed-loopback.toml) as a string that tests vary one line at a
// time; the loader never opens the certificate files it names, so none need exist.

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "config/loader.h"

namespace gh::profiles::test {

inline constexpr std::string_view kSeed = R"([sbc]
fqdn = "sbc.example.com"

[tls]
certificate = "certs/sbc.crt"
private_key = "certs/sbc.key"
ca_bundle   = "certs/ca.crt"
min_version = "1.2"

[[interface]]
name        = "internal"
address     = "127.0.0.5"
sip         = ["udp:5060", "tcp:5060"]
media_ports = "20000-39999"
allow       = ["127.0.2.0/24"]

[[interface]]
name        = "external"
address     = "127.0.1.5"
sip         = ["tls:5061"]
media_ports = "40000-59999"
allow       = ["127.0.3.0/24"]

[[peer]]
name      = "cucm"
profile   = "cisco-cucm"
interface = "internal"
transport = "tcp"
address   = "127.0.2.6"
port      = 5060

[[peer]]
name      = "exchange-um"
profile   = "microsoft-exchange-um"
interface = "external"
transport = "tls"
fqdn      = "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com"
address   = "127.0.3.124:5061"

[[route]]
name              = "voicemail"
match.from_peer   = "cucm"
match.request_uri = '^sips?:87000@sbc-o365\.example\.com([:;?>]|$)'
to_peer           = "exchange-um"
headers.set.To    = "<sip:${ruri.user}@${peer.fqdn}>"

[route.media.outbound]
mode        = "srtp"
srtp_suites = ["AES_CM_128_HMAC_SHA1_80"]
ice         = "remove"
rtcp_mux    = "strip"

[route.media.inbound]
mode = "rtp"
)";

// kSeed with `from` replaced by `to` (the test fails when `from` is not there).
inline std::string seedWith(std::string_view from, std::string_view to) {
  std::string text(kSeed);
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not in the seed config: " << from;
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

inline config::Config load(std::string_view text) {
  auto loaded = config::loadString(text, "seed.toml", "/tmp");
  EXPECT_TRUE(loaded) << (loaded ? "" : config::formatDiagnostics(loaded.error()));
  return loaded ? std::move(*loaded) : config::Config{};
}

} // namespace gh::profiles::test
