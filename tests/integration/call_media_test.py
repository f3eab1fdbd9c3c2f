#!/usr/bin/python3
"""The seed call end to end in one process: `gatehouse run` relays SIP and anchors the media
in-process (the B2BUA drives the relay through call::MediaBridge), plain RTP toward the caller,
SDES-SRTP toward the far peer.

  caller (Python, peer "pbx")    gatehouse run                 callee (Python, peer "far")
  127.0.12.2:5062  --SIP-->  127.0.12.5:5060 | 127.0.13.5:5060  --SIP-->  127.0.13.2:5064
  RTP/AVP PCMU 127.0.12.2:<p> <--RTP--> media 127.0.12.5 | 127.0.13.5 <--SRTP--> 127.0.13.2:<q>

Case 1 (call): the callee receives RTP/SAVP with exactly one AES_CM_128_HMAC_SHA1_80 crypto line,
no ICE and no rtcp-mux line, c= gatehouse's external address, and answers RTP/SAVP with its own
key; the caller's 200 carries plain RTP/AVP on gatehouse's internal address. PACKETS RTP packets
from the caller arrive at the callee as SRTP (decrypted with pylibsrtp and the offer's key) and
PACKETS SRTP packets from the callee arrive at the caller as plain RTP, each exactly once and
intact. After the BYE every call, stream and port figure of `gatehouse stats` is back to 0.
Case 2 (media timeout): [media] timeout_s = 2, no RTP: both legs get a BYE within a few seconds
and the figures go back to 0.
Case 3 (failover to another interface and policy): the route tries "far" (SRTP, external) then
"backup" (plain RTP, interface "backup" 127.0.18.5, callee 127.0.18.2:5066); "far" answers 503,
so the offer must be made again: "backup" gets RTP/AVP without crypto on 127.0.18.5, RTP flows
both ways through the new ports, and the first offer's ports are released.
All: gatehouse exits on SIGTERM with no sanitizer report.

Usage: call_media_test.py GATEHOUSE_BIN SHARED_DIR"""
import base64
import os
import random
import select
import socket
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
GH_INTERNAL, GH_EXTERNAL = "127.0.12.5", "127.0.13.5"
CALLER = ("127.0.12.2", 5062)
CALLEE = ("127.0.13.2", 5064)
GH_BACKUP, BACKUP = "127.0.18.5", ("127.0.18.2", 5066)
PACKETS = int(os.environ.get("GH_CALLMEDIA_PACKETS", "100"))
INTERVAL = 0.005

T0 = time.monotonic()
work = tempfile.mkdtemp(prefix="gh-callmedia-")
failures = []


def log(msg):
    print(f"[{time.monotonic() - T0:6.2f}] {msg}", flush=True)


def check(cond, what):
    if not cond:
        raise mh.TestFailure(what)


CONFIG = """
[sbc]
fqdn = "sbc.example.com"

[media]
timeout_s = {timeout}

[[interface]]
name        = "internal"
address     = "127.0.12.5"
sip         = ["udp:5060"]
media_ports = "31000-31099"

[[interface]]
name        = "external"
address     = "127.0.13.5"
sip         = ["udp:5060"]
media_ports = "51000-51099"

[[interface]]
name        = "backup"
address     = "127.0.18.5"
sip         = ["udp:5060"]
media_ports = "52000-52099"

[[peer]]
name      = "pbx"
interface = "internal"
transport = "udp"
address   = "127.0.12.2:5062"
media     = {{ mode = "rtp" }}

[[peer]]
name      = "far"
interface = "external"
transport = "udp"
address   = "127.0.13.2:5064"
media     = {{ mode = "srtp", srtp_suites = ["AES_CM_128_HMAC_SHA1_80"] }}

[[peer]]
name      = "backup"
interface = "backup"
transport = "udp"
address   = "127.0.18.2:5066"
media     = {{ mode = "rtp" }}

[[route]]
name    = "failover"
match   = {{ from_peer = "pbx", request_uri = "^sip:failover@" }}
to_peer = ["far", "backup"]

[[route]]
name    = "to-far"
match   = {{ from_peer = "pbx" }}
to_peer = "far"
"""


