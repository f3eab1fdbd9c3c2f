#!/usr/bin/python3
"""Interop: real Kamailio 5.6 with its rtpengine module driving `gatehouse media` over NG, the
seed's exact rtpengine_manage() flags, and media relayed RTP <-> SDES-SRTP, packet by packet.

  PBX (Python UAC)          Kamailio                Microsoft (Python UAS)
  127.0.7.2:5062  --SIP-->  127.0.7.1:5060  --SIP-->  127.0.8.2:5064
  plain RTP/AVP                 | NG udp:127.0.0.1:<free port>      RTP/SAVP a=crypto
  127.0.7.2:<p>  <--RTP-->  gatehouse media              <--SRTP-->  127.0.8.2:<q>
                            127.0.7.5 internal, 127.0.8.5 external

The config is examples/media-loopback.toml (the contract) with NG on a free port and the
interfaces moved to 127.0.7.5 / 127.0.8.5. The Python UAC/UAS keep the SDP exact: the PBX
offers plain PCMU (+ telephone-event, and ICE attributes that ICE=remove must strip); the
Microsoft side answers RTP/SAVP with a fresh AES_CM_128_HMAC_SHA1_80 key on the offered tag.

Checks: every SIP step succeeds through Kamailio; the SDP the callee receives is RTP/SAVP on
127.0.8.5 with an AES_CM_128_HMAC_SHA1_80 key and no ICE; the SDP the caller receives is plain
RTP/AVP on 127.0.7.5; N packets each way arrive exactly once, from the relay's advertised
address, with sequence, timestamp, SSRC and payload intact; every SRTP packet authenticates and
decrypts with the key of the offer the callee received (pylibsrtp = libsrtp2); 10 RTCP
compounds each way on the a=rtcp ports arrive byte for byte (SRTCP on the callee side); gatehouse's
figures agree (no auth failures); after the BYE (rtpengine_delete) every leak figure is 0;
Kamailio logged no rtpengine failure; gatehouse exits 0 on SIGTERM with no sanitizer report.

Usage: media_kamailio_test.py GATEHOUSE_BIN SHARED_DIR PROJECT_SOURCE_DIR"""
import base64
import os
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import media_harness as mh  # noqa: E402

try:
    import pylibsrtp  # Debian python3-pylibsrtp
except ImportError:
    print("SKIP/FAIL: python3-pylibsrtp is not installed (apt-get install python3-pylibsrtp)")
    sys.exit(1)

BIN, SHARED, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
KAMAILIO = os.environ.get("GH_KAMAILIO", "/usr/sbin/kamailio")
MPATH = os.environ.get("GH_KAMAILIO_MPATH", "/usr/lib/x86_64-linux-gnu/kamailio/modules/")

PROXY = ("127.0.7.1", 5060)
UAC = ("127.0.7.2", 5062)     # the PBX
UAS = ("127.0.8.2", 5064)     # the Microsoft side
INTERNAL = ("127.0.7.5", "30000-30199")
EXTERNAL = ("127.0.8.5", "50000-50199")
SBC_DOMAIN = "sbc-o365.example.com"
TO_DOMAIN = "um.example.net"
PACKETS = int(os.environ.get("GH_INTEROP_PACKETS", "200"))
INTERVAL = 0.010  # seconds between packets, each direction


def log(msg):
    print(f"[{time.monotonic() - T0:6.2f}] {msg}", flush=True)


T0 = time.monotonic()


# ---- SIP --------------------------------------------------------------------------------------

def rand(n=10):
    return "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


class Sip:
    def __init__(self, raw):
        self.raw = raw
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode(errors="replace").split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip().lower(), value.strip()))
        parts = self.start.split(" ", 2)
        self.status = int(parts[1]) if parts[0] == "SIP/2.0" else None
        self.method = None if self.status else parts[0]

    COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
               "l": "content-length", "c": "content-type"}

    def all(self, name):
        return [v for n, v in self.headers if self.COMPACT.get(n, n) == name]

    def get(self, name):
        values = self.all(name)
        return values[0] if values else ""

    def cseq_method(self):
        return self.get("cseq").split()[-1] if self.get("cseq") else ""


