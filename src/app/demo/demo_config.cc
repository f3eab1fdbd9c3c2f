#include "app/demo/demo_config.h"

#include <fmt/format.h>

namespace gh::app::demo {

namespace {

constexpr BreakInfo kBreaks[] = {
    {DemoBreak::Wildcard, "wildcard", 1, 403, "Gatehouse presents a wildcard certificate"},
    {DemoBreak::ToHost, "to-host", 2, 488, "the route no longer rewrites the To header"},
    {DemoBreak::NoSrtp, "no-srtp", 3, 488, "plain RTP is offered toward Microsoft"},
    {DemoBreak::RtcpMux, "rtcp-mux", 4, 488, "CUCM's a=rtcp-mux is passed on to Microsoft"},
    {DemoBreak::Ice, "ice", 5, 488, "CUCM's ICE attributes are passed on to Microsoft"},
};

} // namespace

std::span<const BreakInfo> demoBreaks() {
  return kBreaks;
}

const BreakInfo* findDemoBreak(std::string_view name) {
  for (const BreakInfo& b : kBreaks) {
    if (name == b.name)
      return &b;
  }
  return nullptr;
}

std::string demoConfigText(const DemoTopology& t, const std::string& control_socket,
                           DemoBreak broken) {
  auto pick = [broken](DemoBreak when, const char* broken_line, const char* good_line) {
    return broken == when ? broken_line : good_line;
  };
  return fmt::format(
      R"toml(# gatehouse demo: the seed call on loopback (see examples/seed-loopback.toml)
#
#   CUCM {pbx} --tcp--> {internal}:5060 [gatehouse] {external} --tls--> {ms}:5061 Exchange UM

[sbc]
fqdn           = "{fqdn}"
control_socket = "{control}"

[log]
level = "info"

[tls]
{cert}
ca_bundle   = "certs/ca.crt"
min_version = "1.2"

[media]
timeout_s = 30

[protection]
max_calls = 100                  # within the media port ranges below

[[interface]]
name        = "internal"
address     = "{internal}"
sip         = ["udp:5060", "tcp:5060"]
media_ports = "20000-20999"
allow       = ["{pbx}/32"]

[[interface]]
name        = "external"
address     = "{external}"
sip         = ["tls:5061"]
media_ports = "40000-40999"
allow       = ["{ms}/32"]

[[peer]]
name      = "cucm"
profile   = "cisco-cucm"
interface = "internal"
transport = "tcp"
address   = "{pbx}"
port      = 5060

[[peer]]
name      = "exchange-um"
profile   = "microsoft-exchange-um"
interface = "external"
transport = "tls"
fqdn      = "{um}"
address   = "{ms}:5061"

[[route]]
name              = "voicemail"
match.from_peer   = "cucm"
match.request_uri = '^sips?:87000@sbc-o365\.example\.com([:;?>]|$)'
to_peer           = "exchange-um"
{to}

[route.media.outbound]
{mode}
srtp_suites = ["AES_CM_128_HMAC_SHA1_80"]
{ice}
{mux}
dtls        = "off"

[route.media.inbound]
mode = "rtp"
ice  = "remove"
dtls = "off"
)toml",
      fmt::arg("pbx", t.pbx_ip), fmt::arg("internal", t.internal_ip),
      fmt::arg("external", t.external_ip), fmt::arg("ms", t.microsoft_ip),
      fmt::arg("fqdn", t.sbc_fqdn), fmt::arg("um", t.um_fqdn), fmt::arg("control", control_socket),
      fmt::arg("cert", pick(DemoBreak::Wildcard,
                            "certificate = \"certs/wildcard.crt\"  # broken: rule 1\n"
                            "private_key = \"certs/wildcard.key\"",
                            "certificate = \"certs/sbc.crt\"\n"
                            "private_key = \"certs/sbc.key\"")),
      fmt::arg("to", pick(DemoBreak::ToHost, "# headers.set.To: removed (rule 2)",
                          "headers.set.To    = \"<sip:${ruri.user}@${peer.fqdn}>\"")),
      fmt::arg("mode", pick(DemoBreak::NoSrtp, "mode        = \"rtp\"   # broken: rule 3",
                            "mode        = \"srtp\"")),
      fmt::arg("ice", pick(DemoBreak::Ice, "ice         = \"keep\"  # broken: rule 5",
                           "ice         = \"remove\"")),
      fmt::arg("mux", pick(DemoBreak::RtcpMux, "rtcp_mux    = \"keep\"  # broken: rule 4",
                           "rtcp_mux    = \"strip\"")));
}

} // namespace gh::app::demo
