// The only file that sees toml++: it turns the TOML tree into Config structs and reports every
// problem with the position toml++ recorded. toml++'s exceptions are caught here and go no
// further; cross-object checks live in validate.cc, which works on the structs alone.

#include "config/loader.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <span>
#include <tuple>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#include <toml++/toml.h>
#pragma GCC diagnostic pop

#include "common/charset.h"
#include "common/text.h"
#include "config/media_engine.h"
#include "config/suggest.h"
#include "config/validate.h"

namespace gh::config {
namespace {

namespace fs = std::filesystem;
using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 9> kRootKeys = {
    "sbc", "log", "tls", "timers", "protection", "media", "interface", "peer", "route"};
constexpr std::array<std::string_view, 5> kSbcKeys = {"fqdn", "user_agent", "topology_hiding",
                                                      "control_socket", "dns_servers"};
constexpr std::array<std::string_view, 3> kLogKeys = {"level", "file", "modules"};
constexpr std::array<std::string_view, 6> kTlsKeys = {"certificate", "private_key", "ca_bundle",
                                                      "min_version", "ciphers",     "ciphersuites"};
constexpr std::array<std::string_view, 6> kTimersKeys = {
    "t1_ms", "t2_ms", "t4_ms", "idle_connection_timeout_s", "no_answer_s", "timer_d_ms"};
constexpr std::array<std::string_view, 9> kProtectionKeys = {"requests_per_second",
                                                             "burst",
                                                             "retry_after_s",
                                                             "max_calls",
                                                             "max_calls_per_source",
                                                             "max_transactions",
                                                             "max_transactions_per_source",
                                                             "max_connections",
                                                             "max_connections_per_source"};
constexpr std::array<std::string_view, 8> kMediaKeys = {
    "ng_listen",   "workers", "timeout_s",         "silent_timeout_s",
    "srtp_suites", "engine",  "engine_interfaces", "engine_timeout_ms"};
constexpr std::array<std::string_view, 8> kInterfaceKeys = {
    "name", "address", "advertise", "sip", "media_ports", "allow", "require_client_certificate",
    "tls"};
constexpr std::array<std::string_view, 15> kPeerKeys = {
    "name",    "profile",  "interface", "transport",          "fqdn",
    "address", "port",     "targets",   "options_interval_s", "identity",
    "sources", "x_ms_sbc", "e164",      "header_policy",      "media"};
constexpr std::array<std::string_view, 3> kTargetKeys = {"fqdn", "address", "port"};
constexpr std::array<std::string_view, 3> kHeaderPolicyKeys = {"pass", "allow", "strip"};
constexpr std::array<std::string_view, 6> kMediaPolicyKeys = {"mode", "ice",         "rtcp_mux",
                                                              "dtls", "srtp_suites", "codecs"};
constexpr std::array<std::string_view, 9> kRouteKeys = {
    "name",    "match", "to_peer", "reject", "reject_reason", "rewrite_request_uri",
    "headers", "media", "reply"};
constexpr std::array<std::string_view, 6> kMatchKeys = {"request_uri", "from",           "to",
                                                        "from_peer",   "from_interface", "method"};
constexpr std::array<std::string_view, 4> kHeaderActionKeys = {"remove", "replace", "set", "add"};
constexpr std::array<std::string_view, 3> kReplaceKeys = {"header", "pattern", "with"};
constexpr std::array<std::string_view, 3> kRouteMediaKeys = {"anchor", "inbound", "outbound"};
constexpr std::array<std::string_view, 2> kReplyKeys = {"remove_sdp_lines", "headers"};

template <class E>
struct Choice {
  std::string_view name;
  E value;
};

constexpr std::array<Choice<Profile>, 4> kProfileChoices = {{
    {"generic", Profile::Generic},
    {"microsoft-exchange-um", Profile::MicrosoftExchangeUm},
    {"teams-direct-routing", Profile::TeamsDirectRouting},
    {"cisco-cucm", Profile::CiscoCucm},
}};
constexpr std::array<Choice<Transport>, 3> kTransportChoices = {
    {{"udp", Transport::Udp}, {"tcp", Transport::Tcp}, {"tls", Transport::Tls}}};
constexpr std::array<Choice<Identity>, 2> kIdentityChoices = {
    {{"address", Identity::Address}, {"fqdn", Identity::Fqdn}}};
constexpr std::array<Choice<HeaderPass>, 2> kHeaderPassChoices = {
    {{"all", HeaderPass::All}, {"none", HeaderPass::None}}};
constexpr std::array<Choice<MediaMode>, 3> kMediaModeChoices = {
    {{"passthrough", MediaMode::Passthrough}, {"rtp", MediaMode::Rtp}, {"srtp", MediaMode::Srtp}}};
constexpr std::array<Choice<IceMode>, 2> kIceChoices = {
    {{"remove", IceMode::Remove}, {"keep", IceMode::Keep}}};
constexpr std::array<Choice<RtcpMuxMode>, 4> kRtcpMuxChoices = {
    {{"keep", RtcpMuxMode::Keep},
     {"strip", RtcpMuxMode::Strip},
     {"offer", RtcpMuxMode::Offer},
     {"require", RtcpMuxMode::Require}}};
constexpr std::array<Choice<DtlsMode>, 1> kDtlsChoices = {{{"off", DtlsMode::Off}}};
constexpr std::array<Choice<TlsVersion>, 2> kTlsVersionChoices = {
    {{"1.2", TlsVersion::Tls12}, {"1.3", TlsVersion::Tls13}}};
constexpr std::array<Choice<SrtpSuite>, 4> kSrtpSuiteChoices = {{
    {"AES_CM_128_HMAC_SHA1_80", SrtpSuite::AesCm128HmacSha1_80},
    {"AES_CM_128_HMAC_SHA1_32", SrtpSuite::AesCm128HmacSha1_32},
    {"AEAD_AES_128_GCM", SrtpSuite::AeadAes128Gcm},
    {"AEAD_AES_256_GCM", SrtpSuite::AeadAes256Gcm},
}};

constexpr std::array<std::string_view, 14> kMethods = {
    "INVITE", "ACK",  "BYE",   "CANCEL",  "OPTIONS",   "REGISTER", "PRACK",
    "UPDATE", "INFO", "REFER", "MESSAGE", "SUBSCRIBE", "NOTIFY",   "PUBLISH"};

// RFC 3261 §7.3.3 compact forms, so that `set = { t = ... }` acts on To.
constexpr std::array<std::pair<char, std::string_view>, 16> kCompactHeaders = {{
    {'a', "Accept-Contact"},
    {'b', "Referred-By"},
    {'c', "Content-Type"},
    {'e', "Content-Encoding"},
    {'f', "From"},
    {'i', "Call-ID"},
    {'k', "Supported"},
    {'l', "Content-Length"},
    {'m', "Contact"},
    {'o', "Event"},
    {'r', "Refer-To"},
    {'s', "Subject"},
    {'t', "To"},
    {'u', "Allow-Events"},
    {'v', "Via"},
    {'x', "Session-Expires"},
}};

// Headers the B2BUA writes itself on each leg; rules that edit them would break transactions,
// dialogs or framing.
constexpr std::array<std::string_view, 8> kManagedHeaders = {
    "Via", "Call-ID", "CSeq", "Content-Length", "Max-Forwards", "Route", "Record-Route", "Contact"};

// RFC 3261 token characters: what a header name may contain.
constexpr CharSet kToken = chars::kAlnum | CharSet("-.!%*_+`'~");
// Names of interfaces, peers and routes: also used in logs and metrics labels.
constexpr CharSet kNameChars = chars::kAlnum | CharSet("-_.");
constexpr CharSet kCipherChars = chars::kAlnum | CharSet("-_:+!@=.,");

std::string_view typeName(toml::node_type type) {
  switch (type) {
  case toml::node_type::none: return "nothing";
  case toml::node_type::table: return "a table";
  case toml::node_type::array: return "an array";
  case toml::node_type::string: return "a string";
  case toml::node_type::integer: return "an integer";
  case toml::node_type::floating_point: return "a float";
  case toml::node_type::boolean: return "a boolean";
  case toml::node_type::date: return "a date";
  case toml::node_type::time: return "a time";
  case toml::node_type::date_time: return "a date-time";
  }
  return "a value";
}

template <class E, std::size_t N>
std::vector<std::string_view> choiceNames(const std::array<Choice<E>, N>& choices) {
  std::vector<std::string_view> names;
  for (const auto& c : choices) {
    names.push_back(c.name);
  }
  return names;
}

std::string quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

bool isName(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return kNameChars.contains(c); });
}

