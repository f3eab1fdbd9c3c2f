#!/usr/bin/python3
"""Signaling-only `gatehouse run` ([media] engine = "ng:...") driving a remote media engine over
NG: (a) `gatehouse media`, the project's own NG node, and (b) a real rtpengine (Debian's
rtpengine-daemon), each with a plain-RTP caller and an SDES-SRTP callee.

  caller (peer "pbx")        gatehouse run (no media_ports)        callee (peer "far")
  127.0.16.2:5062 --SIP--> 127.0.16.5:5060 | 127.0.17.5:5060 --SIP--> 127.0.17.2:5064
                               | NG offer/answer/delete (UDP)
                      engine: NG on 127.0.16.{6,7}, media on 127.0.16.{6,7} | 127.0.17.{6,7}
  RTP/AVP PCMU <--RTP--> engine internal | engine external <--SRTP--> RTP/SAVP

Per engine: the callee receives RTP/SAVP with exactly one AES_CM_128_HMAC_SHA1_80 crypto line,
no ICE, c= the engine's external address; the caller's 200 is RTP/AVP on the engine's internal
address; PACKETS RTP packets arrive at the callee as SRTP (pylibsrtp, the offer's key) and PACKETS
SRTP packets at the caller as plain RTP, each once and intact. During the call the engine lists the
Call-ID (NG list); after the BYE it lists nothing (the delete reached it; a media node's stats are
all 0) and `gatehouse stats` shows no media call. A call without media is dropped by the engine on
its media timeout (3 s) and gatehouse, polling NG list, sends BYE on both legs. Then the engine is
stopped and a new INVITE gets 503 within the NG timeout,
with no INVITE reaching the callee. gatehouse exits 0 on SIGTERM with no sanitizer report.

Exit 77 (skipped) when rtpengine is not installed, after (a) passed; 1 on any failure.
Usage: ng_client_test.py GATEHOUSE_BIN SHARED_DIR"""
import base64
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gh_harness as gh  # noqa: E402
import media_harness as mh  # noqa: E402

try:
    import pylibsrtp  # Debian python3-pylibsrtp
except ImportError:
    print("FAIL: python3-pylibsrtp is not installed (apt-get install python3-pylibsrtp)")
    sys.exit(1)

BIN = sys.argv[1]
GH_INTERNAL, GH_EXTERNAL = "127.0.16.5", "127.0.17.5"
CALLER = ("127.0.16.2", 5062)
CALLEE = ("127.0.17.2", 5064)
PACKETS = int(os.environ.get("GH_NGCLIENT_PACKETS", "100"))
INTERVAL = 0.005
NG_TIMEOUT_MS = 1000
ENGINE_MEDIA_TIMEOUT_S = 3  # the engine's own media timeout (rtpengine --timeout, timeout_s)
POLL_S = 5                  # how often gatehouse run lists the engine's calls
RTPENGINE = shutil.which("rtpengine") or ("/usr/bin/rtpengine"
                                          if os.path.exists("/usr/bin/rtpengine") else None)

T0 = time.monotonic()
work = tempfile.mkdtemp(prefix="gh-ngclient-")
failures = []


def log(msg):
    print(f"[{time.monotonic() - T0:6.2f}] {msg}", flush=True)


def check(cond, what):
    if not cond:
        raise mh.TestFailure(what)


GATEHOUSE_CONFIG = """
[sbc]
fqdn = "sbc.example.com"

[media]
engine = "ng:{ng_ip}:{ng_port}"
engine_timeout_ms = {timeout}
{interfaces}

[[interface]]
name    = "internal"
address = "127.0.16.5"
sip     = ["udp:5060"]

[[interface]]
name    = "external"
address = "127.0.17.5"
sip     = ["udp:5060"]

[[peer]]
name      = "pbx"
interface = "internal"
transport = "udp"
address   = "127.0.16.2:5062"
media     = {{ mode = "rtp" }}

[[peer]]
name      = "far"
interface = "external"
transport = "udp"
address   = "127.0.17.2:5064"
media     = {{ mode = "srtp", srtp_suites = ["AES_CM_128_HMAC_SHA1_80"] }}

[[route]]
name    = "to-far"
match   = {{ from_peer = "pbx" }}
to_peer = "far"
"""