def build(start, headers, body=b""):
    text = start + "\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    if body:
        text += "Content-Type: application/sdp\r\n"
    text += f"Content-Length: {len(body)}\r\n\r\n"
    return text.encode() + body


def uri_of(value):
    return value[value.index("<") + 1:value.index(">")] if "<" in value else value.split(";")[0]


class Endpoint:
    def __init__(self, addr):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(addr)
        self.addr = addr

    def send(self, data, to):
        self.sock.sendto(data, to)

    def recv(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, src = self.sock.recvfrom(65535)
            return Sip(data), src
        except socket.timeout:
            return None, None

    def close(self):
        self.sock.close()


def pbx_sdp(ip, port):
    # Like the seed's CUCM offer but plain RTP/AVP (the PBX side), plus ICE attributes that the
    # seed's ICE=remove must strip before the offer reaches the Microsoft side.
    return ("v=0\r\n"
            f"o=CiscoSystemsCCM-SIP 94213 1 IN IP4 {ip}\r\n"
            "s=SIP Call\r\n"
            f"c=IN IP4 {ip}\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=ptime:20\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-15\r\n"
            "a=sendrecv\r\n"
            f"a=rtcp:{port + 1}\r\n"
            "a=ice-ufrag:Xk9q\r\n"
            "a=ice-pwd:asd88fgpdd777uzjYhagZgasdfrt\r\n"
            f"a=candidate:1 1 UDP 2130706431 {ip} {port} typ host\r\n").encode()


def ms_sdp(ip, port, tag, key):
    # Like the seed's Microsoft answer.
    return ("v=0\r\n"
            f"o=- 85 0 IN IP4 {ip}\r\n"
            "s=session\r\n"
            f"c=IN IP4 {ip}\r\n"
            "b=CT:10000000\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/SAVP 0 101\r\n"
            f"c=IN IP4 {ip}\r\n"
            "a=label:main-audio\r\n"
            "a=sendrecv\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16,36\r\n"
            "a=ptime:20\r\n"
            f"a=crypto:{tag} {mh.SUITE} inline:{key}\r\n").encode()


class Uas:
    """The Microsoft side: answers the INVITE with RTP/SAVP and a fresh key, answers BYE."""

    def __init__(self, media_port):
        self.ep = Endpoint(UAS)
        self.media_port = media_port
        self.key = mh.new_key_b64()
        self.offer = None      # the SDP gatehouse offered us (via Kamailio)
        self.ok = None
        self.to_tag = rand()
        self.got_bye = False

    def answer(self, req, code, reason, body=b""):
        headers = [("Via", v) for v in req.all("via")]
        headers += [("Record-Route", v) for v in req.all("record-route")]
        to = req.get("to")
        if ";tag=" not in to:
            to += f";tag={self.to_tag}"
        headers += [("From", req.get("from")), ("To", to), ("Call-ID", req.get("call-id")),
                    ("CSeq", req.get("cseq")),
                    ("Contact", f"<sip:ms@{UAS[0]}:{UAS[1]}>")]
        return build(f"SIP/2.0 {code} {reason}", headers, body)

    def pump(self, timeout):
        """Handles what arrives within timeout; returns the requests seen."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            msg, src = self.ep.recv(deadline - time.monotonic())
            if msg is None:
                return seen
            if msg.status is not None:
                continue
            seen.append(msg.method)
            if msg.method == "INVITE":
                if self.ok is None:
                    self.offer = mh.parse_sdp(msg.body.decode())
                    suites = [c for c in self.offer["cryptos"] if c[1] == mh.SUITE]
                    mh.check(suites, f"offer to the Microsoft side has no {mh.SUITE}:\n"
                             f"{msg.body.decode()}")
                    self.tag = suites[0][0]
                    self.rx_key = suites[0][2]
                    self.offer_text = msg.body.decode()
                    self.ok = self.answer(msg, 200, "OK",
                                          ms_sdp(UAS[0], self.media_port, self.tag, self.key))
                self.ep.send(self.ok, src)
            elif msg.method == "BYE":
                self.got_bye = True
                self.ep.send(self.answer(msg, 200, "OK"), src)
            elif msg.method != "ACK":
                self.ep.send(self.answer(msg, 501, "Not Implemented"), src)


class Uac:
    """The PBX side: INVITE through Kamailio, ACK and BYE along the route set."""

    def __init__(self, media_port):
        self.ep = Endpoint(UAC)
        self.media_port = media_port
        self.call_id = f"{rand(16)}@{UAC[0]}"
        self.from_tag = rand()
        self.cseq = 101

    def via(self):
        return f"SIP/2.0/UDP {UAC[0]}:{UAC[1]};branch=z9hG4bK{rand(12)};rport"

    def invite(self):
        self.invite_via = self.via()
        self.from_hdr = f"\"PBX 10048\" <sip:10048@{UAC[0]}>;tag={self.from_tag}"
        self.to_hdr = f"<sip:87000@{SBC_DOMAIN}>"
        headers = [("Via", self.invite_via), ("Max-Forwards", "70"), ("From", self.from_hdr),
                   ("To", self.to_hdr), ("Call-ID", self.call_id), ("CSeq", f"{self.cseq} INVITE"),
                   ("Contact", f"<sip:10048@{UAC[0]}:{UAC[1]}>"), ("User-Agent", "Cisco-CUCM9.1")]
        return build(f"INVITE sip:87000@{SBC_DOMAIN} SIP/2.0", headers,
                     pbx_sdp(UAC[0], self.media_port))

    def in_dialog(self, method, cseq):
        headers = [("Via", self.via()), ("Max-Forwards", "70")]
        headers += [("Route", r) for r in self.route]
        headers += [("From", self.from_hdr), ("To", self.remote_to), ("Call-ID", self.call_id),
                    ("CSeq", f"{cseq} {method}")]
        return build(f"{method} {self.target} SIP/2.0", headers)

    def accept(self, ok):
        self.remote_to = ok.get("to")
        self.route = list(reversed(ok.all("record-route")))
        self.target = uri_of(ok.get("contact"))
        self.answer_text = ok.body.decode()
        self.answer = mh.parse_sdp(self.answer_text)


def run_sip_until(uac, uas, want, timeout, what):
    """Pumps both sides until the UAC receives a final response to `want` (a CSeq method)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        uas.pump(0.01)
        msg, _ = uac.ep.recv(0.01)
        if msg is not None and msg.status and msg.cseq_method() == want and msg.status >= 200:
            return msg
    raise mh.TestFailure(f"{what}: no final response within {timeout} s")


# ---- processes --------------------------------------------------------------------------------

class Kamailio:
    def __init__(self, tmp, ng_port):
        with open(os.path.join(HERE, "kamailio", "media-interop.cfg.in")) as f:
            cfg = f.read()
        subs = {"PROXY_IP": PROXY[0], "PROXY_PORT": str(PROXY[1]), "SBC_DOMAIN": SBC_DOMAIN,
                "MPATH": MPATH, "NG_ADDR": f"127.0.0.1:{ng_port}",
                "NEXT_HOP": f"{UAS[0]}:{UAS[1]}", "TO_DOMAIN": TO_DOMAIN}
        for k, v in subs.items():
            cfg = cfg.replace(f"@{k}@", v)
        left = re.findall(r"@[A-Z_]+@", cfg)
        mh.check(not left, f"kamailio template: unsubstituted {left}")
        self.cfg = os.path.join(tmp, "kamailio.cfg")
        with open(self.cfg, "w") as f:
            f.write(cfg)
        self.rundir = os.path.join(tmp, "kamailio-run")
        os.makedirs(self.rundir, exist_ok=True)
        self.log_path = os.path.join(tmp, "kamailio.log")
        self.proc = None

    def start(self, timeout=20.0):
        self.err = open(self.log_path, "ab")
        # Own session: Kamailio forks its workers; a last-resort SIGKILL goes to this group only.
        self.proc = subprocess.Popen(
            [KAMAILIO, "-f", self.cfg, "-DD", "-E", "-m", "64", "-M", "8", "-Y", self.rundir,
             "-P", os.path.join(self.rundir, "kamailio.pid")],
            stdin=subprocess.DEVNULL, stdout=self.err, stderr=subprocess.STDOUT,
            start_new_session=True)
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(("127.0.7.3", 0))
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise mh.TestFailure(f"kamailio exited {self.proc.returncode}:\n{self.log()}")
                port = probe.getsockname()[1]
                options = build("OPTIONS sip:probe@127.0.7.1 SIP/2.0", [
                    ("Via", f"SIP/2.0/UDP 127.0.7.3:{port};branch=z9hG4bK{rand()}"),
                    ("Max-Forwards", "70"), ("From", f"<sip:probe@127.0.7.3>;tag={rand()}"),
                    ("To", "<sip:probe@127.0.7.1>"), ("Call-ID", rand()), ("CSeq", "1 OPTIONS")])
                probe.sendto(options, PROXY)
                r, _, _ = select.select([probe], [], [], 0.3)
                if r:
                    probe.recvfrom(65535)
                    return
        finally:
            probe.close()
        raise mh.TestFailure(f"kamailio did not answer within {timeout} s:\n{self.log()}")

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.err.close()


# ---- media ------------------------------------------------------------------------------------

def media_exchange(pbx_sock, ms_sock, to_relay_a, to_relay_b, tx_key, rx_key):
    """PACKETS each way; returns a list of problems (empty when every packet was right)."""
    problems = []
    srtp_tx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(tx_key),
                                                 ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND))
    srtp_rx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(rx_key),
                                                 ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND))
    p_ssrc, m_ssrc = random.getrandbits(32), random.getrandbits(32)
    p_seq0, m_seq0 = random.randrange(0, 60000), random.randrange(0, 60000)
    p_ts0, m_ts0 = random.getrandbits(32), random.getrandbits(32)
    got_at_ms, got_at_pbx = {}, {}  # index -> count
    auth_failures = 0

    def expect(i, direction, seq0, ts0, ssrc):
        return ((seq0 + i) & 0xFFFF, (ts0 + 160 * i) & 0xFFFFFFFF, ssrc,
                mh.payload_for(direction, i))

    def take(sock, is_ms):
        nonlocal auth_failures
        while True:
            try:
                data, src = sock.recvfrom(65535)
            except BlockingIOError:
                return
            want_src = to_relay_b if is_ms else to_relay_a
            if src != want_src:
                problems.append(f"{'MS' if is_ms else 'PBX'} got a packet from {src}, "
                                f"expected the relay's {want_src}")
            if is_ms:
                try:
                    data = srtp_rx.unprotect(data)
                except pylibsrtp.Error as e:
                    auth_failures += 1
                    if auth_failures == 1:
                        problems.append(f"MS: SRTP packet did not authenticate/decrypt: {e}")
                    continue
            version, pt, seq, ts, ssrc, payload = mh.rtp_fields(data)
            direction = "p2ms" if is_ms else "ms2p"
            i = int.from_bytes(payload[4:8], "big") if len(payload) >= 8 else -1
            if not 0 <= i < PACKETS:
                problems.append(f"{direction}: unknown packet (index {i}, seq {seq})")
                continue
            want = expect(i, direction, *((p_seq0, p_ts0, p_ssrc) if is_ms
                                          else (m_seq0, m_ts0, m_ssrc)))
            if (seq, ts, ssrc, payload) != want or version != 2 or pt != 0:
                problems.append(f"{direction} #{i}: got v{version} pt {pt} seq {seq} ts {ts} "
                                f"ssrc {ssrc:#x} len {len(payload)}; want seq {want[0]} "
                                f"ts {want[1]} ssrc {want[2]:#x} and the sent payload")
            book = got_at_ms if is_ms else got_at_pbx
            book[i] = book.get(i, 0) + 1

    pbx_sock.setblocking(False)
    ms_sock.setblocking(False)
    start = time.monotonic()
    for i in range(PACKETS):
        pbx_sock.sendto(mh.rtp_packet(p_seq0 + i, p_ts0 + 160 * i, p_ssrc,
                                      mh.payload_for("p2ms", i), marker=(i == 0)), to_relay_a)
        plain = mh.rtp_packet(m_seq0 + i, m_ts0 + 160 * i, m_ssrc, mh.payload_for("ms2p", i),
                              marker=(i == 0))
        ms_sock.sendto(srtp_tx.protect(plain), to_relay_b)
        next_at = start + (i + 1) * INTERVAL
        while True:
            left = next_at - time.monotonic()
            if left <= 0:
                break
            select.select([pbx_sock, ms_sock], [], [], left)
            take(pbx_sock, False)
            take(ms_sock, True)
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and (len(got_at_ms) < PACKETS or len(got_at_pbx) < PACKETS):
        select.select([pbx_sock, ms_sock], [], [], 0.05)
        take(pbx_sock, False)
        take(ms_sock, True)
    for name, book in (("PBX -> Microsoft (RTP -> SRTP)", got_at_ms),
                       ("Microsoft -> PBX (SRTP -> RTP)", got_at_pbx)):
        missing = [i for i in range(PACKETS) if i not in book]
        dups = [i for i, n in book.items() if n > 1]
        log(f"{name}: {len(book)}/{PACKETS} arrived, {len(missing)} missing, "
            f"{len(dups)} duplicated")
        if missing:
            problems.append(f"{name}: {len(missing)} packets missing, first {missing[:10]}")
        if dups:
            problems.append(f"{name}: duplicated packets {dups[:10]}")
    if auth_failures:
        problems.insert(0, f"{auth_failures} SRTP packets failed to authenticate at the "
                        "Microsoft side (key of the offer it received)")
    return problems, auth_failures