class Reader {
public:
  Reader(std::string file, fs::path base_dir)
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  Diagnostics& diagnostics() { return diagnostics_; }

  Config read(const toml::table& root) {
    Config config;
    config.source = file_;
    config.base_dir = base_dir_;
    checkKeys(root, kRootKeys, "the top level");
    if (const toml::table* t = table(root, "sbc")) {
      readSbc(*t, config.sbc);
    }
    if (const toml::table* t = table(root, "log")) {
      readLog(*t, config.log);
    }
    if (const toml::table* t = table(root, "tls")) {
      config.tls.where = at(t->source());
      readTls(*t, "[tls]", config.tls);
    }
    if (const toml::table* t = table(root, "timers")) {
      readTimers(*t, config.timers);
    }
    if (const toml::table* t = table(root, "protection")) {
      readProtection(*t, config.protection);
    }
    if (const toml::table* t = table(root, "media")) {
      readMedia(*t, config.media);
    }
    for (const toml::table* t : tableArray(root, "interface")) {
      config.interfaces.push_back(readInterface(*t, config.tls));
    }
    for (const toml::table* t : tableArray(root, "peer")) {
      config.peers.push_back(readPeer(*t, config));
    }
    applyProfileTls(config);
    for (const toml::table* t : tableArray(root, "route")) {
      config.routes.push_back(readRoute(*t));
    }
    return config;
  }

private:
  // ---- positions and reports ---------------------------------------------------------------

  SourceLocation at(const toml::source_region& region) const {
    return SourceLocation{file_, region.begin.line, region.begin.column};
  }

  SourceLocation at(const toml::node& node) const { return at(node.source()); }

  SourceLocation keyAt(const toml::table& t, std::string_view key) const {
    auto it = t.find(key);
    return it == t.end() ? at(t) : at(it->first.source());
  }

  void error(SourceLocation where, std::string message, std::string hint = {}) {
    diagnostics_.push_back(
        Diagnostic{Severity::Error, std::move(where), std::move(message), std::move(hint)});
  }

  void warning(SourceLocation where, std::string message, std::string hint = {}) {
    diagnostics_.push_back(
        Diagnostic{Severity::Warning, std::move(where), std::move(message), std::move(hint)});
  }

  // ---- generic typed access ------------------------------------------------------------------

  void checkKeys(const toml::table& t, Keys known, std::string_view section) {
    for (auto&& [key, value] : t) {
      (void)value;
      const std::string_view name = key.str();
      if (std::find(known.begin(), known.end(), name) != known.end()) {
        continue;
      }
      std::string hint;
      if (auto close = closestMatch(name, known)) {
        hint = "did you mean '" + std::string(*close) + "'?";
      } else {
        hint = "known keys: " + joinNames(known);
      }
      error(at(key.source()), "unknown key " + quote(name) + " in " + std::string(section),
            std::move(hint));
    }
  }

  void typeError(const toml::node& node, std::string_view key, std::string_view expected) {
    std::string hint;
    if (node.is_string() && expected == "an integer") {
      hint = "write the number without quotes";
    } else if (node.is_string() && expected == "a boolean") {
      hint = "write true or false without quotes";
    } else if ((node.is_integer() || node.is_floating_point()) && expected == "a string") {
      hint = "put the value in quotes";
    } else if (node.is_table() && expected == "an array of tables") {
      hint = "write [[" + std::string(key) + "]] (two brackets) for each entry";
    }
    error(at(node),
          quote(key) + " must be " + std::string(expected) + ", not " +
              std::string(typeName(node.type())),
          std::move(hint));
  }

  void missing(const toml::table& t, std::string_view key, std::string_view section,
               std::string hint) {
    error(at(t), "missing required key " + quote(key) + " in " + std::string(section),
          std::move(hint));
  }