MEDIA_NODE_CONFIG = """
[media]
ng_listen = "127.0.16.6:{ng_port}"
workers   = 1
timeout_s = {timeout_s}

[protection]
max_calls = 0

[[interface]]
name        = "internal"
address     = "127.0.16.6"
media_ports = "32000-32099"

[[interface]]
name        = "external"
address     = "127.0.17.6"
media_ports = "52000-52099"
"""


# ---- engines ---------------------------------------------------------------------------------

class OwnEngine:
    """(a) `gatehouse media`: its interfaces share gatehouse run's names, no mapping needed."""
    name = "gatehouse-media"
    ip_internal, ip_external = "127.0.16.6", "127.0.17.6"
    interfaces = ""

    def __init__(self):
        self.ng_port = mh.free_udp_port(self.ip_internal)
        path = os.path.join(work, "media.toml")
        with open(path, "w") as f:
            f.write(MEDIA_NODE_CONFIG.format(ng_port=self.ng_port,
                                             timeout_s=ENGINE_MEDIA_TIMEOUT_S))
        self.node = mh.MediaNode(BIN, path, f"/tmp/gh-ngclient-{os.getpid()}-media.sock",
                                 os.path.join(work, "media.log"), self.ng_port)
        self.node.ng_host = self.ip_internal

    def start(self):
        # MediaNode pings 127.0.0.1; our node listens on 127.0.16.6: wait for it ourselves.
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        self.node.err = open(self.node.log_path, "ab")
        self.node.proc = subprocess.Popen(
            [BIN, "media", "--config", self.node.config_path, "--control", self.node.control,
             "--workers", "1"], stdin=subprocess.DEVNULL, stdout=self.node.err,
            stderr=subprocess.STDOUT, env=env)
        wait_pong(self.ip_internal, self.ng_port, lambda: self.node.alive(), self.node.log)

    def alive(self):
        return self.node.alive()

    def log(self):
        return self.node.log()

    def assert_drained(self):
        mh.assert_no_leaks(self.node.wait_drained(5.0), "gatehouse media after the BYE")

    def stop(self):
        code = self.node.stop()
        reports = self.node.sanitizer_reports()
        return code, reports


class Rtpengine:
    """(b) rtpengine 10.5+ in userspace (no kernel table), no delete delay. Its interfaces have
    their own names (priv, pub), so NG direction goes through [media] engine_interfaces; a wrong
    mapping would put the media on rtpengine's first interface and fail the c= checks."""
    name = "rtpengine"
    ip_internal, ip_external = "127.0.16.7", "127.0.17.7"
    interfaces = 'engine_interfaces = { internal = "priv", external = "pub" }'

    def __init__(self):
        self.ng_port = mh.free_udp_port(self.ip_internal)
        self.log_path = os.path.join(work, "rtpengine.log")
        self.proc = None
        self.err = None

    def start(self):
        self.err = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [RTPENGINE, "--config-file=none", "--foreground", "--log-stderr", "--table=-1",
             "--no-fallback", f"--interface=priv/{self.ip_internal}",
             f"--interface=pub/{self.ip_external}",
             f"--listen-ng={self.ip_internal}:{self.ng_port}", "--port-min=33000",
             "--port-max=33199", "--delete-delay=0", f"--timeout={ENGINE_MEDIA_TIMEOUT_S}",
             "--log-level=6"],
            stdin=subprocess.DEVNULL, stdout=self.err, stderr=subprocess.STDOUT)
        wait_pong(self.ip_internal, self.ng_port, self.alive, self.log)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def assert_drained(self):
        pass  # rtpengine has no control socket here; its empty NG list is the check

    def stop(self):
        if self.proc is None:
            return None, []
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.err:
            self.err.close()
            self.err = None
        return 0, []


def ng_client(host, port):
    c = mh.NgClient(port, host)
    c.sock.close()
    c.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.sock.bind((host, 0))
    return c


def wait_pong(host, port, alive, log_of, timeout=20.0):
    ng = ng_client(host, port)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not alive():
                raise mh.TestFailure(f"engine exited at start:\n{log_of()[-3000:]}")
            reply = ng.raw(b"ping1 d7:command4:pinge", timeout=0.3)
            if reply is not None and reply.startswith(b"ping1 ") and b"pong" in reply:
                return
            time.sleep(0.05)
    finally:
        ng.close()
    raise mh.TestFailure(f"engine did not answer NG ping within {timeout} s:\n{log_of()[-3000:]}")


