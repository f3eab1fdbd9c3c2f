#!/usr/bin/python3
"""Operations of `gatehouse run`: SIGHUP reloads routes without dropping calls and refuses a
broken file, the per-source rate limit answers 503 with Retry-After, a source outside the allow
list gets no answer at all, and SIGTERM hangs up the calls left after the drain time and exits.
Loopback 127.0.9.0/24 and 127.0.10.0/24 only; processes stopped by PID."""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gh_harness as h  # noqa: E402

BIN = sys.argv[1]
GH = ("127.0.9.1", 5060)
UAS = ("127.0.9.20", 5080)
CALLER = "127.0.9.30"

CONFIG = """
[sbc]
control_socket = "{control}"
[timers]
t1_ms = 100
t4_ms = 500
[protection]
requests_per_second = {rps}
burst = {burst}
retry_after_s = 7
[[interface]]
name = "in"
address = "127.0.9.1"
sip = ["udp:5060"]
allow = ["127.0.9.0/24"]
[[peer]]
name = "uas"
interface = "in"
address = "127.0.9.20:5080"
[[route]]
name = "ops"
match = {{ request_uri = '@ops\\.example\\.com' }}
{action}
"""

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def write(path, **kw):
    with open(path, "w") as f:
        f.write(CONFIG.format(**kw))


def options(chan, uri="sip:ops.example.com"):
    chan.send(h.build(f"OPTIONS {uri} SIP/2.0",
                      [("Via", f"SIP/2.0/UDP {chan.local[0]}:{chan.local[1]};branch=z9hG4bK{h.token()}"),
                       ("Max-Forwards", "70"), ("From", f"<sip:ops@{chan.local[0]}>;tag={h.token()}"),
                       ("To", f"<{uri}>"), ("Call-ID", h.token(16)), ("CSeq", "1 OPTIONS")]))


def main():
    tmp = tempfile.mkdtemp(prefix="gh-ops-")
    control = os.path.join(tmp, "ctl.sock")
    cfg = os.path.join(tmp, "gatehouse.toml")
    write(cfg, control=control, rps=1000, burst=1000, action='to_peer = "uas"\nmedia.anchor = false')
    uas = h.UdpUas(UAS)
    uas.start()
    log = os.path.join(tmp, "gatehouse.log")
    err = open(log, "wb")
    proc = subprocess.Popen([BIN, "run", "--config", cfg, "--drain", "1"], stdout=err,
                            stderr=subprocess.STDOUT)
    gh = h.Gatehouse(BIN, cfg, control, log)
    gh.proc, gh.err = proc, err
    try:
        check(gh.wait_log("gatehouse running", 20), "gatehouse starts")
        chan = h.UdpChannel((CALLER, 0), GH)
        r = h.place_call(chan, "sip:100@ops.example.com", CALLER)
        check(r.ok(), f"a call completes before any reload ({r})")

        # A broken file is refused and the running config kept.
        with open(cfg, "w") as f:
            f.write("[[route]\nname = broken\n")
        os.kill(proc.pid, signal.SIGHUP)
        check(gh.wait_log("keeping the running config", 10), "SIGHUP with a broken file is refused")
        check(gh.alive(), "still running after a refused reload")
        r = h.place_call(chan, "sip:101@ops.example.com", CALLER)
        check(r.ok(), f"calls still route with the old config ({r})")

        # A call in progress survives a reload that changes its route to a reject.
        held = h.place_call(chan, "sip:102@ops.example.com", CALLER, bye=False)
        check(held.invite_final is not None and held.invite_final.status == 200, "a call is up")
        write(cfg, control=control, rps=1000, burst=1000, action="reject = 403")
        os.kill(proc.pid, signal.SIGHUP)
        check(gh.wait_log("SIGHUP: reloaded", 10), "SIGHUP with a valid file reloads")
        r = h.place_call(chan, "sip:103@ops.example.com", CALLER)
        check(r.invite_final is not None and r.invite_final.status == 403,
              f"new calls follow the new route: 403 ({r})")
        check(gh.stats()["calls_active"] == 1, "the call in progress was not dropped")

        # A source outside the allow list gets nothing, and is counted.
        before = gh.stats()["dropped_not_allowed"]
        outsider = h.UdpChannel(("127.0.10.1", 0), GH)
        options(outsider)
        check(outsider.recv(1.0) is None, "a source outside the allow list gets no answer")
        check(gh.stats()["dropped_not_allowed"] == before + 1, "and it is counted")
        outsider.close()

        # Rate limit: 5 requests/s with a burst of 5.
        write(cfg, control=control, rps=5, burst=5, action='to_peer = "uas"\nmedia.anchor = false')
        os.kill(proc.pid, signal.SIGHUP)
        check(gh.wait_log("reloaded", 10), "reload with a low rate limit")
        flood = h.UdpChannel(("127.0.9.40", 0), GH)
        for _ in range(20):
            options(flood)
        codes, retry_after = [], set()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and len(codes) < 20:
            m = flood.recv(deadline - time.monotonic())
            if m is None:
                break
            if m.is_response and m.status >= 200:
                codes.append(m.status)
                if m.status == 503:
                    retry_after.add(m.get("retry-after"))
        # The bucket refills at 5/s while the flood is sent and read, slowly under ASan.
        check(5 <= codes.count(200) <= 10, f"the burst of 5 (plus the refill) is answered 200 ({codes})")
        check(codes.count(503) >= 1 and retry_after == {"7"}, "then 503 with Retry-After: 7")
        check(len(codes) < 20, "and a sustained flood is dropped, not answered")
        check(gh.stats()["rate_limited_503"] >= 1, "rate limiting is counted")
        flood.close()

        # SIGTERM: the held call is hung up after the 1 s drain, with a BYE to both legs.
        byes_before = uas.methods().count("BYE")
        t0 = time.monotonic()
        os.kill(proc.pid, signal.SIGTERM)
        bye = None
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            m = chan.recv(deadline - time.monotonic())
            if m is None:
                break
            if not m.is_response and m.method == "BYE":
                bye = m
                chan.send(h.response_to(m, 200, "OK"), chan.last_source)
                break
        check(bye is not None, "the caller gets a BYE at shutdown")
        try:
            code = proc.wait(10)
        except subprocess.TimeoutExpired:
            code = None
        check(code == 0, f"gatehouse exits 0 within the drain bound (exit {code}, "
                         f"{time.monotonic() - t0:.1f} s)")
        check(uas.methods().count("BYE") == byes_before + 1, "the callee got a BYE too")
        chan.close()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)
        err.close()
        uas.stop()
    check(not gh.sanitizer_reports(), "no sanitizer report")
    if failures:
        print(gh.log()[-4000:])
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
