#!/usr/bin/python3
"""A peer given by FQDN only (RFC 3263): gatehouse finds it through SRV then A records from a
dnsmasq on loopback, tries the targets in priority order and fails over from a dead one to the
next; an FQDN that does not resolve gets 503. Loopback 127.0.11.0/24 only; PIDs only."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gh_harness as h  # noqa: E402

BIN = sys.argv[1]
DNSMASQ = "/usr/sbin/dnsmasq"
DNS = ("127.0.11.53", 5353)
GH = ("127.0.11.1", 5060)
LIVE = ("127.0.11.20", 5080)
CALLER = "127.0.11.30"

CONFIG = """
[sbc]
dns_servers = ["127.0.11.53:5353"]
[timers]
t1_ms = 50
t4_ms = 500
[[interface]]
name = "in"
address = "127.0.11.1"
sip = ["udp:5060"]
allow = ["127.0.11.0/24"]
[[peer]]
name = "trunk"
interface = "in"
fqdn = "trunk.example.test"
[[peer]]
name = "ghost"
interface = "in"
fqdn = "ghost.example.test"
[[route]]
name = "trunk"
match = { request_uri = '@trunk\\.example\\.com' }
to_peer = "trunk"
media.anchor = false
[[route]]
name = "ghost"
match = { request_uri = '@ghost\\.example\\.com' }
to_peer = "ghost"
media.anchor = false
"""

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def main():
    if not os.access(DNSMASQ, os.X_OK):
        print("dnsmasq missing (Debian dnsmasq-base): skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="gh-dns-")
    dns = subprocess.Popen([
        DNSMASQ, "--no-daemon", "--conf-file=/dev/null", "--pid-file=", f"--port={DNS[1]}",
        f"--listen-address={DNS[0]}", "--bind-interfaces", "--no-resolv", "--no-hosts",
        "--local=/example.test/",
        # priority 10: a host where nothing listens; priority 20: the live UAS
        "--srv-host=_sip._udp.trunk.example.test,dead.example.test,5080,10,0",
        "--srv-host=_sip._udp.trunk.example.test,live.example.test,5080,20,0",
        "--host-record=dead.example.test,127.0.11.21",
        "--host-record=live.example.test,127.0.11.20"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cfg = os.path.join(tmp, "gatehouse.toml")
    with open(cfg, "w") as f:
        f.write(CONFIG)
    uas = h.UdpUas(LIVE)
    uas.start()
    gh = h.Gatehouse(BIN, cfg, os.path.join(tmp, "ctl.sock"), os.path.join(tmp, "gatehouse.log"))
    try:
        time.sleep(0.3)
        check(dns.poll() is None, "dnsmasq runs")
        gh.start()
        chan = h.UdpChannel((CALLER, 0), GH)
        t0 = time.monotonic()
        r = h.place_call(chan, "sip:100@trunk.example.com", CALLER, timeout=15)
        check(r.ok(), f"the call reaches the live SRV target after the dead one ({r})")
        check(time.monotonic() - t0 > 2.5, "after the dead target's Timer B (64*T1 = 3.2 s)")
        check("INVITE" in uas.methods(), "the live target got the INVITE")
        check(gh.wait_log("trying 127.0.11.20:5080", 1), "the failover is logged")
        r = h.place_call(chan, "sip:100@ghost.example.com", CALLER, timeout=10)
        check(r.invite_final is not None and r.invite_final.status == 503,
              f"an FQDN that does not resolve gets 503 ({r})")
        s = gh.wait_idle(10)
        check(s["calls_active"] == 0 and s["transactions_active"] == 0, "nothing left behind")
        chan.close()
    finally:
        code = gh.stop()
        uas.stop()
        if dns.poll() is None:
            os.kill(dns.pid, signal.SIGTERM)
            dns.wait(5)
    check(code == 0, f"gatehouse exits 0 (exit {code})")
    check(not gh.sanitizer_reports(), "no sanitizer report")
    if failures:
        print(gh.log()[-3000:])
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