def engine_calls(engine):
    ng = ng_client(engine.ip_internal, engine.ng_port)
    try:
        reply = ng.ok({"command": "list", "limit": 100}, timeout=3.0)
        return [c.decode() if isinstance(c, bytes) else c for c in reply.get("calls", [])]
    finally:
        ng.close()


# ---- SIP + media ------------------------------------------------------------------------------

def caller_offer(media_port):
    ip = CALLER[0]
    return (f"v=0\r\no=cucm 1000 1 IN IP4 {ip}\r\ns=SIP Call\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
            f"m=audio {media_port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            f"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
            f"a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdef0123456789\r\n"
            f"a=candidate:1 1 UDP 2130706431 {ip} {media_port} typ host\r\n"
            f"a=ptime:20\r\na=sendrecv\r\n").encode()


def callee_answer(media_port, crypto_tag, key):
    ip = CALLEE[0]
    return (f"v=0\r\no=ms 2000 1 IN IP4 {ip}\r\ns=session\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
            f"m=audio {media_port} RTP/SAVP 0 101\r\n"
            f"a=crypto:{crypto_tag} AES_CM_128_HMAC_SHA1_80 inline:{key}|2^31\r\n"
            f"a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
            f"a=ptime:20\r\na=sendrecv\r\n").encode()