def socket_pair(ip):
    """Two UDP sockets on ports p (even) and p + 1: a peer's RTP and RTCP (SDP a=rtcp default)."""
    for _ in range(200):
        port = random.randrange(20000, 29998, 2)
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            rtp.bind((ip, port))
            rtcp.bind((ip, port + 1))
            return rtp, rtcp
        except OSError:
            rtp.close()
            rtcp.close()
    raise mh.TestFailure(f"no free even/odd UDP port pair on {ip}")


def sender_report(ssrc, n):
    """An RTCP SR (no report blocks) followed by an SDES CNAME: a compound packet."""
    sr = struct.pack("!BBHIIIIII", 0x80, 200, 6, ssrc, 0x83AA7E80 + n, n << 16, 160 * n, n, 160 * n)
    cname = b"gh-interop"
    item = bytes([1, len(cname)]) + cname + b"\0"
    item += b"\0" * ((-(4 + len(item))) % 4)
    sdes = struct.pack("!BBHI", 0x81, 202, (4 + len(item)) // 4, ssrc) + item
    return sr + sdes


def rtcp_exchange(pbx_sock, ms_sock, to_relay_a, to_relay_b, tx_key, rx_key, count=10):
    """count RTCP compounds each way on the RTCP ports: plain from the PBX side, SRTCP from the
    Microsoft side; each must arrive once, byte for byte, SRTCP authenticating."""
    problems = []
    tx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(tx_key),
                                            ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND))
    rx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(rx_key),
                                            ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND))
    p_ssrc, m_ssrc = random.getrandbits(32), random.getrandbits(32)
    sent_p = [sender_report(p_ssrc, n) for n in range(count)]
    sent_m = [sender_report(m_ssrc, n) for n in range(count)]
    got_p, got_m = [], []
    pbx_sock.setblocking(False)
    ms_sock.setblocking(False)

    def drain():
        for sock, book, srtcp in ((pbx_sock, got_p, False), (ms_sock, got_m, True)):
            while True:
                try:
                    data, _ = sock.recvfrom(65535)
                except BlockingIOError:
                    break
                if srtcp:
                    try:
                        data = rx.unprotect_rtcp(data)
                    except pylibsrtp.Error as e:
                        problems.append(f"MS: SRTCP packet did not authenticate/decrypt: {e}")
                        continue
                book.append(data)

    for n in range(count):
        pbx_sock.sendto(sent_p[n], to_relay_a)
        ms_sock.sendto(tx.protect_rtcp(sent_m[n]), to_relay_b)
        time.sleep(0.02)
        drain()
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline and (len(got_m) < count or len(got_p) < count):
        select.select([pbx_sock, ms_sock], [], [], 0.05)
        drain()
    if sorted(got_m) != sorted(sent_p):
        problems.append(f"RTCP PBX -> Microsoft: {len(got_m)}/{count} arrived, "
                        f"{sum(1 for x in got_m if x in sent_p)} byte-identical after SRTCP")
    if sorted(got_p) != sorted(sent_m):
        problems.append(f"SRTCP Microsoft -> PBX: {len(got_p)}/{count} arrived, "
                        f"{sum(1 for x in got_p if x in sent_m)} byte-identical after decrypt")
    log(f"RTCP: PBX -> Microsoft {len(got_m)}/{count}, Microsoft -> PBX {len(got_p)}/{count}")
    return problems


