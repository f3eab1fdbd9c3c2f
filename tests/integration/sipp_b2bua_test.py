#!/usr/bin/python3
"""The B2BUA against SIPp on loopback: `gatehouse run --config examples/loopback-b2bua.toml` with a
SIPp caller and a SIPp callee (tests/integration/sipp/*.xml), in both directions:

  forward: caller 127.0.2.6 (pbx) -> 127.0.0.5:5060 [gatehouse] 127.0.1.5 -> callee 127.0.3.10:5080
  reverse: caller 127.0.3.10 (far) -> 127.0.1.5:5060 [gatehouse] 127.0.0.5 -> callee 127.0.2.6:5080

Usage: sipp_b2bua_test.py GATEHOUSE SHARED_DIR SOURCE_DIR GROUP [SCENARIO ...]
  GROUP calls:    basic call, re-INVITE from each side, BYE from each side, UDP loss, TCP caller,
                  100 concurrent calls (a config copy with short RFC 3261 timers)
  GROUP failures: CANCEL before the answer, 486 Busy, no answer (Timer C, no_answer_s = 2)
  GROUP load:     500 calls at 50 calls/s, caller over UDP then over TCP, on the example file
                  unchanged; the callee's message log must never name the caller's address.
After every scenario `gatehouse stats` must come back to calls_active 0 and transactions_active 0
(a bounded wait for Timers D/J/K) and the process must still run; at the end it must stop on
SIGTERM with status 0 and nothing from AddressSanitizer/UBSan/LeakSanitizer on its stderr.

Every process is started here and stopped by its PID; every wait is bounded. SIPp's files go to a
temporary directory, kept (and named) when something failed or GH_SIPP_KEEP is set.
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN, SHARED, SOURCE, GROUP = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ONLY = set(sys.argv[5:])
SIPP = shutil.which("sipp") or "/usr/bin/sipp"
HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "sipp")
EXAMPLE = os.path.join(SOURCE, "examples", "loopback-b2bua.toml")

# The addresses of examples/loopback-b2bua.toml (a contract: they do not change).
PBX_IP, FAR_IP = "127.0.2.6", "127.0.3.10"
INTERNAL, EXTERNAL = ("127.0.0.5", 5060), ("127.0.1.5", 5060)
PEER_PORT = 5080   # where Gatehouse sends to either peer
CALLER_PORT = 5090  # the caller's own port (any port: in-dialog requests follow its flow)
# SDP addresses: a media address distinct from the signaling one (media is not anchored by
# PassThroughMedia, so the SDP of one side reaches the other unchanged; see the report).
MEDIA_IP = {PBX_IP: "127.0.2.7", FAR_IP: "127.0.3.11"}

DIRECTIONS = {
    # name: (caller ip, gatehouse address the caller sends to, Request-URI host, callee ip)
    "forward": (PBX_IP, INTERNAL, "far.example.com", FAR_IP),
    "reverse": (FAR_IP, EXTERNAL, "pbx.example.com", PBX_IP),
}

failures = []
results = []
work = tempfile.mkdtemp(prefix="gh-sipp-")


def log(msg):
    print(msg, flush=True)


def fail(msg):
    failures.append(msg)
    log("FAIL " + msg)


# ---- certificates and configs ---------------------------------------------------------------

def ensure_certs():
    certs = os.path.join(SOURCE, "examples", "certs")
    if all(os.path.exists(os.path.join(certs, f)) for f in ("sbc.crt", "sbc.key", "ca.crt")):
        return
    log("examples/certs missing: running examples/make-test-certs.sh")
    subprocess.run(["bash", os.path.join(SOURCE, "examples", "make-test-certs.sh")],
                   cwd=os.path.join(SOURCE, "examples"), check=True, timeout=120,
                   stdout=subprocess.DEVNULL)


def config_copy(name, timers):
    """The example with absolute certificate paths and a [timers] table appended."""
    with open(EXAMPLE) as f:
        text = f.read()
    certs = os.path.join(SOURCE, "examples", "certs") + "/"
    text = text.replace('"certs/', '"' + certs)
    text += "\n[timers]\n" + "".join(f"{k} = {v}\n" for k, v in timers.items())
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# ---- gatehouse --------------------------------------------------------------------------------

class Gatehouse:
    def __init__(self, config, tag):
        self.sock = f"/tmp/gh-sipp-{os.getpid()}-{tag}.sock"
        self.stderr_path = os.path.join(work, f"gatehouse-{tag}.log")
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([BIN, "run", "--config", config, "--control", self.sock,
                                      "--drain", "2"],
                                     stdout=self.stderr, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gatehouse exited at start ({self.proc.returncode}); see "
                                   f"{self.stderr_path}:\n{self.tail()}")
            if os.path.exists(self.sock) and self.stats(quiet=True) is not None:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gatehouse did not open its control socket; see {self.stderr_path}")

    def tail(self, n=3000):
        self.stderr.flush()
        with open(self.stderr_path, errors="replace") as f:
            return f.read()[-n:]

    def alive(self):
        return self.proc.poll() is None

    def stats(self, quiet=False):
        try:
            out = subprocess.run([BIN, "stats", "--control", self.sock], capture_output=True,
                                 timeout=10, text=True)
        except subprocess.TimeoutExpired:
            return None
        if out.returncode != 0:
            if not quiet:
                log(f"gatehouse stats failed ({out.returncode}): {out.stderr.strip()}")
            return None
        try:
            return json.loads(out.stdout)
        except ValueError:
            if not quiet:
                log(f"gatehouse stats printed no JSON: {out.stdout[:300]!r}")
            return None

    def wait_idle(self, label, bound_s):
        """calls_active and transactions_active back to 0 within bound_s seconds."""
        deadline = time.time() + bound_s
        s = None
        while time.time() < deadline:
            s = self.stats()
            if s is not None and s["calls_active"] == 0 and s["transactions_active"] == 0:
                return s
            time.sleep(0.25)
        fail(f"{label}: after {bound_s} s gatehouse still has calls_active="
             f"{s and s['calls_active']} transactions_active={s and s['transactions_active']}")
        if self.alive():
            calls = subprocess.run([BIN, "calls", "--control", self.sock], capture_output=True,
                                   timeout=10, text=True).stdout
            log("  gatehouse calls:\n" + calls[:2000])
        return s

    def stop(self):
        """SIGTERM by PID; the exit status and sanitizer findings on stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                fail("gatehouse did not stop within 30 s of SIGTERM (killed)")
        self.stderr.close()
        with open(self.stderr_path, errors="replace") as f:
            text = f.read()
        for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                       "SUMMARY: UndefinedBehaviorSanitizer"):
            if marker in text:
                at = text.index(marker)
                fail(f"gatehouse stderr has a sanitizer report ({marker}):\n"
                     f"{text[max(0, at - 200):at + 3000]}")
                break
        if self.proc.returncode != 0:
            fail(f"gatehouse exited with status {self.proc.returncode}")
        try:
            os.unlink(self.sock)
        except OSError:
            pass
        return text