def wait_msg(chan, pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = chan.recv(deadline - time.monotonic())
        if msg is not None and pred(msg):
            return msg
    raise mh.TestFailure(f"timed out waiting for {what}")


class Call:
    def __init__(self):
        self.caller = gh.UdpChannel(CALLER, (GH_INTERNAL, 5060))
        self.callee = gh.UdpChannel(CALLEE, None)
        self.caller_media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.caller_media.bind((CALLER[0], 0))
        self.callee_media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.callee_media.bind((CALLEE[0], 0))
        self.call_id = gh.token(16) + "@" + CALLER[0]
        self.ftag = gh.token()
        self.ruri = "sip:+15551234@um.example.net"
        self.callee_tag = gh.token()
        self.answer_key = mh.new_key_b64()

    def close(self):
        for s in (self.caller, self.callee):
            s.close()
        self.caller_media.close()
        self.callee_media.close()

    def via(self):
        return ("Via", f"SIP/2.0/UDP {CALLER[0]}:{CALLER[1]};branch=z9hG4bK{gh.token()};rport")

    def send_invite(self):
        offer = caller_offer(self.caller_media.getsockname()[1])
        self.base = [("From", f"<sip:5000@{CALLER[0]}>;tag={self.ftag}"),
                     ("To", f"<{self.ruri}>"), ("Call-ID", self.call_id)]
        self.invite_via = self.via()
        self.caller.send(gh.build(f"INVITE {self.ruri} SIP/2.0",
                                  [self.invite_via, ("Max-Forwards", "70")] + self.base +
                                  [("CSeq", "1 INVITE"),
                                   ("Contact", f"<sip:5000@{CALLER[0]}:{CALLER[1]}>"),
                                   ("Content-Type", "application/sdp")], offer))

    def final_response(self, timeout):
        return wait_msg(self.caller, lambda m: m.is_response and "INVITE" in m.get("cseq")
                        and m.status >= 200, timeout, "the caller's final response")

    def setup(self, engine):
        self.send_invite()
        log("caller: INVITE sent (RTP/AVP PCMU, ICE attributes)")
        invite = wait_msg(self.callee, lambda m: m.method == "INVITE", 10,
                          "the INVITE at the callee")
        self.callee_src = self.callee.last_source
        text = invite.body.decode()
        log(f"callee: INVITE received; SDP:\n{text}")
        o = mh.parse_sdp(text)
        check(o["proto"] == "RTP/SAVP", f"callee's offer is {o['proto']}, not RTP/SAVP")
        check(len(o["cryptos"]) == 1, f"callee's offer has {len(o['cryptos'])} crypto lines")
        check(o["cryptos"][0][1] == mh.SUITE, f"callee's offer suite {o['cryptos'][0][1]}")
        check(o["ip"] == engine.ip_external,
              f"callee's offer c= {o['ip']}, not the engine's {engine.ip_external}")
        bad = [line for line in o["lines"] if line.startswith(("a=ice-", "a=candidate",
                                                                "a=rtcp-mux"))]
        check(not bad, f"callee's offer carries ICE/rtcp-mux lines: {bad}")
        check("0" in o["fmts"], f"callee's offer lost PCMU: {o['fmts']}")
        self.relay_b = (o["ip"], o["port"])
        self.offer_key = o["cryptos"][0][2]
        answer = callee_answer(self.callee_media.getsockname()[1], o["cryptos"][0][0],
                               self.answer_key)
        contact = [("Contact", f"<sip:ms@{CALLEE[0]}:{CALLEE[1]}>"),
                   ("Content-Type", "application/sdp")]
        self.callee.send(gh.response_to(invite, 200, "OK", contact, answer,
                                        to_tag=self.callee_tag), self.callee_src)
        ok = self.final_response(10)
        check(ok.status == 200, f"caller got {ok.status} to the INVITE")
        log(f"caller: 200 received; SDP:\n{ok.body.decode()}")
        a = mh.parse_sdp(ok.body.decode())
        check(a["proto"] == "RTP/AVP", f"caller's answer is {a['proto']}, not RTP/AVP")
        check(not a["cryptos"], "caller's answer carries crypto lines")
        check(a["ip"] == engine.ip_internal,
              f"caller's answer c= {a['ip']}, not the engine's {engine.ip_internal}")
        self.relay_a = (a["ip"], a["port"])
        self.to = ok.get("to")
        self.target = gh.uri_of(ok.get("contact"))
        self.dialog = self.base[:1] + [("To", self.to)] + self.base[2:]
        self.caller.send(gh.build(f"ACK {self.target} SIP/2.0",
                                  [self.via(), ("Max-Forwards", "70")] + self.dialog +
                                  [("CSeq", "1 ACK")]))
        wait_msg(self.callee, lambda m: m.method == "ACK", 10, "the ACK at the callee")
        log("call established")

    def bye_from_caller(self):
        self.caller.send(gh.build(f"BYE {self.target} SIP/2.0",
                                  [self.via(), ("Max-Forwards", "70")] + self.dialog +
                                  [("CSeq", "2 BYE")]))
        bye = wait_msg(self.callee, lambda m: m.method == "BYE", 10, "the BYE at the callee")
        self.callee.send(gh.response_to(bye, 200, "OK"), self.callee.last_source)
        ok = wait_msg(self.caller, lambda m: m.is_response and "BYE" in m.get("cseq"), 10,
                      "the 200 to the caller's BYE")
        check(ok.status == 200, f"caller's BYE got {ok.status}")
        log("BYE done")


def exchange(call):
    """PACKETS each way; returns the problems found (empty = every packet arrived once, intact)."""
    problems = []
    tx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(call.answer_key),
                                            ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND))
    rx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(call.offer_key),
                                            ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND))
    c_ssrc, m_ssrc = random.getrandbits(32), random.getrandbits(32)
    c_seq0, m_seq0 = random.randrange(0, 60000), random.randrange(0, 60000)
    c_ts0, m_ts0 = random.getrandbits(32), random.getrandbits(32)
    got = {"c2m": {}, "m2c": {}}
    stun = [0]

    def take(sock, at_callee):
        for _ in range(1000):
            try:
                data, src = sock.recvfrom(65535)
            except BlockingIOError:
                return
            if data and data[0] < 4:
                # STUN (RFC 7983 demultiplexing): rtpengine runs ICE checks toward an offerer
                # whose SDP had candidates until the answer tells it otherwise; not media.
                stun[0] += 1
                continue
            want_src = call.relay_b if at_callee else call.relay_a
            if src != want_src:
                problems.append(f"packet from {src}, expected the engine's {want_src}")
            direction = "c2m" if at_callee else "m2c"
            if at_callee:
                try:
                    data = rx.unprotect(data)
                except pylibsrtp.Error as e:
                    problems.append(f"callee: SRTP packet did not authenticate/decrypt: {e}")
                    continue
            version, pt, seq, ts, ssrc, payload = mh.rtp_fields(data)
            i = int.from_bytes(payload[4:8], "big") if len(payload) >= 8 else -1
            if not 0 <= i < PACKETS:
                problems.append(f"{direction}: unknown packet (index {i}, pt {pt}, "
                                f"{len(data)} octets, ssrc {ssrc:08x}, {data[:16].hex()})")
                continue
            seq0, ts0, ssrc0 = (c_seq0, c_ts0, c_ssrc) if at_callee else (m_seq0, m_ts0, m_ssrc)
            want = ((seq0 + i) & 0xFFFF, (ts0 + 160 * i) & 0xFFFFFFFF, ssrc0,
                    mh.payload_for(direction, i))
            if (seq, ts, ssrc, payload) != want or version != 2 or pt != 0:
                problems.append(f"{direction} #{i}: header or payload changed")
            got[direction][i] = got[direction].get(i, 0) + 1

    call.caller_media.setblocking(False)
    call.callee_media.setblocking(False)
    start = time.monotonic()
    for i in range(PACKETS):
        call.caller_media.sendto(mh.rtp_packet(c_seq0 + i, c_ts0 + 160 * i, c_ssrc,
                                               mh.payload_for("c2m", i)), call.relay_a)
        plain = mh.rtp_packet(m_seq0 + i, m_ts0 + 160 * i, m_ssrc, mh.payload_for("m2c", i))
        call.callee_media.sendto(tx.protect(plain), call.relay_b)
        next_at = start + (i + 1) * INTERVAL
        while True:
            left = next_at - time.monotonic()
            if left <= 0:
                break
            select.select([call.caller_media, call.callee_media], [], [], left)
            take(call.caller_media, False)
            take(call.callee_media, True)
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and (len(got["c2m"]) < PACKETS or len(got["m2c"]) < PACKETS):
        select.select([call.caller_media, call.callee_media], [], [], 0.1)
        take(call.caller_media, False)
        take(call.callee_media, True)
    for direction in ("c2m", "m2c"):
        missing = [i for i in range(PACKETS) if i not in got[direction]]
        dup = [i for i, n in got[direction].items() if n != 1]
        if missing:
            problems.append(f"{direction}: {len(missing)} of {PACKETS} packets missing "
                            f"(first {missing[:5]})")
        if dup:
            problems.append(f"{direction}: packets received more than once: {dup[:5]}")
    log(f"media: {len(got['c2m'])} RTP->SRTP at the callee, {len(got['m2c'])} SRTP->RTP "
        f"at the caller, {stun[0]} STUN packet(s) ignored, {len(problems)} problem(s)")
    return problems[:20]