  const toml::table* table(const toml::table& t, std::string_view key) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return nullptr;
    }
    if (!node->is_table()) {
      typeError(*node, key, "a table");
      return nullptr;
    }
    return node->as_table();
  }

  std::vector<const toml::table*> tableArray(const toml::table& t, std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      typeError(*node, key, "an array of tables");
      return out;
    }
    for (const toml::node& element : *array) {
      if (const toml::table* element_table = element.as_table()) {
        out.push_back(element_table);
      } else {
        typeError(element, key, "a table");
      }
    }
    return out;
  }

  std::optional<std::string> string(const toml::table& t, std::string_view key,
                                    SourceLocation* where = nullptr) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_string()) {
      typeError(*node, key, "a string");
      return std::nullopt;
    }
    if (where != nullptr) {
      *where = at(*node);
    }
    return node->as_string()->get();
  }

  std::optional<int64_t> integer(const toml::table& t, std::string_view key, int64_t lo, int64_t hi,
                                 std::string_view range_hint = {}) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_integer()) {
      typeError(*node, key, "an integer");
      return std::nullopt;
    }
    const int64_t value = node->as_integer()->get();
    if (value < lo || value > hi) {
      error(at(*node),
            quote(key) + " = " + std::to_string(value) + " is out of range " + std::to_string(lo) +
                "-" + std::to_string(hi),
            std::string(range_hint));
      return std::nullopt;
    }
    return value;
  }

  template <class T>
  void readUnsigned(const toml::table& t, std::string_view key, int64_t lo, int64_t hi, T& out) {
    if (auto v = integer(t, key, lo, hi)) {
      out = static_cast<T>(*v);
    }
  }

  template <class Duration>
  void readDuration(const toml::table& t, std::string_view key, int64_t lo, int64_t hi,
                    Duration& out) {
    if (auto v = integer(t, key, lo, hi)) {
      out = Duration{static_cast<typename Duration::rep>(*v)};
    }
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view key) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (!node->is_boolean()) {
      typeError(*node, key, "a boolean");
      return std::nullopt;
    }
    return node->as_boolean()->get();
  }

  // A string, or (when `allow_single`) an array of strings; each with its position.
  std::optional<std::vector<NameRef>> strings(const toml::table& t, std::string_view key,
                                              bool allow_single) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    std::vector<NameRef> out;
    if (allow_single && node->is_string()) {
      out.push_back(NameRef{node->as_string()->get(), at(*node)});
      return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      typeError(*node, key,
                allow_single ? "a string or an array of strings" : "an array of strings");
      return std::nullopt;
    }
    for (const toml::node& element : *array) {
      if (!element.is_string()) {
        typeError(element, key, "an array of strings");
        continue;
      }
      out.push_back(NameRef{element.as_string()->get(), at(element)});
    }
    return out;
  }

  template <class E, std::size_t N>
  std::optional<E> parseChoice(const NameRef& value, std::string_view key,
                               const std::array<Choice<E>, N>& choices) {
    for (const auto& c : choices) {
      if (c.name == value.name) {
        return c.value;
      }
    }
    const auto names = choiceNames(choices);
    error(value.where, quote(value.name) + " is not a valid " + std::string(key),
          suggestionHint(value.name, names, "one of"));
    return std::nullopt;
  }

  template <class E, std::size_t N>
  std::optional<E> choice(const toml::table& t, std::string_view key,
                          const std::array<Choice<E>, N>& choices) {
    SourceLocation where;
    auto text = string(t, key, &where);
    if (!text) {
      return std::nullopt;
    }
    return parseChoice(NameRef{*text, where}, key, choices);
  }

  FileRef file(const toml::table& t, std::string_view key) {
    FileRef ref;
    if (auto text = string(t, key, &ref.where)) {
      ref.text = *text;
      if (!ref.text.empty()) {
        fs::path p(ref.text);
        ref.path = p.is_absolute() ? p : (base_dir_ / p).lexically_normal();
      }
    }
    return ref;
  }

  std::string name(const toml::table& t, std::string_view section, std::string_view example) {
    SourceLocation where;
    auto text = string(t, "name", &where);
    if (!t.contains("name")) {
      missing(t, "name", section, "add name = \"" + std::string(example) + "\"");
      return {};
    }
    if (text && !isName(*text)) {
      error(where, "name " + quote(*text) + " may only contain letters, digits, '-', '_' and '.'",
            "names appear in logs and metrics; e.g. \"" + std::string(example) + "\"");
    }
    return text.value_or("");
  }

  // ---- sections ------------------------------------------------------------------------------

  void readSbc(const toml::table& t, SbcSettings& sbc) {
    checkKeys(t, kSbcKeys, "[sbc]");
    sbc.where = at(t);
    if (auto fqdn = string(t, "fqdn", &sbc.fqdn_where)) {
      auto parsed = parseHostName(*fqdn);
      if (!parsed) {
        error(sbc.fqdn_where, "fqdn: " + parsed.error().message, parsed.error().hint);
      } else {
        sbc.fqdn = *parsed;
        if (sbc.fqdn.find('.') == std::string::npos) {
          warning(sbc.fqdn_where, "fqdn " + quote(sbc.fqdn) + " has a single label",
                  "peers and certificates expect a fully qualified name like sbc.example.com");
        }
      }
    }
    SourceLocation ua_where;
    if (auto ua = string(t, "user_agent", &ua_where)) {
      if (std::any_of(ua->begin(), ua->end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        error(ua_where, "user_agent contains control characters",
              "it becomes a header value: printable text only");
      } else {
        sbc.user_agent = *ua;
      }
    }
    if (auto hiding = boolean(t, "topology_hiding")) {
      sbc.topology_hiding = *hiding;
    }
    if (auto servers = strings(t, "dns_servers", true)) {
      for (const NameRef& server : *servers) {
        auto parsed = parseSocketAddress(server.name, false, 53);
        if (!parsed) {
          error(server.where, "dns_servers: " + parsed.error().message, parsed.error().hint);
        } else {
          sbc.dns_servers.push_back(server.name);
        }
      }
    }
    SourceLocation control_where;
    if (auto control = string(t, "control_socket", &control_where)) {
      if (control->size() >= 108) { // sockaddr_un::sun_path
        error(
            control_where, "control_socket path is longer than 107 bytes",
            "a Unix socket path must fit sockaddr_un; use a shorter folder such as /run/gatehouse");
      } else {
        sbc.control_socket = *control;
      }
    }
  }

  void readLog(const toml::table& t, LogSettings& settings) {
    checkKeys(t, kLogKeys, "[log]");
    settings.where = at(t);
    SourceLocation where;
    if (auto level = string(t, "level", &where)) {
      settings.level = parseLevel(*level, where).value_or(settings.level);
    }
    settings.file = file(t, "file");
    const toml::table* modules = table(t, "modules");
    if (modules == nullptr) {
      return;
    }
    std::vector<std::string_view> module_names;
    for (std::size_t i = 0; i < log::kModuleCount; ++i) {
      module_names.push_back(log::moduleName(static_cast<log::Module>(i)));
    }
    for (auto&& [key, value] : *modules) {
      auto module = log::moduleFromName(key.str());
      if (!module) {
        error(at(key.source()), "unknown log module " + quote(key.str()),
              suggestionHint(key.str(), module_names, "modules"));
        continue;
      }
      if (!value.is_string()) {
        typeError(value, key.str(), "a string");
        continue;
      }
      if (auto level = parseLevel(value.as_string()->get(), at(value))) {
        settings.modules.push_back(ModuleLevel{*module, *level, at(key.source())});
      }
    }
    sortByPosition(settings.modules);
  }

  std::optional<log::Level> parseLevel(const std::string& text, const SourceLocation& where) {
    if (auto level = log::levelFromName(text)) {
      return level;
    }
    constexpr std::array<std::string_view, 6> kLevels = {"trace", "debug", "info",
                                                         "warn",  "error", "off"};
    error(where, quote(text) + " is not a log level", suggestionHint(text, kLevels, "one of"));
    return std::nullopt;
  }

  // Reads the keys present in `t` over `tls` (which holds the defaults or the global settings).
  void readTls(const toml::table& t, std::string_view section, TlsSettings& tls) {
    checkKeys(t, kTlsKeys, section);
    if (t.contains("certificate")) {
      tls.certificate = file(t, "certificate");
    }
    if (t.contains("private_key")) {
      tls.private_key = file(t, "private_key");
    }
    if (t.contains("ca_bundle")) {
      tls.ca_bundle = file(t, "ca_bundle");
    }
    SourceLocation where;
    if (auto version = string(t, "min_version", &where)) {
      if (auto v = parseChoice(NameRef{*version, where}, "min_version", kTlsVersionChoices)) {
        tls.min_version = *v;
      }
    }
    for (std::string_view key : {std::string_view("ciphers"), std::string_view("ciphersuites")}) {
      if (auto list = string(t, key, &where)) {
        if (!std::all_of(list->begin(), list->end(),
                         [](char c) { return kCipherChars.contains(c); })) {
          error(where, quote(key) + " is not an OpenSSL cipher list",
                "e.g. \"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256\"");
        } else if (key == "ciphers") {
          tls.ciphers = *list;
          tls.ciphers_written = true;
        } else {
          tls.ciphersuites = *list;
          tls.ciphersuites_written = true;
        }
      }
    }
  }

  void readTimers(const toml::table& t, Timers& timers) {
    checkKeys(t, kTimersKeys, "[timers]");
    timers.where = at(t);
    readDuration(t, "t1_ms", 1, 60000, timers.t1);
    readDuration(t, "t2_ms", 1, 600000, timers.t2);
    readDuration(t, "t4_ms", 1, 600000, timers.t4);
    readDuration(t, "idle_connection_timeout_s", 0, 86400, timers.idle_connection_timeout);
    readDuration(t, "no_answer_s", 1, 3600, timers.no_answer);
    readDuration(t, "timer_d_ms", 0, 600000, timers.timer_d);
    if (timers.t2 < timers.t1) {
      error(t.contains("t2_ms") ? at(*t.get("t2_ms")) : at(*t.get("t1_ms")),
            "t2_ms (" + std::to_string(timers.t2.count()) + ") is below t1_ms (" +
                std::to_string(timers.t1.count()) + ")",
            "RFC 3261 caps retransmissions at T2, so T2 must be at least T1");
    }
  }

  void readProtection(const toml::table& t, Protection& p) {
    checkKeys(t, kProtectionKeys, "[protection]");
    p.where = at(t);
    constexpr int64_t kMax = 100000000;
    readUnsigned(t, "requests_per_second", 0, kMax, p.requests_per_second);
    readUnsigned(t, "burst", 0, kMax, p.burst);
    readDuration(t, "retry_after_s", 0, 86400, p.retry_after);
    readUnsigned(t, "max_calls", 0, kMax, p.max_calls);
    readUnsigned(t, "max_calls_per_source", 0, kMax, p.max_calls_per_source);
    readUnsigned(t, "max_transactions", 0, kMax, p.max_transactions);
    readUnsigned(t, "max_transactions_per_source", 0, kMax, p.max_transactions_per_source);
    readUnsigned(t, "max_connections", 0, kMax, p.max_connections);
    readUnsigned(t, "max_connections_per_source", 0, kMax, p.max_connections_per_source);
    if (p.requests_per_second > 0 && p.burst == 0) {
      error(keyAt(t, "burst"), "burst = 0 lets no request through",
            "set burst to at least 1, or requests_per_second = 0 to turn the rate limit off");
    }
    const std::array<std::tuple<std::string_view, uint32_t, uint32_t>, 3> pairs = {{
        {"max_calls_per_source", p.max_calls_per_source, p.max_calls},
        {"max_transactions_per_source", p.max_transactions_per_source, p.max_transactions},
        {"max_connections_per_source", p.max_connections_per_source, p.max_connections},
    }};
    for (const auto& [key, per_source, total] : pairs) {
      if (total != 0 && per_source > total && t.contains(key)) {
        warning(keyAt(t, key),
                std::string(key) + " (" + std::to_string(per_source) + ") is above the total (" +
                    std::to_string(total) + ")",
                "the total applies first");
      }
    }
  }

  std::optional<std::vector<SrtpSuite>> srtpSuites(const toml::table& t) {
    auto list = strings(t, "srtp_suites", false);
    if (!list) {
      return std::nullopt;
    }
    if (list->empty()) {
      error(keyAt(t, "srtp_suites"), "srtp_suites is empty",
            "list at least one suite, e.g. [\"AES_CM_128_HMAC_SHA1_80\"]");
      return std::nullopt;
    }
    std::vector<SrtpSuite> suites;
    for (const NameRef& entry : *list) {
      auto suite = parseChoice(entry, "SRTP suite", kSrtpSuiteChoices);
      if (!suite) {
        return std::nullopt;
      }
      if (std::find(suites.begin(), suites.end(), *suite) != suites.end()) {
        warning(entry.where, "SRTP suite " + quote(entry.name) + " is listed twice");
        continue;
      }
      suites.push_back(*suite);
    }
    return suites;
  }

  void readMedia(const toml::table& t, MediaSettings& media) {
    checkKeys(t, kMediaKeys, "[media]");
    media.where = at(t);
    if (auto ng = string(t, "ng_listen", &media.ng_listen_where)) {
      auto address = parseSocketAddress(*ng, true, 22222);
      if (!address) {
        error(media.ng_listen_where, "ng_listen: " + address.error().message, address.error().hint);
      } else {
        media.ng_listen = *address;
      }
    }
    readUnsigned(t, "workers", 0, 1024, media.workers);
    readDuration(t, "timeout_s", 1, 86400, media.timeout);
    readDuration(t, "silent_timeout_s", 1, 7 * 86400, media.silent_timeout);
    if (auto suites = srtpSuites(t)) {
      media.srtp_suites = std::move(*suites);
    }
    readMediaEngine(t, media);
  }

  void readMediaEngine(const toml::table& t, MediaSettings& media) {
    if (auto engine = string(t, "engine", &media.engine_where)) {
      auto address = parseMediaEngine(*engine);
      if (!address) {
        error(media.engine_where, address.error().message, address.error().hint);
      } else {
        media.engine = *address;
      }
    }
    readDuration(t, "engine_timeout_ms", 200, 30000, media.engine_timeout);
    if (const toml::table* names = table(t, "engine_interfaces")) {
      for (auto&& [key, value] : *names) {
        if (!value.is_string() || value.as_string()->get().empty()) {
          error(at(value),
                "engine_interfaces." + std::string(key.str()) +
                    " must be the engine's interface name (a non-empty string)",
                "e.g. engine_interfaces = { internal = \"priv\", external = \"pub\" }");
          continue;
        }
        media.engine_interfaces.emplace_back(std::string(key.str()), value.as_string()->get());
        media.engine_interfaces_where.push_back(at(key.source()));
      }
    }
  }

  std::vector<Cidr> cidrList(const toml::table& t, std::string_view key) {
    std::vector<Cidr> out;
    for (const NameRef& entry : strings(t, key, false).value_or(std::vector<NameRef>{})) {
      auto cidr = parseCidr(entry.name);
      if (!cidr) {
        error(entry.where, cidr.error().message, cidr.error().hint);
        continue;
      }
      cidr->where = entry.where;
      out.push_back(*cidr);
    }
    return out;
  }

  Interface readInterface(const toml::table& t, const TlsSettings& global_tls) {
    constexpr std::string_view kSection = "[[interface]]";
    checkKeys(t, kInterfaceKeys, kSection);
    Interface iface;
    iface.where = at(t);
    iface.name = name(t, kSection, "internal");
    SourceLocation where;
    if (auto address = string(t, "address", &iface.address_where)) {
      if (auto ip = parseIpAddress(*address)) {
        iface.address = *ip;
      } else {
        error(iface.address_where, ip.error().message, ip.error().hint);
        iface.address_where = {}; // tells validate.cc not to check a made-up address
      }
    } else if (!t.contains("address")) {
      missing(t, "address", kSection, "add the address to bind, e.g. address = \"10.0.0.5\"");
    }
    if (auto advertise = string(t, "advertise", &where)) {
      if (auto ip = parseIpAddress(*advertise)) {
        if (ip->family != iface.address.family) {
          error(where,
                "advertise " + quote(*advertise) + " is not of the same IP family as address",
                "NAT maps IPv4 to IPv4 and IPv6 to IPv6");
        }
        iface.advertise = *ip;
      } else {
        error(where, ip.error().message, ip.error().hint);
      }
    }
    for (const NameRef& entry : strings(t, "sip", false).value_or(std::vector<NameRef>{})) {
      auto listener = parseSipListener(entry.name);
      if (!listener) {
        error(entry.where, listener.error().message, listener.error().hint);
        continue;
      }
      listener->where = entry.where;
      iface.sip.push_back(*listener);
    }
    if (auto ports = string(t, "media_ports", &where)) {
      auto range = parsePortRange(*ports);
      if (!range) {
        error(where, range.error().message, range.error().hint);
        iface.media_ports = PortRange{0, 0, where}; // reported: present, but not checked again
      } else {
        range->where = where;
        iface.media_ports = *range;
      }
    }
    iface.allow = cidrList(t, "allow");
    if (auto require = boolean(t, "require_client_certificate")) {
      iface.require_client_certificate = *require;
    }
    iface.tls = global_tls;
    if (const toml::table* tls = table(t, "tls")) {
      iface.tls_overridden = true;
      iface.tls.where = at(*tls);
      readTls(*tls, "[interface.tls]", iface.tls);
    }
    return iface;
  }

  MediaOverride readMediaOverride(const toml::table& t, std::string_view section) {
    checkKeys(t, kMediaPolicyKeys, section);
    MediaOverride m;
    m.where = at(t);
    m.mode = choice(t, "mode", kMediaModeChoices);
    m.ice = choice(t, "ice", kIceChoices);
    m.rtcp_mux = choice(t, "rtcp_mux", kRtcpMuxChoices);
    m.dtls = choice(t, "dtls", kDtlsChoices);
    m.srtp_suites = srtpSuites(t);
    if (auto codecs = strings(t, "codecs", false)) {
      std::vector<std::string> names;
      for (const NameRef& codec : *codecs) {
        if (codec.name.empty() || !std::all_of(codec.name.begin(), codec.name.end(), [](char c) {
              return kToken.contains(c) || c == '/';
            })) {
          error(codec.where, quote(codec.name) + " is not a codec name",
                "use the rtpmap encoding name, e.g. \"PCMU\", \"opus\" or \"telephone-event\"");
          continue;
        }
        names.push_back(codec.name);
      }
      m.codecs = std::move(names);
    }
    return m;
  }

  // TLS is per interface: the interface a Teams peer is reached through offers Microsoft's
  // suites unless [tls] or [interface.tls] lists its own.
  static void applyProfileTls(Config& config) {
    for (const Peer& peer : config.peers) {
      const ProfileDefaults& defaults = profileDefaults(peer.profile);
      if (peer.transport != Transport::Tls) {
        continue;
      }
      for (Interface& iface : config.interfaces) {
        if (iface.name != peer.interface.name) {
          continue;
        }
        if (!iface.tls.ciphers_written && !defaults.ciphers.empty()) {
          iface.tls.ciphers = std::string(defaults.ciphers);
        }
        if (!iface.tls.ciphersuites_written && !defaults.ciphersuites.empty()) {
          iface.tls.ciphersuites = std::string(defaults.ciphersuites);
        }
      }
    }
  }

  // targets = ["sip.pstnhub.microsoft.com", { fqdn = "sip2...", address = "10.1.1.1:5061" }]:
  // each a string (an FQDN) or a table; in order, no duplicates.
  std::vector<PeerTarget> readTargets(const toml::table& t, uint16_t peer_port) {
    std::vector<PeerTarget> out;
    const toml::node* node = t.get("targets");
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      typeError(*node, "targets", "an array of FQDNs or of { fqdn, address, port } tables");
      return out;
    }
    if (array->empty()) {
      error(at(*node), "targets is an empty list",
            "name at least one FQDN, e.g. targets = [\"sip.pstnhub.microsoft.com\"]");
      return out;
    }
    for (const toml::node& element : *array) {
      PeerTarget target;
      target.where = at(element);
      target.port = peer_port;
      SourceLocation fqdn_where = target.where;
      std::optional<std::string> fqdn;
      if (element.is_string()) {
        fqdn = element.as_string()->get();
      } else if (const toml::table* entry = element.as_table()) {
        checkKeys(*entry, kTargetKeys, "a targets entry");
        fqdn = string(*entry, "fqdn", &fqdn_where);
        if (!entry->contains("fqdn")) {
          missing(*entry, "fqdn", "a targets entry",
                  "write { fqdn = \"sip.pstnhub.microsoft.com\", address = \"IP[:port]\" }");
        }
        SourceLocation address_where;
        if (auto address = string(*entry, "address", &address_where)) {
          if (auto parsed = parseSocketAddress(*address, false)) {
            target.address = *parsed;
          } else {
            error(address_where, parsed.error().message, parsed.error().hint);
          }
        }
        auto port = integer(*entry, "port", 1, 65535);
        if (port && target.address && target.address->port != 0) {
          error(keyAt(*entry, "port"), "the port is given twice: in 'address' and in 'port'",
                "keep one of them");
        }
        if (target.address && target.address->port != 0) {
          target.port = target.address->port;
        } else if (port) {
          target.port = static_cast<uint16_t>(*port);
        }
      } else {
        typeError(element, "targets", "an FQDN string or a { fqdn, address, port } table");
        continue;
      }
      if (!fqdn) {
        continue;
      }
      auto host = parseHostName(*fqdn);
      if (!host) {
        error(fqdn_where, "target: " + host.error().message, host.error().hint);
        continue;
      }
      target.fqdn = *host;
      const bool duplicate = std::any_of(out.begin(), out.end(), [&](const PeerTarget& other) {
        return iequals(other.fqdn, target.fqdn) && other.port == target.port;
      });
      if (duplicate) {
        error(target.where, "target " + quote(target.fqdn) + " is listed twice",
              "each target is tried once per call; remove the repetition");
        continue;
      }
      out.push_back(std::move(target));
    }
    return out;
  }

  Peer readPeer(const toml::table& t, const Config& config) {
    constexpr std::string_view kSection = "[[peer]]";
    checkKeys(t, kPeerKeys, kSection);
    Peer peer;
    peer.where = at(t);
    peer.name = name(t, kSection, "pbx");
    peer.profile = choice(t, "profile", kProfileChoices).value_or(Profile::Generic);
    const ProfileDefaults& defaults = profileDefaults(peer.profile);

    if (auto iface = string(t, "interface", &peer.interface.where)) {
      peer.interface.name = *iface;
    } else if (!t.contains("interface")) {
      if (config.interfaces.size() == 1) {
        peer.interface = NameRef{config.interfaces.front().name, peer.where};
      } else {
        std::vector<std::string_view> names;
        for (const Interface& i : config.interfaces) {
          names.push_back(i.name);
        }
        missing(t, "interface", kSection,
                "with several interfaces, say which one reaches the peer; defined: " +
                    joinNames(names));
      }
    }
    peer.transport = choice(t, "transport", kTransportChoices).value_or(defaults.transport);
    if (auto fqdn = string(t, "fqdn", &peer.fqdn_where)) {
      if (auto host = parseHostName(*fqdn)) {
        peer.fqdn = *host;
      } else {
        error(peer.fqdn_where, "fqdn: " + host.error().message, host.error().hint);
      }
    }
    if (auto address = string(t, "address", &peer.address_where)) {
      if (auto parsed = parseSocketAddress(*address, false)) {
        peer.address = *parsed;
      } else {
        std::string hint = parsed.error().hint;
        if (!address->empty() && chars::kAlpha.contains(address->front())) {
          hint = "put host names in 'fqdn'; 'address' takes an IP[:port]";
        }
        error(peer.address_where, parsed.error().message, std::move(hint));
      }
    }
    const bool has_targets = t.contains("targets");
    if (has_targets && (t.contains("fqdn") || t.contains("address"))) {
      error(keyAt(t, "targets"),
            "peer " + quote(peer.name) + " has 'targets' and also '" +
                (t.contains("fqdn") ? "fqdn" : "address") + "'",
            "targets replace fqdn and address: list every FQDN (with an address if needed) in "
            "targets");
    } else if (!has_targets && !t.contains("fqdn") && !t.contains("address") &&
               defaults.targets.empty()) {
      error(peer.where, "peer " + quote(peer.name) + " has neither 'address' nor 'fqdn'",
            "add address = \"IP[:port]\", or fqdn = \"host.example.com\" to use DNS");
    }
    auto port = integer(t, "port", 1, 65535);
    if (port && peer.address && peer.address->port != 0) {
      error(keyAt(t, "port"), "the port is given twice: in 'address' and in 'port'",
            "keep one of them");
    }
    const uint16_t default_port = peer.transport == Transport::Tls ? 5061 : 5060;
    if (peer.address && peer.address->port != 0) {
      peer.port = peer.address->port;
    } else {
      peer.port = port ? static_cast<uint16_t>(*port) : default_port;
    }
    peer.use_srv = !peer.fqdn.empty() && !peer.address && !port;
    if (has_targets) {
      peer.targets = readTargets(t, peer.port);
    } else if (!t.contains("fqdn") && !t.contains("address")) {
      for (std::string_view fqdn : defaults.targets) {
        peer.targets.push_back(PeerTarget{std::string(fqdn), std::nullopt, peer.port, peer.where});
      }
    }
    if (!peer.targets.empty()) {
      // ${peer.fqdn}, the TLS checks and `gatehouse check` see the first target; calls and
      // keep-alives use each in turn. Targets are A/AAAA names: no SRV.
      peer.fqdn = peer.targets.front().fqdn;
      peer.fqdn_where = peer.targets.front().where;
      peer.port = peer.targets.front().port;
      peer.use_srv = false;
    }
    peer.options_interval = defaults.options_interval;
    readDuration(t, "options_interval_s", 0, 3600, peer.options_interval);
    peer.identity = choice(t, "identity", kIdentityChoices).value_or(defaults.identity);
    if (t.contains("sources")) {
      peer.sources = cidrList(t, "sources");
    } else {
      for (std::string_view range : defaults.sources) {
        if (auto cidr = parseCidr(range)) {
          cidr->where = peer.where;
          peer.sources.push_back(*cidr);
        }
      }
    }
    peer.x_ms_sbc = defaults.x_ms_sbc ? std::string(productToken()) : std::string();
    SourceLocation sbc_where;
    if (auto value = string(t, "x_ms_sbc", &sbc_where)) {
      if (std::any_of(value->begin(), value->end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        error(sbc_where, "x_ms_sbc contains control characters",
              "it becomes a header value: printable text only, e.g. \"Gatehouse/1.0\"");
      } else {
        peer.x_ms_sbc = *value;
      }
    }
    peer.e164 = boolean(t, "e164").value_or(defaults.e164);

    peer.header_policy.where = peer.where;
    if (const toml::table* policy = table(t, "header_policy")) {
      checkKeys(*policy, kHeaderPolicyKeys, "[peer.header_policy]");
      peer.header_policy.where = at(*policy);
      peer.header_policy.pass =
          choice(*policy, "pass", kHeaderPassChoices).value_or(HeaderPass::All);
      peer.header_policy.allow = headerNames(*policy, "allow", false);
      peer.header_policy.strip = headerNames(*policy, "strip", false);
      if (peer.header_policy.pass == HeaderPass::All && !peer.header_policy.allow.empty()) {
        warning(keyAt(*policy, "allow"), "'allow' has no effect with pass = \"all\"",
                "use 'strip' to hold headers back, or set pass = \"none\"");
      }
      if (peer.header_policy.pass == HeaderPass::None && !peer.header_policy.strip.empty()) {
        warning(keyAt(*policy, "strip"), "'strip' has no effect with pass = \"none\"",
                "with pass = \"none\" only the headers in 'allow' are copied");
      }
    }

    peer.media = profileMediaPolicy(peer.profile, config.media);
    peer.media.where = peer.where;
    if (const toml::table* media = table(t, "media")) {
      peer.media = applyMediaOverride(peer.media, readMediaOverride(*media, "[peer.media]"));
    }
    return peer;
  }

  // Header names, canonical ("t" becomes "To"). `editable`: refuse Gatehouse-managed headers.
  std::optional<std::string> headerName(const NameRef& ref, bool editable) {
    if (ref.name.empty() ||
        !std::all_of(ref.name.begin(), ref.name.end(), [](char c) { return kToken.contains(c); })) {
      error(ref.where, quote(ref.name) + " is not a header name",
            "header names are tokens like \"P-Asserted-Identity\", without ':'");
      return std::nullopt;
    }
    std::string canonical = ref.name;
    if (canonical.size() == 1) {
      for (const auto& [compact, full] : kCompactHeaders) {
        if (asciiLower(canonical[0]) == compact) {
          canonical = std::string(full);
          break;
        }
      }
    }
    if (editable) {
      for (std::string_view managed : kManagedHeaders) {
        if (iequals(managed, canonical)) {
          error(ref.where,
                "header " + quote(canonical) +
                    " is managed by Gatehouse and cannot "
                    "be edited by a rule",
                managed == "Contact" || managed == "Record-Route"
                    ? "set the peer's identity = \"fqdn\" or \"address\" instead"
                    : "Gatehouse writes it for each leg");
          return std::nullopt;
        }
      }
    }
    return canonical;
  }

  std::vector<NameRef> headerNames(const toml::table& t, std::string_view key, bool editable) {
    std::vector<NameRef> out;
    for (const NameRef& entry : strings(t, key, false).value_or(std::vector<NameRef>{})) {
      if (auto canonical = headerName(entry, editable)) {
        out.push_back(NameRef{*canonical, entry.where});
      }
    }
    return out;
  }

  std::optional<Regex> regex(const toml::table& t, std::string_view key) {
    SourceLocation where;
    auto pattern = string(t, key, &where);
    if (!pattern) {
      return std::nullopt;
    }
    // Compiling is validate.cc's job, so that it and the route layer use one kRegexSyntax.
    return Regex{*pattern, where};
  }

  std::optional<Template> templateValue(const toml::node& node, std::string_view key,
                                        bool allow_groups) {
    if (!node.is_string()) {
      typeError(node, key, "a string");
      return std::nullopt;
    }
    auto parsed = parseTemplate(node.as_string()->get(), allow_groups);
    if (!parsed) {
      error(at(node), parsed.error().message, parsed.error().hint);
      return std::nullopt;
    }
    parsed->where = at(node);
    return std::move(*parsed);
  }

  // set = { To = "..." } / add = { X-Foo = ["a", "b"] }, in file order.
  std::vector<HeaderValue> headerValues(const toml::table& t, std::string_view key,
                                        bool allow_lists) {
    std::vector<HeaderValue> out;
    const toml::table* values = table(t, key);
    if (values == nullptr) {
      return out;
    }
    for (auto&& [header, value] : *values) {
      auto canonical = headerName(NameRef{std::string(header.str()), at(header.source())}, true);
      if (!canonical) {
        continue;
      }
      std::vector<const toml::node*> nodes;
      if (allow_lists && value.is_array()) {
        for (const toml::node& element : *value.as_array()) {
          nodes.push_back(&element);
        }
      } else {
        nodes.push_back(&value);
      }
      for (const toml::node* node : nodes) {
        if (auto tpl = templateValue(*node, header.str(), false)) {
          out.push_back(HeaderValue{*canonical, std::move(*tpl), at(header.source())});
        }
      }
    }
    sortByPosition(out);
    return out;
  }

  HeaderActions readHeaderActions(const toml::table& t, std::string_view section) {
    checkKeys(t, kHeaderActionKeys, section);
    HeaderActions actions;
    actions.remove = headerNames(t, "remove", true);
    for (const toml::table* entry : tableArray(t, "replace")) {
      checkKeys(*entry, kReplaceKeys, "a replace entry");
      HeaderReplace replace;
      replace.where = at(*entry);
      SourceLocation where;
      auto header = string(*entry, "header", &where);
      auto pattern = regex(*entry, "pattern");
      const toml::node* with = entry->get("with");
      for (std::string_view key : {"header", "pattern", "with"}) {
        if (!entry->contains(key)) {
          missing(*entry, key, "a replace entry",
                  "write { header = \"To\", pattern = '...', with = \"...\" }");
        }
      }
      if (!header || !pattern || with == nullptr) {
        continue;
      }
      auto canonical = headerName(NameRef{*header, where}, true);
      auto tpl = templateValue(*with, "with", true);
      if (!canonical || !tpl) {
        continue;
      }
      replace.header = *canonical;
      replace.pattern = *pattern;
      replace.with = std::move(*tpl);
      actions.replace.push_back(std::move(replace));
    }
    actions.set = headerValues(t, "set", false);
    actions.add = headerValues(t, "add", true);
    return actions;
  }

  Route readRoute(const toml::table& t) {
    constexpr std::string_view kSection = "[[route]]";
    checkKeys(t, kRouteKeys, kSection);
    Route route;
    route.where = at(t);
    route.name = name(t, kSection, "voicemail");

    route.match.where = route.where;
    if (const toml::table* match = table(t, "match")) {
      checkKeys(*match, kMatchKeys, "[route.match]");
      route.match.where = at(*match);
      route.match.request_uri = regex(*match, "request_uri");
      route.match.from = regex(*match, "from");
      route.match.to = regex(*match, "to");
      route.match.from_peers = strings(*match, "from_peer", true).value_or(std::vector<NameRef>{});
      route.match.from_interfaces =
          strings(*match, "from_interface", true).value_or(std::vector<NameRef>{});
      for (const NameRef& written :
           strings(*match, "method", true).value_or(std::vector<NameRef>{})) {
        // Methods are case-sensitive in SIP, but "invite" can only mean INVITE.
        NameRef method = written;
        std::transform(method.name.begin(), method.name.end(), method.name.begin(),
                       [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
        if (std::find(kMethods.begin(), kMethods.end(), method.name) == kMethods.end()) {
          error(method.where, quote(written.name) + " is not a SIP method",
                suggestionHint(method.name, kMethods, "one of"));
          continue;
        }
        route.match.methods.push_back(std::move(method));
      }
    }

    route.to_peers = strings(t, "to_peer", true).value_or(std::vector<NameRef>{});
    if (t.contains("to_peer") && route.to_peers.empty() && t.get("to_peer")->is_array()) {
      error(keyAt(t, "to_peer"), "to_peer is an empty list", "name at least one peer");
    }
    if (const toml::node* node = t.get("reject")) {
      // Even a wrong code makes this a rejecting route, so validate.cc checks nothing else.
      auto code = integer(t, "reject", 400, 699, "a route rejects with a final 4xx-6xx code");
      route.reject = Reject{static_cast<uint16_t>(code.value_or(0)), {}, at(*node)};
    }
    if (auto reason = string(t, "reject_reason")) {
      if (!t.contains("reject")) {
        error(keyAt(t, "reject_reason"), "reject_reason without reject",
              "add reject = <code>, e.g. reject = 403");
      } else if (route.reject) {
        route.reject->reason = *reason;
      }
    }
    if (t.contains("to_peer") && t.contains("reject")) {
      error(keyAt(t, "reject"), "route " + quote(route.name) + " has both to_peer and reject",
            "a route either forwards or rejects: keep one");
    } else if (!t.contains("to_peer") && !t.contains("reject")) {
      error(route.where, "route " + quote(route.name) + " has no action",
            "add to_peer = \"<peer>\" or reject = <code>");
    }
    if (t.contains("reject")) {
      for (std::string_view key : {"rewrite_request_uri", "headers", "media", "reply"}) {
        if (t.contains(key)) {
          error(keyAt(t, key), quote(key) + " has no effect on a route that rejects",
                "remove it, or forward with to_peer");
        }
      }
    }

    if (const toml::node* node = t.get("rewrite_request_uri")) {
      route.rewrite_request_uri = templateValue(*node, "rewrite_request_uri", false);
    }
    if (const toml::table* headers = table(t, "headers")) {
      route.headers = readHeaderActions(*headers, "[route.headers]");
    }
    route.media.where = route.where;
    if (const toml::table* media = table(t, "media")) {
      checkKeys(*media, kRouteMediaKeys, "[route.media]");
      route.media.where = at(*media);
      if (auto anchor = boolean(*media, "anchor")) {
        route.media.anchor = *anchor;
      }
      if (const toml::table* side = table(*media, "inbound")) {
        route.media.inbound = readMediaOverride(*side, "[route.media.inbound]");
      }
      if (const toml::table* side = table(*media, "outbound")) {
        route.media.outbound = readMediaOverride(*side, "[route.media.outbound]");
      }
      if (!route.media.anchor && (media->contains("inbound") || media->contains("outbound"))) {
        warning(route.media.where, "media policies have no effect with anchor = false",
                "without anchoring, SDP passes through untouched");
      }
    }
    route.reply.where = route.where;
    if (const toml::table* reply = table(t, "reply")) {
      checkKeys(*reply, kReplyKeys, "[route.reply]");
      route.reply.where = at(*reply);
      for (const NameRef& prefix :
           strings(*reply, "remove_sdp_lines", false).value_or(std::vector<NameRef>{})) {
        if (prefix.name.size() < 2 || prefix.name[1] != '=' ||
            !chars::kAlpha.contains(prefix.name[0])) {
          error(prefix.where, quote(prefix.name) + " is not the start of an SDP line",
                "SDP lines begin with a letter and '=', e.g. \"a=label:\"");
          continue;
        }
        route.reply.remove_sdp_lines.push_back(SdpLinePrefix{prefix.name, prefix.where});
      }
      if (const toml::table* headers = table(*reply, "headers")) {
        route.reply.headers = readHeaderActions(*headers, "[route.reply.headers]");
      }
    }
    return route;
  }

  template <class T>
  static void sortByPosition(std::vector<T>& items) {
    std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
  }

  std::string file_;
  fs::path base_dir_;
  Diagnostics diagnostics_;
};

LoadResult finish(Config config, Diagnostics diagnostics) {
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
      });
  if (hasErrors(diagnostics)) {
    return Unexpected(std::move(diagnostics));
  }
  config.warnings = std::move(diagnostics);
  return config;
}

} // namespace

