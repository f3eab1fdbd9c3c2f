#pragma once
// The validated configuration: plain structs, one per TOML table, every default written here and
// in docs/config.md. Built by loader.h on the main thread, immutable afterwards and shared as
// std::shared_ptr<const Config>. Structs that a later check may point at carry a `where`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "config/diagnostic.h"
#include "config/types.h"

namespace gh::config {

// [sbc]
struct SbcSettings {
  std::string fqdn; // the SBC's DNS name: Contact/Via toward fqdn-identity peers, TLS subject
  SourceLocation fqdn_where;
  std::string user_agent = "Gatehouse"; // User-Agent and Server header; empty = none sent
  bool topology_hiding = true;          // new Call-ID per leg, no internal addresses across
  // Unix socket for `gatehouse stats/calls`; relative paths are relative to the working folder.
  std::string control_socket = "/run/gatehouse/gatehouse.sock";
  // DNS servers for peers given by FQDN ("ip" or "ip:port"); empty = /etc/resolv.conf's.
  std::vector<std::string> dns_servers;
  SourceLocation where;
};

// [log]
struct ModuleLevel {
  log::Module module = log::Module::Main;
  log::Level level = log::Level::Info;
  SourceLocation where;
};

struct LogSettings {
  log::Level level = log::Level::Info;
  std::vector<ModuleLevel> modules; // [log.modules]: overrides of `level` per module
  FileRef file;                     // empty = stderr
  SourceLocation where;
};

// [tls], and an interface's [interface.tls] overrides
enum class TlsVersion : uint8_t { Tls12, Tls13 };

struct TlsSettings {
  FileRef certificate; // PEM: the leaf first, then intermediates; also the client certificate
  FileRef private_key; // PEM
  FileRef ca_bundle;   // PEM; verifies peers and clients; empty = the system's CA store
  TlsVersion min_version = TlsVersion::Tls12;
  std::string ciphers;          // OpenSSL cipher list for TLS 1.2; empty = OpenSSL's default
  std::string ciphersuites;     // TLS 1.3 suites; empty = OpenSSL's default
  bool ciphers_written = false; // so that a profile's default never overrides the file
  bool ciphersuites_written = false;
  SourceLocation where;
};

// [timers]
struct Timers {
  std::chrono::milliseconds t1{500};  // RFC 3261 T1: RTT estimate
  std::chrono::milliseconds t2{4000}; // RFC 3261 T2: longest non-INVITE retransmit interval
  std::chrono::milliseconds t4{5000}; // RFC 3261 T4: how long a message lives in the network
  std::chrono::seconds idle_connection_timeout{600}; // TCP/TLS without traffic; 0 = never close
  std::chrono::seconds no_answer{180};      // RFC 3261 Timer C: ringing this long is CANCELled, 408
  std::chrono::milliseconds timer_d{32000}; // RFC 3261 Timer D on UDP ("at least 32 s")
  SourceLocation where;
};

// [protection]: every limit is on by default; 0 = unlimited.
struct Protection {
  uint32_t requests_per_second = 500;  // per source IP, token bucket refill rate
  uint32_t burst = 1000;               // per source IP, token bucket size
  std::chrono::seconds retry_after{5}; // Retry-After on the 503 sent to a flooding source
  uint32_t max_calls = 10000;
  uint32_t max_calls_per_source = 5000;
  uint32_t max_transactions = 100000;
  uint32_t max_transactions_per_source = 20000;
  uint32_t max_connections = 10000;
  uint32_t max_connections_per_source = 100;
  SourceLocation where;
};

// Media policy values (per peer, overridable per route and side)
enum class SrtpSuite : uint8_t {
  AesCm128HmacSha1_80,
  AesCm128HmacSha1_32,
  AeadAes128Gcm,
  AeadAes256Gcm
};
enum class MediaMode : uint8_t {
  Passthrough, // relay, keep the offered transport and crypto lines as they are
  Rtp,         // relay, this side sees plain RTP/AVP
  Srtp,        // relay, this side sees RTP/SAVP with SDES keys made by Gatehouse
};
enum class IceMode : uint8_t { Remove, Keep };
enum class RtcpMuxMode : uint8_t {
  Keep,    // pass a=rtcp-mux through as the other side offered or answered it
  Strip,   // never: this side gets separate RTCP ports
  Offer,   // offer it toward this side even when the other side did not
  Require, // offer it with a=rtcp on the RTP port (RFC 5761 §5.1.3 / RFC 8858)
};
std::string_view rtcpMuxModeName(RtcpMuxMode mode);
enum class DtlsMode : uint8_t { Off }; // DTLS-SRTP is not supported: fingerprint/setup removed

struct MediaPolicy {
  MediaMode mode = MediaMode::Passthrough;
  IceMode ice = IceMode::Remove;
  RtcpMuxMode rtcp_mux = RtcpMuxMode::Keep;
  DtlsMode dtls = DtlsMode::Off;
  std::vector<SrtpSuite> srtp_suites{SrtpSuite::AesCm128HmacSha1_80}; // offered, in order
  std::vector<std::string> codecs; // encoding names kept, e.g. "PCMU"; empty = all
  SourceLocation where;            // the table that last set a key, else its owner
};

// The keys a [peer.media] or [route.media.inbound/outbound] table sets; unset = inherited.
struct MediaOverride {
  std::optional<MediaMode> mode;
  std::optional<IceMode> ice;
  std::optional<RtcpMuxMode> rtcp_mux;
  std::optional<DtlsMode> dtls;
  std::optional<std::vector<SrtpSuite>> srtp_suites;
  std::optional<std::vector<std::string>> codecs;
  SourceLocation where; // the table; empty file when the table is absent
};

// [media]
struct MediaSettings {
  std::optional<SocketAddress> ng_listen; // rtpengine NG control socket; absent = off
  SourceLocation ng_listen_where;
  uint32_t workers = 0;                      // media threads; 0 = one per CPU core
  std::chrono::seconds timeout{60};          // no packet for this long ends the call
  std::chrono::seconds silent_timeout{3600}; // the same while on hold
  std::vector<SrtpSuite> srtp_suites{SrtpSuite::AesCm128HmacSha1_80}; // default offer
  // A remote engine (`gatehouse media` or rtpengine) `gatehouse run` drives over NG instead of
  // relaying in-process; absent = in-process. Interfaces then need no media_ports.
  std::optional<SocketAddress> engine;
  SourceLocation engine_where;
  std::vector<std::pair<std::string, std::string>> engine_interfaces; // ours -> the engine's
  std::vector<SourceLocation> engine_interfaces_where;
  std::chrono::milliseconds engine_timeout{3000}; // no NG reply by then: the offer fails (503)
  SourceLocation where;
};

// [[interface]]
struct Interface {
  std::string name;
  IpAddress address; // bind address
  SourceLocation address_where;
  std::optional<IpAddress> advertise;   // public address behind NAT, shown in SDP/Contact/Via
  std::vector<SipListener> sip;         // empty = media only
  std::optional<PortRange> media_ports; // RTP/RTCP; absent = this interface carries no media
  std::vector<Cidr> allow; // sources allowed to send SIP, besides the peers on this interface
  bool require_client_certificate = false; // TLS listeners demand and verify a client cert
  TlsSettings tls; // effective: [tls] with this interface's [interface.tls] on top
  bool tls_overridden = false;
  SourceLocation where;
};

// [[peer]]
enum class Profile : uint8_t { Generic, MicrosoftExchangeUm, TeamsDirectRouting, CiscoCucm };
enum class Identity : uint8_t { Address, Fqdn }; // how Gatehouse names itself to the peer
enum class HeaderPass : uint8_t { All, None };

// Which headers of the other leg are copied into messages sent to this peer. Hop-by-hop and
// Gatehouse-managed headers (Via, Route, Record-Route, Contact, Call-ID, CSeq, ...) never are.
struct HeaderPolicy {
  HeaderPass pass = HeaderPass::All;
  std::vector<NameRef> allow; // with pass = none: copied anyway
  std::vector<NameRef> strip; // with pass = all: never copied
  SourceLocation where;
};

// One address of a peer with several (Teams Direct Routing's SIP proxies): tried in file order,
// each kept in health by OPTIONS. Its fqdn is the Request-URI host, TLS SNI and certificate name.
struct PeerTarget {
  std::string fqdn;
  std::optional<SocketAddress> address; // explicit IP (its port, if any, is in `port`); else DNS
  uint16_t port = 5061;                 // the target's, else the peer's `port`, else 5061/5060
  SourceLocation where;
};

struct Peer {
  std::string name;
  Profile profile = Profile::Generic;
  NameRef interface; // the interface the peer is reached through
  Transport transport = Transport::Udp;
  std::string fqdn; // Request-URI host, TLS SNI and certificate name; may be empty
  SourceLocation fqdn_where;
  std::optional<SocketAddress> address; // explicit IP (port 0 = not given); else DNS on fqdn
  SourceLocation address_where;
  uint16_t port = 5060; // effective port: address's, `port`, else 5061 for tls / 5060
  bool use_srv = false; // fqdn without address or port: RFC 3263 SRV, then A/AAAA on `port`
  std::chrono::seconds options_interval{0}; // OPTIONS keep-alive; 0 = off
  // Several addresses tried in order (failover) and kept alive one by one. Empty = the peer is
  // its fqdn/address alone. When set, fqdn and port mirror the first target and address is empty.
  std::vector<PeerTarget> targets;
  std::string x_ms_sbc; // X-MS-SBC header on requests to the peer (Microsoft's SBC inventory)
  bool e164 = false;    // phone-number users become +digits with ;user=phone toward the peer
  Identity identity = Identity::Address;
  std::vector<Cidr> sources; // more source addresses that identify this peer
  HeaderPolicy header_policy;
  MediaPolicy media; // profile defaults with [peer.media] on top
  SourceLocation where;
};

// [[route]]
struct RouteMatch {
  std::optional<Regex> request_uri;     // against the Request-URI text
  std::optional<Regex> from;            // against the From URI
  std::optional<Regex> to;              // against the To URI
  std::vector<NameRef> from_peers;      // any of them; empty = any source
  std::vector<NameRef> from_interfaces; // any of them; empty = any interface
  std::vector<NameRef> methods;         // any of them, upper case; empty = any method
  SourceLocation where;                 // [route.match], else the route
};

struct Reject {
  uint16_t code = 403;
  std::string reason; // empty = the standard reason phrase
  SourceLocation where;
};

struct HeaderValue {
  std::string header; // canonical name ("To", never "t")
  Template value;
  SourceLocation where;
};

struct HeaderReplace {
  std::string header;
  Regex pattern; // every match in each value of the header is replaced
  Template with; // may use $0-$9 / $& for the pattern's groups
  SourceLocation where;
};

// Applied in this order: remove, replace, set, add.
struct HeaderActions {
  std::vector<NameRef> remove;        // every instance of the header
  std::vector<HeaderReplace> replace; // regex substitution inside values
  std::vector<HeaderValue> set;       // replace all instances with one (or add it)
  std::vector<HeaderValue> add;       // append one more instance
};

struct SdpLinePrefix {
  std::string prefix; // e.g. "a=label:"
  SourceLocation where;
};

// Applied to responses coming back from the target peer before they go to the caller.
struct ReplyRules {
  std::vector<SdpLinePrefix> remove_sdp_lines;
  HeaderActions headers;
  SourceLocation where;
};

struct RouteMedia {
  bool anchor = true;     // relay media through Gatehouse; false = SDP passes untouched
  MediaOverride inbound;  // toward the side the request came from (over its peer's policy)
  MediaOverride outbound; // toward the target peer (over that peer's policy)
  SourceLocation where;
};

struct Route {
  std::string name;
  RouteMatch match;
  std::vector<NameRef> to_peers; // tried in order (failover); empty when the route rejects
  std::optional<Reject> reject;
  // Absent = sip:${ruri.user}@<peer host>:<peer port>, with ;transport=tcp|tls when not udp.
  std::optional<Template> rewrite_request_uri;
  HeaderActions headers; // on the request sent to the target peer
  RouteMedia media;
  ReplyRules reply;
  SourceLocation where;
};

struct Config {
  std::string source;             // the name diagnostics print
  std::filesystem::path base_dir; // relative paths were resolved against this folder
  SbcSettings sbc;
  LogSettings log;
  TlsSettings tls;
  Timers timers;
  Protection protection;
  MediaSettings media;
  std::vector<Interface> interfaces;
  std::vector<Peer> peers;
  std::vector<Route> routes; // in file order: the first route that matches wins
  Diagnostics warnings;      // findings that did not stop the load
};

// Lookups by name; nullptr when there is none.
const Interface* findInterface(const Config& config, std::string_view name);
const Peer* findPeer(const Config& config, std::string_view name);
const Route* findRoute(const Config& config, std::string_view name);

// The peer whose `address` IP equals `source` or whose `sources` contain it; nullptr if none.
const Peer* findPeerBySource(const Config& config, const IpAddress& source);

// A profile's defaults: the values a peer gets for every key it does not set.
struct ProfileDefaults {
  Profile profile = Profile::Generic;
  std::string_view name;
  Transport transport = Transport::Udp;
  Identity identity = Identity::Address;
  std::chrono::seconds options_interval{0};
  MediaMode media_mode = MediaMode::Passthrough;
  IceMode ice = IceMode::Remove;
  RtcpMuxMode rtcp_mux = RtcpMuxMode::Keep;
  bool sha1_80_only = false; // offers AES_CM_128_HMAC_SHA1_80 alone, whatever [media] says
  bool e164 = false;         // phone numbers toward the peer as +E.164 with ;user=phone
  bool x_ms_sbc = false;     // X-MS-SBC: Gatehouse/<version> on requests to the peer
  // A peer with neither fqdn, address nor targets gets these targets (port 5061).
  std::span<const std::string_view> targets;
  std::span<const std::string_view> sources; // default `sources` (the service's ranges)
  std::string_view ciphers;                  // default TLS 1.2 list of the peer's interface
  std::string_view ciphersuites;             // default TLS 1.3 suites of the peer's interface
};

const ProfileDefaults& profileDefaults(Profile profile);
// The media policy of a peer with this profile that sets no [peer.media] keys.
MediaPolicy profileMediaPolicy(Profile profile, const MediaSettings& media);
// `base` with every key that `overrides` sets replaced.
MediaPolicy applyMediaOverride(MediaPolicy base, const MediaOverride& overrides);

// "Gatehouse/<version>": the default X-MS-SBC value.
std::string_view productToken();

std::string_view profileName(Profile profile);
std::string_view mediaModeName(MediaMode mode);
std::string_view srtpSuiteName(SrtpSuite suite);     // "AES_CM_128_HMAC_SHA1_80", ...
std::string_view tlsVersionName(TlsVersion version); // "1.2", "1.3"
std::string_view identityName(Identity identity);

} // namespace gh::config
