#pragma once
// The built-in configuration of `gatehouse demo`: examples/seed-loopback.toml on addresses of its
// own (127.0.40-43.x), so the demo runs beside a Gatehouse already serving the seed topology.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace gh::app::demo {

// A Microsoft rule the demo breaks on purpose, to show `gatehouse check` predicting the answer
// and the simulated Exchange UM giving it.
enum class DemoBreak : uint8_t {
  None,
  Wildcard, // Gatehouse presents *.example.com           (rule 1: 403)
  ToHost,   // the route does not rewrite To              (rule 2: 488)
  NoSrtp,   // plain RTP toward Microsoft                 (rule 3: 488)
  RtcpMux,  // CUCM's a=rtcp-mux passed to Microsoft       (rule 4: 488)
  Ice,      // CUCM's ICE attributes passed to Microsoft  (rule 5: 488)
};

struct BreakInfo {
  DemoBreak what;
  const char* name; // as `--break` spells it
  int rule;
  int answer; // what Exchange UM answers
  const char* description;
};

// Every value of DemoBreak except None.
std::span<const BreakInfo> demoBreaks();
const BreakInfo* findDemoBreak(std::string_view name);

struct DemoTopology {
  std::string internal_ip = "127.0.40.5"; // Gatehouse toward CUCM: udp+tcp 5060
  std::string external_ip = "127.0.41.5"; // Gatehouse toward Microsoft: tls 5061
  std::string pbx_ip = "127.0.42.6";      // CUCM
  std::string microsoft_ip = "127.0.43.124";
  std::string sbc_fqdn = "sbc.example.com";
  std::string um_fqdn = "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com";
  std::string pilot_uri = "sip:87000@sbc-o365.example.com";
};

// The TOML text; certificates are read from certs/ beside the file, the control socket is
// `control_socket`. `broken` changes the one line that breaks that rule.
std::string demoConfigText(const DemoTopology& topology, const std::string& control_socket,
                           DemoBreak broken = DemoBreak::None);

} // namespace gh::app::demo
