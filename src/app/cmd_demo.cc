#include "app/cmd_demo.h"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/control_server.h"
#include "app/demo/demo_certs.h"
#include "app/demo/demo_config.h"
#include "app/demo/ladder.h"
#include "app/demo/microsoft_peer.h"
#include "app/demo/pbx_peer.h"

extern char** environ;

namespace gh::app {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string indent(std::string_view text, std::string_view prefix) {
  std::string out;
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    out += fmt::format("{}{}\n", prefix, text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
  }
  return out;
}

// The last `lines` lines of a log, for a failure report.
std::string tail(const std::string& text, int lines) {
  std::size_t at = text.size();
  for (int i = 0; i <= lines && at != std::string::npos && at > 0; ++i)
    at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

// Starts `args` with stdout and stderr appended to `log_path`; -1 with `why` on failure.
pid_t spawn(const std::vector<std::string>& args, const std::string& log_path, std::string& why) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    why = fmt::format("cannot start {}: {}", args[0], std::strerror(rc));
    return -1;
  }
  return pid;
}

// Waits for `pid` up to `timeout`; its exit code, 128+signal, or -1 while it still runs.
int waitFor(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0 || Clock::now() >= deadline)
      return -1;
    std::this_thread::sleep_for(20ms);
  }
}

uint64_t statsNumber(std::string_view json, std::string_view key) {
  std::string needle = fmt::format("\"{}\": ", key);
  std::size_t at = json.find(needle);
  uint64_t value = 0;
  if (at != std::string_view::npos) {
    const char* begin = json.data() + at + needle.size();
    std::from_chars(begin, json.data() + json.size(), value);
  }
  return value;
}

bool hasSanitizerReport(std::string_view log) {
  for (std::string_view mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer"}) {
    if (log.find(mark) != std::string_view::npos)
      return true;
  }
  return false;
}

std::string selfPath() {
  std::error_code ec;
  auto path = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("gatehouse") : path.string();
}

struct Verdict {
  std::vector<std::string> failures;

  void require(bool ok, std::string what) {
    if (!ok)
      failures.push_back(std::move(what));
  }
};

std::string figuresLine(std::string_view direction, const demo::MediaFigures& sent_by,
                        const demo::MediaFigures& received_by) {
  uint64_t lost =
      sent_by.sent > received_by.payload_intact ? sent_by.sent - received_by.payload_intact : 0;
  return fmt::format("    {:<28} sent {:>4}  received {:>4}  intact {:>4}  lost {:>3}  "
                     "SRTP auth failures {}\n",
                     direction, sent_by.sent, received_by.received, received_by.payload_intact,
                     lost, received_by.auth_failures);
}

} // namespace