def wait_until(fn, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


# ---- one engine end to end --------------------------------------------------------------------

def run_engine(engine):
    tag = engine.name
    path = os.path.join(work, f"gatehouse-{tag}.toml")
    with open(path, "w") as f:
        f.write(GATEHOUSE_CONFIG.format(ng_ip=engine.ip_internal, ng_port=engine.ng_port,
                                        timeout=NG_TIMEOUT_MS, interfaces=engine.interfaces))
    g = gh.Gatehouse(BIN, path, f"/tmp/gh-ngclient-{os.getpid()}-{tag}.sock",
                     os.path.join(work, f"gatehouse-{tag}.log"))
    engine_stopped = False
    try:
        engine.start()
        log(f"{tag}: engine up, NG {engine.ip_internal}:{engine.ng_port}")
        g.start()
        s = g.stats()
        check("media_engine_requests" in s, f"gatehouse stats has no media engine figures: {s}")

        call = Call()
        try:
            call.setup(engine)
            listed = engine_calls(engine)
            check(call.call_id in listed, f"engine does not list the call during it: {listed}")
            s = g.stats()
            check(s["media_calls_active"] == 1, f"during the call: media figures {s}")
            calls = subprocess.run([BIN, "calls", "--control", g.control], capture_output=True,
                                   timeout=10)
            check(calls.returncode == 0 and call.call_id.encode() in calls.stdout,
                  f"gatehouse calls during the call: {calls.returncode} {calls.stdout[:300]!r}")
            problems = exchange(call)
            failures.extend(f"{tag}: {p}" for p in problems)
            call.bye_from_caller()
            left = wait_until(lambda: not engine_calls(engine), 5.0)
            check(left is True or left == [] or not engine_calls(engine),
                  f"after the BYE the engine still lists {engine_calls(engine)}")
            s = g.stats()
            check(s["media_calls_active"] == 0 and s["calls_active"] == 0,
                  f"after the BYE: stats {s}")
            check(s["media_engine_timeouts"] == 0 and s["media_engine_errors"] == 0,
                  f"NG timeouts/errors during a good call: {s}")
            engine.assert_drained()
            log(f"{tag}: delete reached the engine; no session left")
        finally:
            call.close()

        # A call without media: the engine drops it on its media timeout, gatehouse finds it
        # missing from the engine's list and sends BYE on both legs.
        call = Call()
        try:
            call.setup(engine)
            started = time.monotonic()
            bye_a = wait_msg(call.caller, lambda m: m.method == "BYE",
                             ENGINE_MEDIA_TIMEOUT_S + POLL_S + 8, "the BYE at the caller")
            call.caller.send(gh.response_to(bye_a, 200, "OK"), call.caller.last_source)
            bye_b = wait_msg(call.callee, lambda m: m.method == "BYE", 5, "the BYE at the callee")
            call.callee.send(gh.response_to(bye_b, 200, "OK"), call.callee.last_source)
            log(f"{tag}: engine media timeout -> BYE on both legs after "
                f"{time.monotonic() - started:.1f} s")
            check(wait_until(lambda: g.stats()["calls_active"] == 0, 5.0),
                  f"calls left after the media timeout: {g.stats()}")
            s = g.stats()
            check(s["media_engine_vanished"] == 1 and s["media_calls_active"] == 0,
                  f"after the media timeout: stats {s}")
            check(call.call_id not in engine_calls(engine), "the engine still lists the call")
        finally:
            call.close()

        # The engine goes away: the next INVITE fails 503 after the NG timeout, nothing reaches
        # the callee.
        engine.stop()
        engine_stopped = True
        call = Call()
        try:
            started = time.monotonic()
            call.send_invite()
            final = call.final_response(NG_TIMEOUT_MS / 1000.0 + 8)
            took = time.monotonic() - started
            check(final.status == 503, f"engine down: INVITE got {final.status}, not 503")
            check(took >= NG_TIMEOUT_MS / 1000.0 * 0.8,
                  f"engine down: 503 after {took:.2f} s, before the NG timeout")
            stray = call.callee.recv(0.3)
            check(stray is None or stray.method != "INVITE",
                  "engine down: the INVITE reached the callee anyway")
            call.caller.send(gh.build(f"ACK {call.ruri} SIP/2.0",
                                      [call.invite_via, ("Max-Forwards", "70")] + call.base[:1] +
                                      [("To", final.get("to"))] + call.base[2:] +
                                      [("CSeq", "1 ACK")]))
            s = g.stats()
            check(s["media_engine_timeouts"] >= 1, f"engine down: no NG timeout counted: {s}")
            log(f"{tag}: engine down -> 503 after {took:.2f} s")
        finally:
            call.close()
        idle = wait_until(lambda: g.stats()["calls_active"] == 0, 10.0)
        check(idle, f"calls left after the 503: {g.stats()}")
        log(f"{tag}: ok")
    except (mh.TestFailure, RuntimeError) as e:
        failures.append(f"{tag}: {e}")
    finally:
        code = g.stop()
        if code not in (0, None):
            failures.append(f"{tag}: gatehouse exited {code}")
        reports = g.sanitizer_reports()
        if reports:
            failures.append(f"{tag}: gatehouse sanitizer reports: {reports[:5]}")
        if not engine_stopped:
            engine.stop()
        if any(f.startswith(tag) for f in failures):
            print(f"---- gatehouse log ({tag}) ----\n{g.log()[-6000:]}")
            print(f"---- engine log ({tag}) ----\n{engine.log()[-4000:]}")


def main():
    run_engine(OwnEngine())
    if RTPENGINE:
        run_engine(Rtpengine())
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures) + f"\n(configs and logs in {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    if not RTPENGINE:
        print("SKIP: gatehouse media part passed; rtpengine is not installed "
              "(apt-get install rtpengine-daemon) for the rtpengine part")
        return 77
    print("OK: signaling-only gatehouse run over NG with gatehouse media and rtpengine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
