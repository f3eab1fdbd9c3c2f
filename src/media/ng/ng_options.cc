#include "media/ng/ng_options.h"

#include <algorithm>
#include <array>

namespace gh::media::ng {

namespace {

// The suites rtpengine offers by default, strongest-compatible first as our SRTP module orders
// them; "no-<suite>" removes from this list. (media/ng may not include media/srtp.)
constexpr std::array<std::string_view, 6> kDefaultSuites = {
    "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AES_256_CM_HMAC_SHA1_80",
    "AES_256_CM_HMAC_SHA1_32", "AEAD_AES_128_GCM",        "AEAD_AES_256_GCM"};

// Transport words combine like Kamailio's parse_flags: RTP/SRTP pick the S, AVP/AVPF the F.
constexpr unsigned kTransportSet = 0x100;
constexpr unsigned kTransportSecure = 0x001;
constexpr unsigned kTransportFeedback = 0x002;

// rtpengine accepts "transport protocol", "transport-protocol" and "transport_protocol" alike.
std::string normalizeKey(std::string_view key) {
  std::string k(key);
  std::replace(k.begin(), k.end(), ' ', '-');
  std::replace(k.begin(), k.end(), '_', '-');
  return k;
}

template <class Fn>
void forEachString(const BValue& v, Fn&& fn) {
  if (v.isString()) {
    fn(v.str());
    return;
  }
  if (v.isList()) {
    for (BValue item : v) {
      if (item.isString())
        fn(item.str());
    }
  }
}

std::optional<Protocol> protocolFromName(std::string_view name) {
  if (name == "RTP/AVP")
    return Protocol::RtpAvp;
  if (name == "RTP/SAVP")
    return Protocol::RtpSavp;
  if (name == "RTP/AVPF")
    return Protocol::RtpAvpf;
  if (name == "RTP/SAVPF")
    return Protocol::RtpSavpf;
  if (name == "accept")
    return Protocol::Keep;
  return std::nullopt; // UDP/TLS/RTP/SAVP(F) and others: DTLS-SRTP is not ours to speak
}

void applyIce(std::string_view value, NgOptions& out) {
  if (value == "remove")
    out.ice_remove = true;
  else if (value == "force" || value == "force-relay" || value == "default" || value == "optional")
    out.ice_remove = false; // the relay never adds candidates: these all pass ICE through
  else
    out.ignored.emplace_back(std::string("ICE=") + std::string(value));
}

void applyRtcpMux(std::string_view value, NgOptions& out) {
  if (value == "offer")
    out.rtcp_mux = RtcpMuxPolicy::Offer;
  else if (value == "require")
    out.rtcp_mux = RtcpMuxPolicy::Require;
  else if (value == "demux" || value == "reject")
    out.rtcp_mux = RtcpMuxPolicy::Strip; // the onward offer carries no a=rtcp-mux
  else if (value == "accept")
    out.rtcp_mux = out.rtcp_mux.value_or(RtcpMuxPolicy::Keep);
  else
    out.ignored.emplace_back(std::string("rtcp-mux-") + std::string(value));
}

void applySdes(std::string_view value, NgOptions& out) {
  if (value == "off" || value == "no" || value == "disable")
    out.sdes_off = true;
  else if (value.starts_with("only-"))
    out.sdes_only.emplace_back(value.substr(5));
  else if (value.starts_with("no-"))
    out.sdes_no.emplace_back(value.substr(3));
  else
    out.ignored.emplace_back(std::string("SDES-") + std::string(value)); // session params, pad...
}

void applyReplace(std::string_view value, NgOptions& out) {
  if (value == "origin" || value == "origin-full")
    out.replace_origin = true;
  else if (value != "session-connection") // legacy: c= is always rewritten
    out.ignored.emplace_back(std::string("replace-") + std::string(value));
}

void applyDtls(std::string_view value, NgOptions& out) {
  // "off"/"no"/"disable" is what gatehouse does anyway (SDES only); "passive"/"active" choose a
  // DTLS role we never take.
  if (value != "off" && value != "no" && value != "disable")
    out.ignored.emplace_back(std::string("DTLS=") + std::string(value));
}

void applyReceivedFrom(const BValue& v, NgOptions& out) {
  // ["IP4", "10.0.0.6"]; the family is implied by the address text.
  if (!v.isList() || v.size() != 2)
    return;
  auto it = v.begin();
  ++it;
  if ((*it).isString())
    out.received_from = net::Endpoint::fromIp((*it).str(), 0);
}

void applyCodec(const BValue& v, NgOptions& out) {
  v.forEachEntry([&](std::string_view op, BValue list) {
    if (op == "strip") {
      forEachString(list, [&](std::string_view c) {
        if (c == "all" || c == "full")
          out.codec_strip_all = true;
      });
    } else if (op == "offer" || op == "transcode" || op == "except") {
      forEachString(list, [&](std::string_view c) { out.codec_offer.emplace_back(c); });
    }
  });
}

// A "key=value" pair from a flag string or flags list item, or a string-valued dictionary key.
bool applyKeyValue(std::string_view key, std::string_view value, NgOptions& out) {
  const std::string k = normalizeKey(key);
  if (k == "ICE")
    applyIce(value, out);
  else if (k == "DTLS")
    applyDtls(value, out);
  else if (k == "SDES")
    applySdes(value, out);
  else if (k == "rtcp-mux")
    applyRtcpMux(value, out);
  else if (k == "replace")
    applyReplace(value, out);
  else if (k == "direction")
    out.flag_direction.emplace_back(value);
  else if (k == "in-iface" || k == "from-interface")
    out.from_interface = std::string(value);
  else if (k == "out-iface" || k == "to-interface")
    out.to_interface = std::string(value);
  else if (k == "transport-protocol") {
    if (auto p = protocolFromName(value))
      out.protocol = *p;
    else
      out.ignored.emplace_back(std::string("transport-protocol=") + std::string(value));
  } else if (k == "via-branch") {
    // Kamailio's "via-branch=1|2|auto" selects which Via to read, not a value; skip.
  } else if (k == "codec-strip") {
    if (value == "all" || value == "full")
      out.codec_strip_all = true;
  } else if (k == "codec-offer" || k == "codec-transcode" || k == "codec-except") {
    out.codec_offer.emplace_back(value);
  } else {
    return false;
  }
  return true;
}

} // namespace

void applyFlag(std::string_view item, NgOptions& out) {
  if (item.empty())
    return;
  if (auto eq = item.find('='); eq != std::string_view::npos) {
    if (!applyKeyValue(item.substr(0, eq), item.substr(eq + 1), out))
      out.ignored.emplace_back(item);
    return;
  }

  // Words with their own sub-list, as both Kamailio and rtpengine spell them.
  struct Prefix {
    std::string_view prefix;
    void (*apply)(std::string_view, NgOptions&);
  };

  static constexpr Prefix kPrefixes[] = {{"replace-", applyReplace},
                                         {"rtcp-mux-", applyRtcpMux},
                                         {"SDES-", applySdes},
                                         {"ICE-", applyIce},
                                         {"DTLS-", applyDtls}};
  for (const Prefix& p : kPrefixes) {
    if (item.starts_with(p.prefix)) {
      p.apply(item.substr(p.prefix.size()), out);
      return;
    }
  }
  if (item.starts_with("codec-strip-")) {
    applyKeyValue("codec-strip", item.substr(12), out);
    return;
  }
  if (item.starts_with("codec-except-")) {
    applyKeyValue("codec-except", item.substr(13), out);
    return;
  }
  if (item.starts_with("codec-offer-")) {
    applyKeyValue("codec-offer", item.substr(12), out);
    return;
  }
  if (item == "SRTP") {
    out.transport_bits |= kTransportSet | kTransportSecure;
  } else if (item == "RTP") {
    out.transport_bits = (out.transport_bits | kTransportSet) & ~kTransportSecure;
  } else if (item == "AVPF") {
    out.transport_bits |= kTransportSet | kTransportFeedback;
  } else if (item == "AVP") {
    out.transport_bits = (out.transport_bits | kTransportSet) & ~kTransportFeedback;
  } else if (auto p = protocolFromName(item); p && *p != Protocol::Keep) {
    out.protocol = *p;
  } else if (item == "internal" || item == "external") {
    out.flag_direction.emplace_back(item); // pre-"direction=" Kamailio syntax
  } else if (item == "fatal") {
    out.fatal = true;
  } else if (item == "fast") {
    out.fast = true;
  } else if (item == "reject-ICE" || item == "reject ICE") {
    out.ice_remove = true;
  } else {
    // trust-address, symmetric, asymmetric, strict-source, loop-protect, record-call,
    // no-rtcp-attribute, port-latching, ...: accepted; the relay's behaviour does not vary.
    out.ignored.emplace_back(item);
  }
}

void applyFlagString(std::string_view flags, NgOptions& out) {
  while (!flags.empty()) {
    const std::size_t start = flags.find_first_not_of(' ');
    if (start == std::string_view::npos)
      return;
    flags.remove_prefix(start);
    const std::size_t space = flags.find(' ');
    applyFlag(flags.substr(0, space), out);
    if (space == std::string_view::npos)
      return;
    flags.remove_prefix(space);
  }
}

void readOptions(const BValue& request, NgOptions& out) {
  request.forEachEntry([&](std::string_view raw_key, BValue v) {
    const std::string key = normalizeKey(raw_key);
    if (key == "call-id")
      out.call_id = std::string(v.str());
    else if (key == "from-tag")
      out.from_tag = std::string(v.str());
    else if (key == "to-tag")
      out.to_tag = std::string(v.str());
    else if (key == "via-branch")
      out.via_branch = std::string(v.str());
    else if (key == "sdp") {
      if (v.isString())
        out.sdp = std::string(v.str());
    } else if (key == "direction")
      forEachString(v, [&](std::string_view s) { out.direction.emplace_back(s); });
    else if (key == "flags")
      forEachString(v, [&](std::string_view s) { applyFlag(s, out); });
    else if (key == "rtpp-flags")
      applyFlagString(v.str(), out);
    else if (key == "ICE")
      forEachString(v, [&](std::string_view s) { applyIce(s, out); });
    else if (key == "SDES")
      forEachString(v, [&](std::string_view s) { applySdes(s, out); });
    else if (key == "rtcp-mux")
      forEachString(v, [&](std::string_view s) { applyRtcpMux(s, out); });
    else if (key == "replace")
      forEachString(v, [&](std::string_view s) { applyReplace(s, out); });
    else if (key == "received-from")
      applyReceivedFrom(v, out);
    else if (key == "codec")
      applyCodec(v, out);
    else if (key == "limit") {
      if (v.isInt())
        out.limit = v.integer();
    } else if (v.isString() && applyKeyValue(key, v.str(), out)) {
      // DTLS, transport-protocol, from-interface, to-interface
    } else {
      out.ignored.emplace_back(raw_key);
    }
  });
}

SdpPolicy toPolicy(const NgOptions& o) {
  SdpPolicy policy;
  if (o.protocol) {
    policy.protocol = *o.protocol;
  } else if (o.transport_bits & kTransportSet) {
    static constexpr Protocol kByBits[] = {Protocol::RtpAvp, Protocol::RtpSavp, Protocol::RtpAvpf,
                                           Protocol::RtpSavpf};
    policy.protocol = kByBits[o.transport_bits & (kTransportSecure | kTransportFeedback)];
  }
  policy.ice = o.ice_remove ? IcePolicy::Remove : IcePolicy::Keep;
  policy.rtcp_mux = o.rtcp_mux.value_or(RtcpMuxPolicy::Keep);
  policy.dtls_off = true;
  if (!o.sdes_only.empty()) {
    policy.srtp_suites = o.sdes_only;
  } else if (!o.sdes_no.empty()) {
    for (std::string_view s : kDefaultSuites) {
      if (std::find(o.sdes_no.begin(), o.sdes_no.end(), s) == o.sdes_no.end())
        policy.srtp_suites.emplace_back(s);
    }
  }
  if (o.codec_strip_all && !o.codec_offer.empty())
    policy.codecs_keep = o.codec_offer;
  policy.replace_origin = o.replace_origin;
  policy.replace_session_connection = true; // rtpengine always rewrites c=
  return policy;
}

std::pair<std::string, std::string> interfaces(const NgOptions& o) {
  const std::vector<std::string>& d = !o.direction.empty() ? o.direction : o.flag_direction;
  std::pair<std::string, std::string> result{o.from_interface, o.to_interface};
  if (d.size() >= 1)
    result.first = d[0];
  if (d.size() >= 2)
    result.second = d[1];
  return result;
}

} // namespace gh::media::ng