def start_gatehouse(tag, timeout):
    path = os.path.join(work, f"{tag}.toml")
    with open(path, "w") as f:
        f.write(CONFIG.format(timeout=timeout))
    g = gh.Gatehouse(BIN, path, f"/tmp/gh-callmedia-{os.getpid()}-{tag}.sock",
                     os.path.join(work, f"gatehouse-{tag}.log"))
    g.start()
    return g


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
    """One call placed by the caller through gatehouse and answered by the callee."""

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

    def setup(self):
        offer = caller_offer(self.caller_media.getsockname()[1])
        self.base = [("From", f"<sip:5000@{CALLER[0]}>;tag={self.ftag}"),
                     ("To", f"<{self.ruri}>"), ("Call-ID", self.call_id)]
        self.caller.send(gh.build(f"INVITE {self.ruri} SIP/2.0",
                                  [self.via(), ("Max-Forwards", "70")] + self.base +
                                  [("CSeq", "1 INVITE"),
                                   ("Contact", f"<sip:5000@{CALLER[0]}:{CALLER[1]}>"),
                                   ("Content-Type", "application/sdp")], offer))
        log("caller: INVITE sent (RTP/AVP PCMU, ICE attributes)")
        invite = wait_msg(self.callee, lambda m: m.method == "INVITE", 10, "the INVITE at the callee")
        self.callee_src = self.callee.last_source
        self.b_invite = invite
        text = invite.body.decode()
        log(f"callee: INVITE received; SDP:\n{text}")
        o = mh.parse_sdp(text)
        check(o["proto"] == "RTP/SAVP", f"callee's offer is {o['proto']}, not RTP/SAVP")
        check(len(o["cryptos"]) == 1, f"callee's offer has {len(o['cryptos'])} crypto lines")
        check(o["cryptos"][0][1] == mh.SUITE, f"callee's offer suite {o['cryptos'][0][1]}")
        check(o["ip"] == GH_EXTERNAL, f"callee's offer c= {o['ip']}, not {GH_EXTERNAL}")
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
        log("callee: 200 sent (RTP/SAVP with its own key)")
        ok = wait_msg(self.caller, lambda m: m.is_response and "INVITE" in m.get("cseq")
                      and m.status >= 200, 10, "the caller's final response")
        check(ok.status == 200, f"caller got {ok.status} to the INVITE")
        a = mh.parse_sdp(ok.body.decode())
        log(f"caller: 200 received; SDP:\n{ok.body.decode()}")
        check(a["proto"] == "RTP/AVP", f"caller's answer is {a['proto']}, not RTP/AVP")
        check(not a["cryptos"], "caller's answer carries crypto lines")
        check(a["ip"] == GH_INTERNAL, f"caller's answer c= {a['ip']}, not {GH_INTERNAL}")
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

    def take(sock, at_callee):
        while True:
            try:
                data, src = sock.recvfrom(65535)
            except BlockingIOError:
                return
            want_src = call.relay_b if at_callee else call.relay_a
            if src != want_src:
                problems.append(f"packet from {src}, expected the relay's {want_src}")
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
                problems.append(f"{direction}: unknown packet (index {i})")
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
        f"at the caller, {len(problems)} problem(s)")
    return problems[:20]


MEDIA_ZERO = ("calls_active", "media_calls_active", "media_streams_active", "media_ports_in_use")