LoadResult loadString(std::string_view text, std::string_view name,
                      const std::filesystem::path& base_dir) {
  const std::string file(name);
  Reader reader(file, base_dir.empty() ? fs::path(file).parent_path() : base_dir);
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return Unexpected(Diagnostics{Diagnostic{Severity::Error,
                                             SourceLocation{file, begin.line, begin.column},
                                             "TOML syntax: " + std::string(e.description()),
                                             {}}});
  }
  Config config = reader.read(root);
  validateConfig(config, reader.diagnostics());
  return finish(std::move(config), std::move(reader.diagnostics()));
}

LoadResult loadFile(const std::filesystem::path& path) {
  const std::string name = path.string();
  auto fail = [&](std::string message, std::string hint) {
    return Unexpected(Diagnostics{Diagnostic{Severity::Error, SourceLocation{name, 0, 0},
                                             std::move(message), std::move(hint)}});
  };
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return fail("no such file", "give the path of a TOML config, e.g. examples/seed.toml");
  }
  if (fs::is_directory(path, ec)) {
    return fail("is a directory", "give the path of a TOML config file");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) {
    return fail("cannot read the file", "check its permissions");
  }
  const fs::path absolute = fs::absolute(path, ec);
  return loadString(text, name, (ec ? path : absolute).parent_path());
}

} // namespace gh::config
