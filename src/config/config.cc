#include "config/config.h"

#include <algorithm>
#include <array>

namespace gh::config {
namespace {

// Direct Routing's SIP proxies, in the order Microsoft says to try them ("Plan Direct Routing",
// SIP signaling: FQDNs): one is enough, the others are the failover.
constexpr std::array<std::string_view, 3> kTeamsTargets = {
    "sip.pstnhub.microsoft.com", "sip2.pstnhub.microsoft.com", "sip3.pstnhub.microsoft.com"};
// The addresses those FQDNs resolve to, where Teams' requests come from.
constexpr std::array<std::string_view, 2> kTeamsSources = {"52.112.0.0/14", "52.122.0.0/15"};
// The suites Microsoft lists for Direct Routing; an SBC offering none of them fails the handshake.
constexpr std::string_view kTeamsCiphers =
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256";
constexpr std::string_view kTeamsCiphersuites = "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256";

constexpr std::array<ProfileDefaults, 4> kProfiles = {{
    {Profile::Generic, "generic", Transport::Udp, Identity::Address, std::chrono::seconds{0},
     MediaMode::Passthrough, IceMode::Remove, RtcpMuxMode::Keep, false},
    // The seed: Exchange Online UM answers 488 to rtcp-mux, ICE or plain RTP and 403 to a
    // certificate that does not name the SBC's FQDN, so Contact/Via carry the FQDN.
    {Profile::MicrosoftExchangeUm, "microsoft-exchange-um", Transport::Tls, Identity::Fqdn,
     std::chrono::seconds{0}, MediaMode::Srtp, IceMode::Remove, RtcpMuxMode::Strip, true},
    // Direct Routing pings each SIP proxy every 60 s and expects the FQDN in Contact, numbers in
    // E.164 and an X-MS-SBC header naming the SBC.
    {Profile::TeamsDirectRouting, "teams-direct-routing", Transport::Tls, Identity::Fqdn,
     std::chrono::seconds{60}, MediaMode::Srtp, IceMode::Remove, RtcpMuxMode::Keep, true, true,
     true, kTeamsTargets, kTeamsSources, kTeamsCiphers, kTeamsCiphersuites},
    // CUCM trunks speak plain RTP unless an SRTP-enabled security profile is set up.
    {Profile::CiscoCucm, "cisco-cucm", Transport::Tcp, Identity::Address, std::chrono::seconds{0},
     MediaMode::Rtp, IceMode::Remove, RtcpMuxMode::Keep, false},
}};

bool contains(const Cidr& cidr, const IpAddress& ip) {
  if (cidr.network.family != ip.family) {
    return false;
  }
  for (unsigned bit = 0; bit < cidr.prefix_length; ++bit) {
    const unsigned mask = 0x80U >> (bit % 8);
    if ((cidr.network.bytes[bit / 8] & mask) != (ip.bytes[bit / 8] & mask)) {
      return false;
    }
  }
  return true;
}

template <class T>
const T* findByName(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

} // namespace

const Interface* findInterface(const Config& config, std::string_view name) {
  return findByName(config.interfaces, name);
}

const Peer* findPeer(const Config& config, std::string_view name) {
  return findByName(config.peers, name);
}

const Route* findRoute(const Config& config, std::string_view name) {
  return findByName(config.routes, name);
}

const Peer* findPeerBySource(const Config& config, const IpAddress& source) {
  for (const Peer& peer : config.peers) {
    if (peer.address && peer.address->ip == source) {
      return &peer;
    }
    for (const PeerTarget& target : peer.targets) {
      if (target.address && target.address->ip == source) {
        return &peer;
      }
    }
    for (const Cidr& cidr : peer.sources) {
      if (contains(cidr, source)) {
        return &peer;
      }
    }
  }
  return nullptr;
}

const ProfileDefaults& profileDefaults(Profile profile) {
  for (const ProfileDefaults& p : kProfiles) {
    if (p.profile == profile) {
      return p;
    }
  }
  return kProfiles[0];
}

MediaPolicy profileMediaPolicy(Profile profile, const MediaSettings& media) {
  const ProfileDefaults& defaults = profileDefaults(profile);
  MediaPolicy policy;
  policy.mode = defaults.media_mode;
  policy.ice = defaults.ice;
  policy.rtcp_mux = defaults.rtcp_mux;
  policy.dtls = DtlsMode::Off;
  if (defaults.sha1_80_only) {
    policy.srtp_suites = {SrtpSuite::AesCm128HmacSha1_80};
  } else {
    policy.srtp_suites = media.srtp_suites;
  }
  return policy;
}

MediaPolicy applyMediaOverride(MediaPolicy base, const MediaOverride& overrides) {
  if (overrides.mode) {
    base.mode = *overrides.mode;
  }
  if (overrides.ice) {
    base.ice = *overrides.ice;
  }
  if (overrides.rtcp_mux) {
    base.rtcp_mux = *overrides.rtcp_mux;
  }
  if (overrides.dtls) {
    base.dtls = *overrides.dtls;
  }
  if (overrides.srtp_suites) {
    base.srtp_suites = *overrides.srtp_suites;
  }
  if (overrides.codecs) {
    base.codecs = *overrides.codecs;
  }
  if (!overrides.where.file.empty()) {
    base.where = overrides.where;
  }
  return base;
}

std::string_view productToken() {
  return "Gatehouse/" GH_CONFIG_VERSION;
}

std::string_view profileName(Profile profile) {
  return profileDefaults(profile).name;
}

std::string_view mediaModeName(MediaMode mode) {
  switch (mode) {
  case MediaMode::Passthrough: return "passthrough";
  case MediaMode::Rtp: return "rtp";
  case MediaMode::Srtp: return "srtp";
  }
  return "?";
}

std::string_view srtpSuiteName(SrtpSuite suite) {
  switch (suite) {
  case SrtpSuite::AesCm128HmacSha1_80: return "AES_CM_128_HMAC_SHA1_80";
  case SrtpSuite::AesCm128HmacSha1_32: return "AES_CM_128_HMAC_SHA1_32";
  case SrtpSuite::AeadAes128Gcm: return "AEAD_AES_128_GCM";
  case SrtpSuite::AeadAes256Gcm: return "AEAD_AES_256_GCM";
  }
  return "?";
}

std::string_view tlsVersionName(TlsVersion version) {
  return version == TlsVersion::Tls13 ? "1.3" : "1.2";
}

std::string_view identityName(Identity identity) {
  return identity == Identity::Fqdn ? "fqdn" : "address";
}

std::string_view rtcpMuxModeName(RtcpMuxMode mode) {
  switch (mode) {
  case RtcpMuxMode::Keep: return "keep";
  case RtcpMuxMode::Strip: return "strip";
  case RtcpMuxMode::Offer: return "offer";
  case RtcpMuxMode::Require: return "require";
  }
  return "keep";
}

} // namespace gh::config