# ---- the test ---------------------------------------------------------------------------------

def main():
    tmp = tempfile.mkdtemp(prefix="gh-media-kam-")
    ng_port = mh.free_udp_port()
    cfg_path = os.path.join(tmp, "media.toml")
    with open(cfg_path, "w") as f:
        f.write(mh.media_config(os.path.join(SOURCE, "examples", "media-loopback.toml"), ng_port,
                                INTERNAL, EXTERNAL))
    node = mh.MediaNode(BIN, cfg_path, os.path.join(tmp, "control.sock"),
                        os.path.join(tmp, "gatehouse.log"), ng_port)
    kam = Kamailio(tmp, ng_port)
    pbx_rtp, pbx_rtcp = socket_pair(UAC[0])
    ms_rtp, ms_rtcp = socket_pair(UAS[0])
    uac = uas = None
    failures = []
    try:
        node.start()
        log(f"gatehouse media up, NG 127.0.0.1:{ng_port}")
        kam.start()
        log("kamailio up on %s:%d" % PROXY)
        uac = Uac(pbx_rtp.getsockname()[1])
        uas = Uas(ms_rtp.getsockname()[1])

        uac.ep.send(uac.invite(), PROXY)
        ok = run_sip_until(uac, uas, "INVITE", 10, "INVITE")
        mh.check(ok.status == 200, f"INVITE answered {ok.start}\nkamailio log:\n{kam.log()}")
        uac.accept(ok)
        uac.ep.send(uac.in_dialog("ACK", uac.cseq), PROXY)
        uas.pump(0.2)
        log("call up; offer seen by Microsoft:\n" + uas.offer_text)
        log("answer seen by the PBX:\n" + uac.answer_text)

        # The SDP each side received.
        off, ans = uas.offer, uac.answer
        mh.check(off["proto"] == "RTP/SAVP", f"callee offer proto {off['proto']}")
        mh.check(off["ip"] == EXTERNAL[0], f"callee offer c= {off['ip']}, want {EXTERNAL[0]}")
        mh.check(50000 <= off["port"] <= 50199, f"callee offer port {off['port']}")
        mh.check(off["fmts"][:1] == ["0"], f"callee offer payload types {off['fmts']}")
        for bad in ("a=ice-", "a=candidate", "a=fingerprint", "a=setup"):
            mh.check(not any(l.startswith(bad) for l in off["lines"]),
                     f"callee offer still has {bad} lines (ICE=remove / DTLS=off)")
        mh.check(ans["proto"] == "RTP/AVP", f"caller answer proto {ans['proto']}")
        mh.check(not ans["cryptos"], "caller answer carries a=crypto")
        mh.check(ans["ip"] == INTERNAL[0], f"caller answer c= {ans['ip']}, want {INTERNAL[0]}")
        mh.check(30000 <= ans["port"] <= 30199, f"caller answer port {ans['port']}")
        mh.check(node.stats()["calls_active"] == 1, "gatehouse does not show the call")

        problems, auth_failures = media_exchange(
            pbx_rtp, ms_rtp, (ans["ip"], ans["port"]), (off["ip"], off["port"]),
            uas.key, uas.rx_key)
        failures += problems[:40]
        if len(problems) > 40:
            failures.append(f"... and {len(problems) - 40} more packet problems")
        # RTCP on the a=rtcp ports each side received (rtp + 1 here)
        rtcp_port = {}
        for side, info in (("caller", ans), ("callee", off)):
            attr = [l for l in info["lines"] if l.startswith("a=rtcp:")]
            rtcp_port[side] = int(attr[0].split(":")[1].split()[0]) if attr else info["port"] + 1
        failures += rtcp_exchange(pbx_rtcp, ms_rtcp, (ans["ip"], rtcp_port["caller"]),
                                  (off["ip"], rtcp_port["callee"]), uas.key, uas.rx_key)[:10]
        s = node.stats()
        log(f"gatehouse stats during the call: {s}")
        if s["srtp_auth_failures"] != 0:
            failures.append(f"gatehouse counted {s['srtp_auth_failures']} SRTP auth failures")
        if s["packets_relayed"] < 2 * PACKETS:
            failures.append(f"gatehouse relayed {s['packets_relayed']} < {2 * PACKETS} packets")

        uac.ep.send(uac.in_dialog("BYE", uac.cseq + 1), PROXY)
        bye_ok = run_sip_until(uac, uas, "BYE", 10, "BYE")
        mh.check(bye_ok.status == 200, f"BYE answered {bye_ok.start}")
        mh.check(uas.got_bye, "the BYE did not reach the Microsoft side")
        s = node.wait_drained(5)
        log(f"gatehouse stats after BYE: {s}")
        mh.assert_no_leaks(s, "after BYE (rtpengine_delete)")
        mh.check(s["calls_total"] >= 1, "calls_total did not count the call")

        klog = kam.log()
        bad_lines = [l for l in klog.splitlines()
                     if "INTEROP-FAIL" in l or ("rtpengine" in l and "ERROR" in l)]
        if bad_lines:
            failures.append("kamailio logged rtpengine failures:\n" + "\n".join(bad_lines[:20]))
    except mh.TestFailure as e:
        failures.append(str(e))
    finally:
        for ep in (uac, uas):
            if ep is not None:
                ep.ep.close()
        for sock in (pbx_rtp, pbx_rtcp, ms_rtp, ms_rtcp):
            sock.close()
        kam.stop()
        alive = node.alive()
        status = node.stop()
        if not alive:
            failures.append(f"gatehouse media died during the test (status {status})")
        elif status != 0:
            failures.append(f"gatehouse media exited {status} on SIGTERM")
        reports = node.sanitizer_reports()
        if reports:
            failures.append("sanitizer reports:\n" + "\n".join(reports[:20]))

    if failures:
        print("FAIL:\n- " + "\n- ".join(failures))
        print("---- gatehouse log (tail) ----\n" + node.log()[-6000:])
        print("---- kamailio log (tail) ----\n" + kam.log()[-6000:])
        print(f"(files kept in {tmp})")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"PASS: {PACKETS} packets each way through Kamailio + gatehouse media, "
          "RTP <-> SDES-SRTP (+ RTCP <-> SRTCP), all intact; no leaks after BYE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