int runDemo(const DemoOptions& options) {
  demo::DemoTopology topology;
  const demo::BreakInfo* broken = nullptr;
  if (!options.break_rule.empty()) {
    broken = demo::findDemoBreak(options.break_rule);
    if (broken == nullptr) {
      std::string names;
      for (const demo::BreakInfo& b : demo::demoBreaks())
        names += fmt::format(" {}", b.name);
      fmt::print(stderr, "gatehouse demo: --break {}: unknown; one of:{}\n", options.break_rule,
                 names);
      return 2;
    }
  }
  const demo::DemoBreak what = broken != nullptr ? broken->what : demo::DemoBreak::None;
  if (options.print_config) {
    fmt::print("{}", demo::demoConfigText(topology, "/tmp/gatehouse-demo/control.sock", what));
    return 0;
  }
  if (options.packets < 1 || options.packets > 3000) {
    fmt::print(stderr, "gatehouse demo: --packets must be 1..3000\n");
    return 2;
  }
  char folder_template[] = "/tmp/gatehouse-demo-XXXXXX";
  if (::mkdtemp(folder_template) == nullptr) {
    fmt::print(stderr, "gatehouse demo: cannot make a temporary folder: {}\n",
               std::strerror(errno));
    return 1;
  }
  const std::string folder = folder_template;
  const std::string config_path = folder + "/demo.toml";
  const std::string control = folder + "/control.sock";
  const std::string log_path = folder + "/gatehouse.log";
  const std::string binary = options.binary.empty() ? selfPath() : options.binary;

  fmt::print("gatehouse demo: the seed call through Gatehouse on loopback\n"
             "  CUCM {} --tcp--> {}:5060 [gatehouse] {} --mutual TLS, SDES-SRTP--> Exchange UM "
             "{}:5061\n\n",
             topology.pbx_ip, topology.internal_ip, topology.external_ip, topology.microsoft_ip);
  if (broken != nullptr)
    fmt::print("  Broken on purpose: rule {}, {}; Exchange UM should answer {}.\n\n", broken->rule,
               broken->description, broken->answer);

  // 1. Certificates, as make-test-certs.sh would make them, without the openssl command.
  fs::create_directories(folder + "/certs");
  auto certs = demo::makeCertificates(folder + "/certs", topology.sbc_fqdn, topology.um_fqdn,
                                      what == demo::DemoBreak::Wildcard);
  if (!certs) {
    fmt::print(stderr, "gatehouse demo: certificates: {}\n", certs.error());
    return 1;
  }
  fmt::print("[1/5] certificates: a test CA, {} (Gatehouse) and {} (Exchange UM), in {}/certs\n",
             topology.sbc_fqdn, topology.um_fqdn, folder);
  {
    std::ofstream out(config_path);
    out << demo::demoConfigText(topology, control, what);
  }

  // 2. Preflight: what `gatehouse check` says before the first call.
  const std::string check_log = folder + "/check.log";
  std::string why;
  pid_t check_pid = spawn({binary, "check", "--config", config_path}, check_log, why);
  int check_rc = check_pid > 0 ? waitFor(check_pid, 60s) : -1;
  const std::string check_output = readFile(check_log);
  fmt::print("[2/5] preflight: gatehouse check --config {} (exit {})\n{}", config_path, check_rc,
             indent(check_output, "      "));
  if (broken == nullptr && check_rc != 0) {
    fmt::print(stderr,
               "gatehouse demo: the built-in config does not pass its check; files "
               "kept in {}\n",
               folder);
    return 1;
  }
  if (broken != nullptr)
    fmt::print("      (the call is placed anyway, to see what Microsoft answers)\n");

  // 3. The Microsoft peer listens first, then Gatehouse starts.
  demo::Ladder ladder;
  demo::MicrosoftPeer microsoft({.ip = topology.microsoft_ip,
                                 .fqdn = topology.um_fqdn,
                                 .sbc_fqdn = topology.sbc_fqdn,
                                 .certificate = certs->um_crt,
                                 .private_key = certs->um_key,
                                 .ca_bundle = certs->ca_crt,
                                 .packets = options.packets});
  if (!microsoft.listen(why)) {
    fmt::print(stderr, "gatehouse demo: {}\n", why);
    return 1;
  }
  pid_t gatehouse =
      spawn({binary, "run", "--config", config_path, "--control", control, "--drain", "5"},
            log_path, why);
  if (gatehouse < 0) {
    fmt::print(stderr, "gatehouse demo: {}\n", why);
    return 1;
  }
  bool started = false;
  for (auto deadline = Clock::now() + 20s; Clock::now() < deadline;) {
    if (waitFor(gatehouse, 0ms) >= 0)
      break;
    if (fs::exists(control) && readFile(log_path).find("gatehouse running") != std::string::npos) {
      started = true;
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  if (!started) {
    ::kill(gatehouse, SIGKILL);
    waitFor(gatehouse, 5s);
    fmt::print(stderr, "gatehouse demo: gatehouse run did not start; its log ({}):\n{}", log_path,
               tail(readFile(log_path), 30));
    return 1;
  }
  fmt::print("[3/5] gatehouse run --config {} (pid {}, log {})\n", config_path, gatehouse,
             log_path);

  // 4. The call: CUCM and Exchange UM in their own threads, each recording its side.
  fmt::print("[4/5] call: CUCM dials {} ({} packets of 20 ms PCMU each way)\n\n",
             topology.pilot_uri, options.packets);
  std::promise<void> microsoft_media_done;
  auto microsoft_result =
      std::async(std::launch::async, [&] { return microsoft.serve(ladder, microsoft_media_done); });
  demo::PbxPeerResult pbx = demo::placeCall({.ip = topology.pbx_ip,
                                             .gatehouse_ip = topology.internal_ip,
                                             .request_uri = topology.pilot_uri,
                                             .packets = options.packets,
                                             .offer_ice = what == demo::DemoBreak::Ice,
                                             .offer_rtcp_mux = what == demo::DemoBreak::RtcpMux},
                                            ladder, microsoft_media_done.get_future());
  demo::MicrosoftPeerResult ms = microsoft_result.get();

  // 5. Gatehouse's own figures, then back to zero.
  std::string stats;
  for (auto deadline = Clock::now() + 10s; Clock::now() < deadline;) {
    std::string answer;
    if (controlRequest(control, "stats", answer, why)) {
      stats = answer;
      if (statsNumber(stats, "calls_active") == 0 && statsNumber(stats, "media_ports_in_use") == 0)
        break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ::kill(gatehouse, SIGTERM);
  int gatehouse_rc = waitFor(gatehouse, 20s);
  if (gatehouse_rc < 0) {
    ::kill(gatehouse, SIGKILL);
    gatehouse_rc = waitFor(gatehouse, 5s);
  }
  std::string log = readFile(log_path);

  fmt::print("{}\n", ladder.render("CUCM", "Exchange UM"));
  fmt::print("  Microsoft's rules, as the simulated Exchange UM checked them:\n");
  for (const demo::RuleCheck& rule : ms.rules)
    fmt::print("    rule {}  {:<6} {}\n", rule.rule, rule.passed ? "ok" : "BROKEN", rule.what);
  if (ms.rules.empty())
    fmt::print("    (no INVITE reached it)\n");
  if (broken == nullptr) {
    fmt::print("\n  Media, checked packet by packet at each end:\n");
    fmt::print("{}", figuresLine("CUCM -> Exchange UM (RTP->SRTP)", pbx.media, ms.media));
    fmt::print("{}", figuresLine("Exchange UM -> CUCM (SRTP->RTP)", ms.media, pbx.media));
  }
  fmt::print("    gatehouse stats: {} packets relayed, {} SRTP auth failures, {} dropped\n\n",
             statsNumber(stats, "media_packets_relayed"),
             statsNumber(stats, "media_srtp_auth_failures"), statsNumber(stats, "media_dropped"));

  Verdict v;
  v.require(pbx.error.empty(), pbx.error);
  v.require(ms.error.empty(), ms.error);
  if (broken == nullptr) {
    v.require(pbx.final_code == 200,
              fmt::format("CUCM got {} to its INVITE, not 200", pbx.final_code));
    v.require(ms.rejected_with == 0, fmt::format("Exchange UM answered {}", ms.rejected_with));
    // Loopback loses nothing in practice; a packet or two of slack keeps a loaded machine
    // honest without hiding a broken direction.
    auto enough = [&](const demo::MediaFigures& got) {
      return got.payload_intact * 100 >= static_cast<uint64_t>(options.packets) * 95;
    };
    v.require(enough(ms.media), fmt::format("Exchange UM heard {} of {} packets intact",
                                            ms.media.payload_intact, options.packets));
    v.require(enough(pbx.media), fmt::format("CUCM heard {} of {} packets intact",
                                             pbx.media.payload_intact, options.packets));
    v.require(ms.media.auth_failures == 0 && pbx.media.auth_failures == 0,
              "SRTP authentication failures at a peer");
    v.require(pbx.bye_answered && ms.bye_received, "the BYE did not cross Gatehouse");
  } else {
    v.require(check_rc == 1,
              fmt::format("gatehouse check exited {}, not 1 with a finding", check_rc));
    v.require(check_output.find(fmt::format("answers {}", broken->answer)) != std::string::npos,
              fmt::format("gatehouse check did not predict Exchange UM's {}", broken->answer));
    bool rule_broken = false;
    for (const demo::RuleCheck& rule : ms.rules)
      rule_broken = rule_broken || (rule.rule == broken->rule && !rule.passed);
    v.require(rule_broken, fmt::format("Exchange UM did not see rule {} broken", broken->rule));
    v.require(ms.rejected_with == broken->answer,
              fmt::format("Exchange UM answered {}, not {}", ms.rejected_with, broken->answer));
    v.require(pbx.final_code == broken->answer,
              fmt::format("CUCM got {}, not Microsoft's {}", pbx.final_code, broken->answer));
  }
  v.require(statsNumber(stats, "calls_active") == 0 &&
                statsNumber(stats, "media_ports_in_use") == 0,
            "Gatehouse still holds a call or media ports after the call");
  v.require(gatehouse_rc == 0, fmt::format("gatehouse run exited {}", gatehouse_rc));
  v.require(!hasSanitizerReport(log), "gatehouse's log has a sanitizer report");

  uint64_t transactions = statsNumber(stats, "transactions_active");
  fmt::print("[5/5] after the call: calls {}, media ports in use {}, transactions {}{}; gatehouse "
             "exited {} on SIGTERM\n",
             statsNumber(stats, "calls_active"), statsNumber(stats, "media_ports_in_use"),
             transactions,
             transactions > 0 ? " (answered INVITEs wait 32 s in RFC 6026's Accepted state for "
                                "2xx retransmissions)"
                              : "",
             gatehouse_rc);
  if (!v.failures.empty()) {
    fmt::print("\nFAIL:\n");
    for (const std::string& f : v.failures)
      fmt::print("  - {}\n", f);
    fmt::print("\ngatehouse's log ({}), last lines:\n{}", log_path, indent(tail(log, 25), "  "));
    fmt::print("Files kept in {}\n", folder);
    return 1;
  }
  if (broken == nullptr)
    fmt::print("\nPASS: the call crossed Gatehouse with Microsoft's rules met and audio intact "
               "both ways.\n");
  else
    fmt::print("\nPASS: gatehouse check predicted it before the call; Exchange UM answered {} for "
               "rule {} and CUCM received {}.\n",
               broken->answer, broken->rule, pbx.final_code);
  if (options.keep) {
    fmt::print("Files kept in {} (demo.toml, certs/, gatehouse.log)\n", folder);
  } else {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
  return 0;
}

} // namespace gh::app
