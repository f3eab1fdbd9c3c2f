#include "app/cli.h"

#include <string>

#include <CLI/CLI.hpp>

#include "app/cmd_check.h"
#include "app/cmd_demo.h"
#include "app/cmd_parse.h"
#include "app/cmd_run.h"
#include "app/version.h"
#include "common/log.h"

namespace gh::app {

int runCli(int argc, char** argv) {
  CLI::App app{"Gatehouse: a session border controller for SIP PBXs and Microsoft cloud voice",
               "gatehouse"};
  app.set_version_flag("-V,--version", std::string("gatehouse ") + GH_VERSION);
  app.require_subcommand(1);
  app.footer(R"(Examples:
  gatehouse demo
  gatehouse demo --break rtcp-mux
  gatehouse check --config /etc/gatehouse/gatehouse.toml
  gatehouse parse trace-invite.sip
  tshark -r call.pcap -Y sip -T fields -e sip.msg_hdr | gatehouse parse -
  gatehouse run --config /etc/gatehouse/gatehouse.toml --log-level debug
  gatehouse media --config examples/media-loopback.toml --workers 1
  gatehouse stats --config /etc/gatehouse/gatehouse.toml
  gatehouse calls --control /run/gatehouse/gatehouse.sock

Exit codes: 0 success, 1 invalid input (config or message), 2 usage error.)");

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run the SBC with a config file");
  run_cmd->add_option("-c,--config", run.config_path, "TOML config file")->required();
  run_cmd->add_option("--log-level", run.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  run_cmd->add_option("--control", run.control_socket,
                      "control socket path (default: [sbc] control_socket)");
  run_cmd->add_option(
      "--drain", run.drain_seconds,
      "seconds calls may finish after SIGTERM before they are hung up (default 30)");

  MediaOptions media;
  auto* media_cmd = app.add_subcommand(
      "media", "Run a media-only node serving rtpengine's NG protocol (drop-in for rtpengine)");
  media_cmd->add_option("-c,--config", media.config_path, "TOML config file")->required();
  media_cmd->add_option("--log-level", media.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  media_cmd->add_option("--control", media.control_socket,
                        "control socket path (default: [sbc] control_socket)");
  media_cmd
      ->add_option("--workers", media.workers,
                   "media worker threads (default: [media] workers; 0 = one per core)")
      ->check(CLI::Range(0, 256));

  ControlOptions stats;
  auto* stats_cmd = app.add_subcommand("stats", "Print a running node's counters (JSON)");
  stats_cmd->add_option("-c,--config", stats.config_path, "the node's config (for its socket)");
  stats_cmd->add_option("--control", stats.control_socket, "control socket path");
  ControlOptions calls;
  auto* calls_cmd = app.add_subcommand("calls", "List a running node's calls, one per line");
  calls_cmd->add_option("-c,--config", calls.config_path, "the node's config (for its socket)");
  calls_cmd->add_option("--control", calls.control_socket, "control socket path");

  CheckOptions check;
  auto* check_cmd = app.add_subcommand(
      "check", "Validate a config file and report every problem with file:line:col");
  check_cmd->add_option("-c,--config", check.config_path, "TOML config file");
  check_cmd->add_flag("--offline", check.offline,
                      "open no certificate file and bind no socket (a config for another host)");
  check_cmd->add_flag("--strict", check.strict, "warnings fail the check too (exit 1)");
  check_cmd->add_flag("--rules", check.rules, "print the profile rules (markdown) and exit");

  DemoOptions demo;
  auto* demo_cmd = app.add_subcommand(
      "demo", "Place the seed call on loopback: simulated CUCM -> gatehouse run -> simulated "
              "Exchange UM (mutual TLS, SDES-SRTP, Microsoft's rules); exit 0 when audio crossed "
              "both ways");
  demo_cmd->add_option("--packets", demo.packets, "20 ms audio packets each way (default 100)")
      ->check(CLI::Range(1, 3000));
  demo_cmd->add_flag("--keep", demo.keep, "keep the temporary folder (config, certificates, log)");
  demo_cmd->add_flag("--print-config", demo.print_config, "print the built-in config and exit");
  demo_cmd
      ->add_option("--break", demo.break_rule,
                   "break one Microsoft rule on purpose: wildcard, to-host, no-srtp, rtcp-mux or "
                   "ice; exit 0 when check predicts the answer and Exchange UM gives it")
      ->check(CLI::IsMember({"wildcard", "to-host", "no-srtp", "rtcp-mux", "ice"}));
  demo_cmd->add_option("--binary", demo.binary, "the gatehouse binary to run (default: this one)");

  ParseOptions parse;
  auto* parse_cmd = app.add_subcommand(
      "parse", "Parse one SIP message (a file or - for stdin) and print its parts or the error");
  parse_cmd->add_option("input", parse.input, "file with one SIP message, or - (default)");
  parse_cmd->add_flag("--stream", parse.stream, "frame as TCP/TLS would (Content-Length required)");
  parse_cmd->add_flag("-q,--quiet", parse.quiet, "print nothing on success");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (parse_cmd->parsed()) {
    return runParse(parse);
  }
  if (demo_cmd->parsed()) {
    return runDemo(demo);
  }
  if (check_cmd->parsed()) {
    return runCheck(check);
  }
  if (run_cmd->parsed()) {
    return runRun(run);
  }
  if (media_cmd->parsed()) {
    return runMedia(media);
  }
  if (stats_cmd->parsed()) {
    stats.command = "stats";
    return runControl(stats);
  }
  if (calls_cmd->parsed()) {
    calls.command = "calls";
    return runControl(calls);
  }
  return 2;
}

} // namespace gh::app