# ---- SIPp ---------------------------------------------------------------------------------------

def sipp_counters(stat_path):
    """SIPp's cumulative counters: the last line of its -trace_stat file."""
    try:
        with open(stat_path) as f:
            rows = [r for r in csv.reader(f, delimiter=";") if r]
        head, last = rows[0], rows[-1]
        return {h: last[i] for i, h in enumerate(head) if i < len(last)}
    except (OSError, IndexError):
        return {}


def count(counters, name):
    try:
        return int(float(counters.get(name, "-1")))
    except ValueError:
        return -1


class Sipp:
    def __init__(self, label, role, scenario, ip, port, extra, calls, timeout_s, remote=None):
        self.label, self.role, self.calls = label, role, calls
        base = os.path.join(work, f"{label}-{role}")
        self.stat = base + ".csv"
        self.messages = base + "-messages.log"
        self.errors = base + "-errors.log"
        self.out_path = base + ".out"
        self.timeout_s = timeout_s
        cmd = [SIPP, "-sf", os.path.join(SCEN, scenario), "-i", ip, "-p", str(port),
               "-mi", MEDIA_IP[ip], "-mp", str(16000 if role == "uas" else 18000),
               "-m", str(calls), "-nostdin", "-trace_stat", "-stf", self.stat, "-fd", "1",
               "-trace_msg", "-message_file", self.messages,
               "-trace_err", "-error_file", self.errors,
               "-timeout", f"{timeout_s}s", "-timeout_error", "-max_socket", "2000"] + extra
        if remote:
            cmd.append(remote)  # the UAC's destination, SIPp's positional argument
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=work)

    def wait(self, bound_s):
        try:
            self.proc.wait(timeout=bound_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            fail(f"{self.label}: SIPp {self.role} still running after {bound_s} s (killed)")
        self.out.close()
        return self.proc.returncode

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if not self.out.closed:
            self.out.close()

    def check(self):
        """Exit status 0, every call successful, none failed."""
        c = sipp_counters(self.stat)
        ok, bad = count(c, "SuccessfulCall(C)"), count(c, "FailedCall(C)")
        rc = self.proc.returncode
        good = rc == 0 and ok == self.calls and bad == 0
        if not good:
            errs = ""
            if os.path.exists(self.errors):
                with open(self.errors, errors="replace") as f:
                    errs = f.read()[-1500:]
            fail(f"{self.label}: SIPp {self.role} exit {rc}, successful {ok}/{self.calls}, "
                 f"failed {bad}; see {self.out_path}\n  {errs}")
        return ok, bad, rc


def run_pair(gh, label, uac_xml, uas_xml, direction="forward", calls=1, transport="u1",
             uac_extra=(), uas_extra=(), rate=None, pause_ms=500, bound_s=60, idle_bound_s=10,
             during=None, answered=None, min_retransmissions=0):
    """One SIPp callee and one SIPp caller through gatehouse; `answered` calls (default: all)
    must be counted answered by gatehouse and the rest failed."""
    caller_ip, target, domain, callee_ip = DIRECTIONS[direction]
    answered = calls if answered is None else answered
    before = gh.stats() or {}
    uas = Sipp(label, "uas", uas_xml, callee_ip, PEER_PORT, list(uas_extra), calls, bound_s)
    time.sleep(0.3)
    if uas.proc.poll() is not None:
        uas.wait(1)
        fail(f"{label}: SIPp UAS exited at start ({uas.proc.returncode}); see {uas.out_path}")
        return None
    extra = ["-t", transport, "-key", "domain", domain, "-s", "bob", "-d", str(pause_ms),
             "-l", str(calls)]
    if rate:
        extra += ["-r", str(rate)]
    t0 = time.time()
    uac = Sipp(label, "uac", uac_xml, caller_ip, CALLER_PORT, extra + list(uac_extra), calls,
               bound_s, remote=f"{target[0]}:{target[1]}")
    seen = during(gh) if during else None
    uac.wait(bound_s + 15)
    elapsed = time.time() - t0
    uas.wait(30)
    uac_ok, uac_bad, _ = uac.check()
    uas_ok, uas_bad, _ = uas.check()
    alive = gh.alive()
    if not alive:
        fail(f"{label}: gatehouse is no longer running (exit {gh.proc.returncode}):\n{gh.tail()}")
        return None
    s = gh.wait_idle(label, idle_bound_s)
    if s and before:
        delta = {k: s[k] - before.get(k, 0) for k in ("calls_total", "calls_answered",
                                                       "calls_failed")}
        want = {"calls_total": calls, "calls_answered": answered,
                "calls_failed": calls - answered}
        if delta != want:
            fail(f"{label}: gatehouse counted {delta}, want {want}")
        retrans = s["retransmissions_sent"] - before.get("retransmissions_sent", 0)
        if retrans < min_retransmissions:
            fail(f"{label}: gatehouse retransmitted {retrans} times, want at least "
                 f"{min_retransmissions} (was anything lost?)")
    idle_s = time.time() - t0 - elapsed
    results.append((label, calls, uac_ok, uac_bad, uas_ok, uas_bad, elapsed, s, idle_s))
    log(f"{label}: caller {uac_ok}/{calls} successful, {uac_bad} failed; callee {uas_ok} "
        f"successful, {uas_bad} failed; {elapsed:.1f} s; then idle after {idle_s:.1f} s "
        f"(calls_active={s and s['calls_active']}, transactions_active="
        f"{s and s['transactions_active']}, retransmissions_sent="
        f"{s and s['retransmissions_sent']})")
    return uac, uas, seen


def wanted(name):
    return not ONLY or name in ONLY


# ---- the groups ---------------------------------------------------------------------------------

SHORT_TIMERS = {"t1_ms": 50, "t2_ms": 400, "t4_ms": 250, "timer_d_ms": 3200}


def group_calls():
    gh = Gatehouse(config_copy("calls.toml", SHORT_TIMERS), "calls")
    try:
        for d in ("forward", "reverse"):
            if wanted("basic"):
                run_pair(gh, f"basic-{d}", "uac_basic.xml", "uas_basic.xml", d, calls=3)
            if wanted("reinvite"):
                # re-INVITE from the caller, then from the callee; BYE from the callee
                run_pair(gh, f"reinvite-bye-callee-{d}", "uac_reinvite.xml", "uas_reinvite.xml",
                         d, calls=3)
        if wanted("bye-on-reinvite"):
            # the callee hangs up while the caller's re-INVITE is pending: 487, then BYE
            run_pair(gh, "bye-crosses-reinvite", "uac_reinvite_bye.xml",
                     "uas_bye_on_reinvite.xml", calls=3)
        if wanted("prack"):
            # the callee's 183 with SDP is reliable: Gatehouse PRACKs it, forwards it to the
            # caller unreliably, and repeats its answer in the 200 that carries none
            run_pair(gh, "reliable-183-early-media", "uac_early_media.xml", "uas_prack.xml",
                     calls=3)
        if wanted("late-ack"):
            # the caller ACKs 1.2 s late: 2xx retransmissions from Gatehouse and the callee
            run_pair(gh, "late-ack-2xx-retransmissions", "uac_late_ack.xml", "uas_basic.xml",
                     calls=3)
        if wanted("loss"):
            run_pair(gh, "loss-10pct", "uac_lossy.xml", "uas_lossy.xml", calls=30, rate=10,
                     uac_extra=["-lost", "10"], uas_extra=["-lost", "10"], pause_ms=1500,
                     bound_s=90, idle_bound_s=15, min_retransmissions=1)
        if wanted("tcp"):
            run_pair(gh, "tcp-caller-udp-callee", "uac_basic.xml", "uas_basic.xml",
                     transport="t1", calls=5, rate=10)
            run_pair(gh, "tcp-caller-reinvite", "uac_reinvite.xml", "uas_reinvite.xml",
                     transport="t1", calls=3)
        if wanted("concurrent"):
            peak = {}

            def sample(g):
                # during the pause every call is up at once
                deadline = time.time() + 6
                while time.time() < deadline:
                    s = g.stats(quiet=True)
                    if s:
                        peak["calls"] = max(peak.get("calls", 0), s["calls_active"])
                    if peak.get("calls", 0) >= 100:
                        break
                    time.sleep(0.2)
                return peak

            run_pair(gh, "concurrent-100", "uac_basic.xml", "uas_basic.xml", calls=100, rate=100,
                     uac_extra=["-rp", "1000"], pause_ms=6000, bound_s=60, during=sample)
            log(f"concurrent-100: peak calls_active {peak.get('calls')}")
            if peak.get("calls", 0) != 100:
                fail(f"concurrent-100: peak calls_active {peak.get('calls')}, want 100")
    finally:
        gh.stop()


def group_failures():
    cfg = dict(SHORT_TIMERS)
    cfg["no_answer_s"] = 2
    gh = Gatehouse(config_copy("failures.toml", cfg), "failures")
    # A failed INVITE leaves its client transaction Completed for Timer D (32 s on UDP, RFC 3261
    # §17.1.1.2, independent of T1): the bound covers it.
    try:
        if wanted("cancel"):
            run_pair(gh, "cancel-forward", "uac_cancel.xml", "uas_cancel.xml", calls=3,
                     answered=0, idle_bound_s=45)
            run_pair(gh, "cancel-reverse", "uac_cancel.xml", "uas_cancel.xml", "reverse",
                     calls=3, answered=0, idle_bound_s=45)
        if wanted("busy"):
            run_pair(gh, "busy-486", "uac_busy.xml", "uas_busy.xml", calls=3, answered=0,
                     idle_bound_s=45)
        if wanted("noanswer"):
            run_pair(gh, "no-answer-408", "uac_noanswer.xml", "uas_cancel.xml", calls=3,
                     answered=0, idle_bound_s=45)
    finally:
        gh.stop()


def topology_check(label, messages_path, caller_ip):
    """The callee's message log (everything it sent and received) never names the caller."""
    try:
        with open(messages_path, errors="replace") as f:
            text = f.read()
    except OSError:
        fail(f"{label}: no SIPp message log {messages_path}")
        return None
    invites = text.count("INVITE sip:")
    leaks = [line for line in text.splitlines() if caller_ip in line or "SIPpTag00" in line]
    if invites == 0:
        fail(f"{label}: the callee's message log holds no INVITE")
    if leaks:
        fail(f"{label}: the callee saw the caller's address or tag {len(leaks)} times, e.g. "
             f"{leaks[:3]}")
    return invites, len(leaks)


def group_load():
    gh = Gatehouse(EXAMPLE, "load")
    try:
        for transport, idle in (("u1", 40), ("t1", 40)):
            if not wanted(f"load-{transport}"):
                continue
            label = f"load-500-50cps-{'udp' if transport == 'u1' else 'tcp'}"
            r = run_pair(gh, label, "uac_basic.xml", "uas_basic.xml", calls=500, rate=50,
                         transport=transport, pause_ms=1000, bound_s=60, idle_bound_s=idle)
            if r:
                invites, leaks = topology_check(label, r[1].messages, PBX_IP) or (0, -1)
                log(f"{label}: topology hiding: the callee received {invites} INVITEs, "
                    f"{leaks} lines naming {PBX_IP} or the caller's tag")
    finally:
        gh.stop()


def main():
    if not os.path.exists(SIPP):
        log("SKIP: sipp is not installed (apt-get install sip-tester)")
        return 77
    ensure_certs()
    groups = {"calls": group_calls, "failures": group_failures, "load": group_load}
    if GROUP not in groups:
        log(f"unknown group {GROUP!r}; one of {', '.join(groups)}")
        return 2
    try:
        groups[GROUP]()
    except Exception as e:  # a start failure: report it as a test failure
        fail(f"{GROUP}: {type(e).__name__}: {e}")
    log(f"\n{len(results)} scenario runs, {len(failures)} failure(s)")
    if failures or os.environ.get("GH_SIPP_KEEP"):
        log(f"SIPp and gatehouse files kept in {work}")
        return 1 if failures else 0
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