def wait_zero(g, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        s = g.stats()
        if all(s.get(k) == 0 for k in MEDIA_ZERO) or time.monotonic() > deadline:
            return s
        time.sleep(0.2)


def case_call():
    g = start_gatehouse("call", 60)
    call = Call()
    try:
        s = g.stats()
        check("media_ports_in_use" in s, f"gatehouse stats has no media figures: {s}")
        call.setup()
        s = g.stats()
        check(s["media_calls_active"] == 1 and s["media_streams_active"] >= 1,
              f"during the call: media figures {s}")
        problems = exchange(call)
        if problems:
            failures.extend(problems)
        s = g.stats()
        log(f"stats after media: packets_relayed={s['media_packets_relayed']} "
            f"srtp_auth_failures={s['media_srtp_auth_failures']}")
        check(s["media_packets_relayed"] >= 2 * PACKETS,
              f"media_packets_relayed {s['media_packets_relayed']} < {2 * PACKETS}")
        check(s["media_srtp_auth_failures"] == 0,
              f"{s['media_srtp_auth_failures']} SRTP auth failures counted")
        call.bye_from_caller()
        s = wait_zero(g)
        bad = {k: s.get(k) for k in MEDIA_ZERO if s.get(k) != 0}
        check(not bad, f"after the BYE, figures not back to 0: {bad}")
        log("case call: ok")
    except mh.TestFailure as e:
        failures.append(f"call: {e}")
    finally:
        call.close()
        finish(g, "call")


def case_timeout():
    g = start_gatehouse("timeout", 2)
    call = Call()
    try:
        call.setup()
        started = time.monotonic()
        # No RTP: both legs must get a BYE (answered 200) within a few seconds.
        bye_a = wait_msg(call.caller, lambda m: m.method == "BYE", 10, "the BYE at the caller")
        call.caller.send(gh.response_to(bye_a, 200, "OK"), call.caller.last_source)
        bye_b = wait_msg(call.callee, lambda m: m.method == "BYE", 10, "the BYE at the callee")
        call.callee.send(gh.response_to(bye_b, 200, "OK"), call.callee.last_source)
        log(f"media timeout: BYE on both legs after {time.monotonic() - started:.1f} s")
        s = wait_zero(g)
        bad = {k: s.get(k) for k in MEDIA_ZERO if s.get(k) != 0}
        check(not bad, f"after the timeout, figures not back to 0: {bad}")
        check(s.get("media_timeouts_hung_up", 0) >= 1, f"no media timeout counted: {s}")
        log("case timeout: ok")
    except mh.TestFailure as e:
        failures.append(f"timeout: {e}")
    finally:
        call.close()
        finish(g, "timeout")


def case_failover():
    g = start_gatehouse("failover", 60)
    caller = gh.UdpChannel(CALLER, (GH_INTERNAL, 5060))
    far = gh.UdpChannel(CALLEE, None)
    backup = gh.UdpChannel(BACKUP, None)
    caller_media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    caller_media.bind((CALLER[0], 0))
    backup_media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    backup_media.bind((BACKUP[0], 0))
    try:
        ruri = "sip:failover@um.example.net"
        call_id, ftag = gh.token(16) + "@" + CALLER[0], gh.token()
        base = [("From", f"<sip:5000@{CALLER[0]}>;tag={ftag}"), ("To", f"<{ruri}>"),
                ("Call-ID", call_id)]
        via = ("Via", f"SIP/2.0/UDP {CALLER[0]}:{CALLER[1]};branch=z9hG4bK{gh.token()};rport")
        caller.send(gh.build(f"INVITE {ruri} SIP/2.0",
                             [via, ("Max-Forwards", "70")] + base +
                             [("CSeq", "1 INVITE"),
                              ("Contact", f"<sip:5000@{CALLER[0]}:{CALLER[1]}>"),
                              ("Content-Type", "application/sdp")],
                             caller_offer(caller_media.getsockname()[1])))
        first = wait_msg(far, lambda m: m.method == "INVITE", 10, "the INVITE at far")
        check(mh.parse_sdp(first.body.decode())["proto"] == "RTP/SAVP",
              "far's offer is not SRTP")
        far.send(gh.response_to(first, 503, "Service Unavailable", to_tag=gh.token()),
                 far.last_source)
        wait_msg(far, lambda m: m.method == "ACK", 10, "the ACK of the 503 at far")
        invite = wait_msg(backup, lambda m: m.method == "INVITE", 10, "the INVITE at backup")
        o = mh.parse_sdp(invite.body.decode())
        log(f"backup: INVITE received after failover; SDP:\n{invite.body.decode()}")
        check(o["proto"] == "RTP/AVP", f"backup's offer is {o['proto']}, not RTP/AVP")
        check(not o["cryptos"], "backup's offer carries crypto lines")
        check(o["ip"] == GH_BACKUP, f"backup's offer c= {o['ip']}, not {GH_BACKUP}")
        answer = (f"v=0\r\no=b 1 1 IN IP4 {BACKUP[0]}\r\ns=-\r\nc=IN IP4 {BACKUP[0]}\r\n"
                  f"t=0 0\r\nm=audio {backup_media.getsockname()[1]} RTP/AVP 0\r\n"
                  f"a=rtpmap:0 PCMU/8000\r\n").encode()
        backup.send(gh.response_to(invite, 200, "OK",
                                   [("Contact", f"<sip:b@{BACKUP[0]}:{BACKUP[1]}>"),
                                    ("Content-Type", "application/sdp")], answer,
                                   to_tag=gh.token()), backup.last_source)
        ok = wait_msg(caller, lambda m: m.is_response and "INVITE" in m.get("cseq")
                      and m.status >= 200, 10, "the caller's final response")
        check(ok.status == 200, f"caller got {ok.status}")
        a = mh.parse_sdp(ok.body.decode())
        check(a["ip"] == GH_INTERNAL and a["proto"] == "RTP/AVP", f"caller's answer {a}")
        target = gh.uri_of(ok.get("contact"))
        dialog = base[:1] + [("To", ok.get("to"))] + base[2:]
        caller.send(gh.build(f"ACK {target} SIP/2.0", [via, ("Max-Forwards", "70")] + dialog +
                             [("CSeq", "1 ACK")]))
        wait_msg(backup, lambda m: m.method == "ACK", 10, "the ACK at backup")
        s = g.stats()
        check(s["media_calls_active"] == 1 and s["media_streams_active"] == 1,
              f"after failover the media figures hold the first offer too: {s}")
        # A few packets each way through the re-made offer's ports.
        for sock in (caller_media, backup_media):
            sock.settimeout(2.0)
        got = 0
        for i in range(5):
            caller_media.sendto(mh.rtp_packet(100 + i, 160 * i, 0x1234, mh.payload_for("c2m", i)),
                                (a["ip"], a["port"]))
            backup_media.sendto(mh.rtp_packet(200 + i, 160 * i, 0x5678, mh.payload_for("m2c", i)),
                                (o["ip"], o["port"]))
            for sock, direction in ((backup_media, "c2m"), (caller_media, "m2c")):
                data, _ = sock.recvfrom(2048)
                got += mh.rtp_fields(data)[5] == mh.payload_for(direction, i)
        check(got == 10, f"{got} of 10 RTP packets crossed after failover")
        caller.send(gh.build(f"BYE {target} SIP/2.0", [via, ("Max-Forwards", "70")] + dialog +
                             [("CSeq", "2 BYE")]))
        bye = wait_msg(backup, lambda m: m.method == "BYE", 10, "the BYE at backup")
        backup.send(gh.response_to(bye, 200, "OK"), backup.last_source)
        wait_msg(caller, lambda m: m.is_response and "BYE" in m.get("cseq"), 10, "200 to BYE")
        s = wait_zero(g)
        bad = {k: s.get(k) for k in MEDIA_ZERO if s.get(k) != 0}
        check(not bad, f"after the failover call, figures not back to 0: {bad}")
        log("case failover: ok")
    except (mh.TestFailure, socket.timeout) as e:
        failures.append(f"failover: {e}")
    finally:
        for c in (caller, far, backup):
            c.close()
        caller_media.close()
        backup_media.close()
        finish(g, "failover")


def finish(g, tag):
    code = g.stop()
    if code != 0:
        failures.append(f"{tag}: gatehouse exited {code}")
    reports = g.sanitizer_reports()
    if reports:
        failures.append(f"{tag}: sanitizer reports: {reports[:5]}")
    if failures:
        print(g.log()[-6000:])


def main():
    case_call()
    case_timeout()
    case_failover()
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("OK: call media end to end (RTP <-> SRTP), media timeout, failover re-offer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
