#!/usr/bin/python3
"""The seed call end to end on loopback, as examples/seed-loopback.toml lays it out:

  CUCM 127.0.2.6 --TCP--> 127.0.0.5:5060 [gatehouse] 127.0.1.5 --mTLS--> 127.0.3.124:5061 Exchange UM
  plain RTP (PCMU + telephone-event)  <-- media relay -->  SDES-SRTP AES_CM_128_HMAC_SHA1_80

Both neighbours are emulated here. "Exchange UM" is a TLS server that requires Gatehouse's
certificate and enforces the five rules the seed found by trial and error, in the seed's order:
the client certificate must name sbc.example.com exactly (else 403), the To host must be the
forwarding address (else 488), the offer must be RTP/SAVP with an AES_CM_128_HMAC_SHA1_80 crypto
line (else 488), and must carry neither a=rtcp-mux nor any ICE attribute (else 488). It answers
like the seed's 200 OK: RTP/SAVP with its own key. "CUCM" sends the seed's INVITE over TCP from
127.0.2.6 and listens on 127.0.2.6:5060 for what Gatehouse sends it.

Scenarios (each ends with calls, transactions and media figures of `gatehouse stats` at 0):
  1. call, media checked packet by packet both ways (RTP -> SRTP decrypted with pylibsrtp, SRTP
     -> RTP, telephone-event packets among them, one RTCP report each way as SRTCP toward
     Exchange UM), a session refresh re-INVITE from CUCM (rules rechecked, media again), BYE
     from CUCM;
  2. call with a caller offering rtcp-mux and ICE (the seed policy strips them), BYE from
     Exchange UM on the connection Gatehouse opened; 2a the same BYE over Exchange UM's own TLS
     connection to 127.0.1.5:5061; 2b three calls at once; 2c Exchange UM drops its TLS
     connections between calls and the next call connects again;
  3. CANCEL from CUCM while Exchange UM rings: 487 at CUCM, CANCEL at Exchange UM;
  4. Exchange UM refuses with 488: CUCM gets 488;
  5. media timeout ([media] timeout_s = 3): Gatehouse sends BYE on both legs;
  6. one config copy per broken rule (wildcard or wrong-name certificate, To not rewritten, RTP
     instead of SRTP, rtcp-mux kept, ICE kept): Exchange UM refuses for that reason, CUCM gets
     the code, and `gatehouse check` names the cause beforehand.
Each gatehouse exits on SIGTERM with no sanitizer report in its log.

The config copies add [timers] t1_ms = 100 so that RFC 6026's Timers L and M (64*T1) let the
transaction count fall back to 0 within seconds instead of 32 s.

argv: gatehouse SHARED SOURCE_DIR"""
import base64
import os
import random
import re
import select
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gh_harness as gh  # noqa: E402
import media_harness as mh  # noqa: E402

try:
    import pylibsrtp  # Debian python3-pylibsrtp
except ImportError:
    print("FAIL: python3-pylibsrtp is not installed (apt-get install python3-pylibsrtp)")
    sys.exit(1)

BIN, SHARED, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
UM_FQDN = "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com"
SBC_FQDN = "sbc.example.com"
GH_INTERNAL = ("127.0.0.5", 5060)
GH_EXTERNAL_IP = "127.0.1.5"
CUCM_IP = "127.0.2.6"
CUCM_SIP = (CUCM_IP, 5060)
UM_ADDR = ("127.0.3.124", 5061)
RURI = "sip:87000@sbc-o365.example.com"
PACKETS = 50
INTERVAL = 0.005
ZERO = ("calls_active", "transactions_active", "media_calls_active", "media_streams_active",
        "media_ports_in_use")

T0 = time.monotonic()
failures = []


class Failure(Exception):
    pass


def log(msg):
    print(f"[{time.monotonic() - T0:6.2f}] {msg}", flush=True)


def check(cond, what):
    if not cond:
        raise Failure(what)


# ---- one thread per emulated neighbour ------------------------------------------------------

class Conn:
    def __init__(self, sock, label):
        self.sock, self.label = sock, label
        self.buf = b""
        self.closed = False
        self.names = []  # the TLS client certificate's CN and DNS SANs


def take_frame(buf):
    """(Msg, rest) when `buf` starts with a whole SIP message (Content-Length framing)."""
    buf = buf.lstrip(b"\r\n")
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None, buf
    m = re.search(rb"\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)", buf[:end + 2], re.I)
    length = int(m.group(1)) if m else 0
    if len(buf) < end + 4 + length:
        return None, buf
    return gh.Msg(buf[:end + 4 + length]), buf[end + 4 + length:]


class Node(threading.Thread):
    """An emulated neighbour. One thread owns every socket of it (listener, connections, reads
    and writes) so no two threads ever use one TLS object; the test runs its own socket work on
    that thread through do(). Every message received is recorded as an event the test waits
    for; requests are answered on the thread by `handler` first."""

    def __init__(self, name, listen, handler, tls_ctx=None):
        super().__init__(daemon=True, name=name)
        self.handler, self.tls_ctx = handler, tls_ctx
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        deadline = time.monotonic() + 90  # another run of the seed's addresses may hold them
        while True:
            try:
                self.listener.bind(listen)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        self.listener.listen(16)
        self.listener.setblocking(False)
        self.conns = []
        self.jobs = []
        self.events = []
        self.cond = threading.Condition()
        self.running = True
        self.handshake_errors = []
        self.calls = {}

    # -- called from the test thread
    def do(self, fn, timeout=5.0):
        """Runs fn() on the node's thread; returns its result (or raises its exception)."""
        box = {}
        done = threading.Event()
        with self.cond:
            self.jobs.append((fn, box, done))
        if not done.wait(timeout):
            raise Failure(f"{self.name}: job not run within {timeout} s")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def wait(self, pred, timeout, what):
        """The first event not taken yet for which pred(event) holds; takes it."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if not ev["taken"] and pred(ev):
                        ev["taken"] = True
                        return ev
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"{self.name}: timed out waiting for {what}")
                self.cond.wait(min(left, 0.1))

    def seen(self, pred):
        with self.cond:
            return [ev for ev in self.events if pred(ev)]

    def clear(self):
        with self.cond:
            self.events = []

    def stop(self):
        self.running = False
        self.join(3)
        for c in self.conns:
            self.close(c)
        self.listener.close()

    # -- on the node's thread
    def send(self, conn, data):
        if conn.closed:
            raise Failure(f"{self.name}: send on closed connection {conn.label}")
        conn.sock.settimeout(5)
        try:
            conn.sock.sendall(data)
        finally:
            conn.sock.settimeout(0)

    def connect(self, local_ip, remote):
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.bind((local_ip, 0))
        raw.settimeout(5)
        raw.connect(remote)
        conn = Conn(raw, f"{local_ip}->{remote[0]}:{remote[1]}")
        self.conns.append(conn)
        return conn

    def close(self, conn):
        if not conn.closed:
            conn.closed = True
            try:
                conn.sock.close()
            except OSError:
                pass

    def run(self):
        while self.running:
            with self.cond:
                jobs, self.jobs = self.jobs, []
            for fn, box, done in jobs:
                try:
                    box["value"] = fn()
                except Exception as e:  # handed to the waiting test thread
                    box["error"] = e
                done.set()
            self.conns = [c for c in self.conns if not c.closed]
            ready = [c.sock for c in self.conns if isinstance(c.sock, ssl.SSLSocket) and c.sock.pending()]
            if not ready:
                try:
                    ready, _, _ = select.select([self.listener] + [c.sock for c in self.conns], [], [], 0.02)
                except (OSError, ValueError):
                    continue
            for s in ready:
                if s is self.listener:
                    self._accept()
                else:
                    conn = next((c for c in self.conns if c.sock is s), None)
                    if conn is not None:
                        self._read(conn)

    def _accept(self):
        try:
            raw, addr = self.listener.accept()
        except (BlockingIOError, OSError):
            return
        raw.setblocking(True)
        raw.settimeout(5)
        sock = raw
        names = []
        if self.tls_ctx is not None:
            try:
                sock = self.tls_ctx.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError) as e:
                self.handshake_errors.append(str(e))
                raw.close()
                return
            cert = sock.getpeercert() or {}
            names = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
            names += [v for k, v in cert.get("subjectAltName", ()) if k == "DNS"]
        conn = Conn(sock, f"{addr[0]}:{addr[1]}")
        conn.names = names
        self.conns.append(conn)

    def _read(self, conn):
        # Non-blocking: a readable TLS socket may hold only records without data (TLS 1.3 session
        # tickets after the handshake), and a blocking read would stall every other job.
        conn.sock.settimeout(0)
        try:
            data = conn.sock.recv(65535)
        except (ssl.SSLWantReadError, BlockingIOError):
            return
        except (ssl.SSLError, OSError):
            data = b""
        if not data:
            self.close(conn)
            return
        conn.buf += data
        for _ in range(100):
            msg, conn.buf = take_frame(conn.buf)
            if msg is None:
                break
            ev = {"conn": conn, "msg": msg, "taken": False, "verdict": None, "t": time.monotonic()}
            if not msg.is_response:
                try:
                    self.handler(self, conn, msg, ev)
                except Exception:
                    ev["verdict"] = "handler error: " + traceback.format_exc()
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()


def is_request(method):
    return lambda ev: ev["msg"].method == method


def is_response(method, status=None):
    def pred(ev):
        m = ev["msg"]
        return (m.is_response and m.get("cseq").split()[-1:] == [method] and
                (status is None or m.status == status or (status == "final" and m.status >= 200)))
    return pred


def host_of(uri):
    m = re.match(r"sips?:(?:[^@;>]*@)?([^:;>?]+)", uri)
    return m.group(1) if m else ""


def media_pair(ip):
    """UDP sockets on an even port and the next one: RTP, and RTCP where RFC 3550 puts it when
    the SDP has no a=rtcp (neither CUCM's offer nor Exchange UM's answer does)."""
    for _ in range(100):
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind((ip, 0))
        port = rtp.getsockname()[1]
        if port % 2 == 0 and port < 65535:
            rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                rtcp.bind((ip, port + 1))
                return rtp, rtcp
            except OSError:
                rtcp.close()
        rtp.close()
    raise Failure(f"no free RTP/RTCP port pair on {ip}")


class MediaPair:
    def __init__(self, ip):
        self.rtp, self.rtcp = media_pair(ip)
        self.port = self.rtp.getsockname()[1]

    def close(self):
        self.rtp.close()
        self.rtcp.close()


# ---- the Exchange UM emulator ---------------------------------------------------------------

class UmCall:
    def __init__(self, conn, invite, offer):
        self.conn, self.invite, self.offer = conn, invite, offer
        self.tag = gh.token()
        self.cseq = 1
        self.key = mh.new_key_b64()
        self.media = MediaPair(UM_ADDR[0])


UM_SETTINGS = {"answer": "answer"}  # "answer", "ring" (180 and wait) or "reject488"


def um_verdict(conn, msg):
    """The seed's five rules, in its order: (code, reason, rule) for the first one broken."""
    if SBC_FQDN not in conn.names:
        return 403, "Forbidden", f"certificate names {conn.names}, not exactly {SBC_FQDN}"
    to_host = host_of(gh.uri_of(msg.get("to")))
    if to_host != UM_FQDN:
        return 488, "Not Acceptable Here", f"To host {to_host}"
    body = msg.body.decode(errors="replace")
    m = re.search(r"^m=audio \d+ (\S+)", body, re.M)
    audio = body[m.start():] if m else ""
    if (m is None or m.group(1) != "RTP/SAVP" or
            not re.search(r"^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:", audio, re.M)):
        return 488, "Not Acceptable Here", "no SRTP offered"
    if re.search(r"^a=rtcp-mux", body, re.M):
        return 488, "Not Acceptable Here", "rtcp-mux offered"
    if re.search(r"^a=(ice-|candidate|remote-candidates)", body, re.M):
        return 488, "Not Acceptable Here", "ICE offered"
    return None


def um_answer_sdp(call):
    ip = UM_ADDR[0]
    tag = call.offer["cryptos"][0][0]
    return (f"v=0\r\no=- 85 0 IN IP4 {ip}\r\ns=session\r\nc=IN IP4 {ip}\r\nb=CT:10000000\r\n"
            f"t=0 0\r\nm=audio {call.media.port} RTP/SAVP 0 101\r\nc=IN IP4 {ip}\r\n"
            f"a=label:main-audio\r\na=sendrecv\r\na=rtpmap:0 PCMU/8000\r\n"
            f"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16,36\r\na=ptime:20\r\n"
            f"a=crypto:{tag} AES_CM_128_HMAC_SHA1_80 inline:{call.key}\r\n").encode()


UM_CONTACT = f"<sip:{UM_ADDR[0]}:{UM_ADDR[1]};transport=tls>;automata;text;audio;video;image"


def um_handle(node, conn, msg, ev):
    call_id = msg.get("call-id")
    if msg.method == "INVITE" and ";tag=" in msg.get("to"):
        um_reinvite(node, conn, msg, ev)
    elif msg.method == "INVITE":
        node.send(conn, gh.response_to(msg, 100, "Trying"))
        verdict = um_verdict(conn, msg)
        if verdict is None and UM_SETTINGS["answer"] == "reject488":
            verdict = (488, "Not Acceptable Here", "told to by the test")
        if verdict is not None:
            ev["verdict"] = verdict[2]
            node.send(conn, gh.response_to(msg, verdict[0], verdict[1],
                                           [("Warning", f'399 {UM_FQDN} "{verdict[2]}"')],
                                           to_tag=gh.token()))
            return
        ev["verdict"] = "accepted"
        call = UmCall(conn, msg, mh.parse_sdp(msg.body.decode()))
        node.calls[call_id] = call
        node.send(conn, gh.response_to(msg, 180, "Ringing", [("Contact", UM_CONTACT)], to_tag=call.tag))
        if UM_SETTINGS["answer"] == "answer":
            um_send_200(node, call)
    elif msg.method == "CANCEL":
        node.send(conn, gh.response_to(msg, 200, "OK"))
        call = node.calls.get(call_id)
        if call is not None and not getattr(call, "answered", False):
            node.send(call.conn, gh.response_to(call.invite, 487, "Request Terminated", to_tag=call.tag))
    elif msg.method == "ACK":
        pass
    else:  # BYE, OPTIONS, ...
        call = node.calls.get(call_id)
        node.send(conn, gh.response_to(msg, 200, "OK", to_tag=call.tag if call else gh.token()))


def um_reinvite(node, conn, msg, ev):
    """A session refresh or new offer in the dialog: the same rules, then the same answer (its
    key included, RFC 4568 §7.1.4 allows keeping it)."""
    call = node.calls.get(msg.get("call-id"))
    if call is None:
        node.send(conn, gh.response_to(msg, 481, "Call/Transaction Does Not Exist"))
        ev["verdict"] = "no such call"
        return
    verdict = um_verdict(conn, msg)
    if verdict is not None:
        ev["verdict"] = verdict[2]
        node.send(conn, gh.response_to(msg, verdict[0], verdict[1]))
        return
    ev["verdict"] = "accepted"
    if msg.body:
        call.offer = mh.parse_sdp(msg.body.decode())
    node.send(conn, gh.response_to(msg, 200, "OK", [("Contact", UM_CONTACT),
                                                    ("CONTENT-TYPE", "application/sdp")],
                                   um_answer_sdp(call)))


def um_send_200(node, call):
    """The seed's 200 OK, header spelling included."""
    call.answered = True
    headers = [("Contact", UM_CONTACT), ("PRIORITY", "Normal"), ("SUPPORTED", "Replaces"),
               ("SUPPORTED", "timer"), ("CONTENT-TYPE", "application/sdp"), ("ALLOW", "ACK"),
               ("Allow", "CANCEL,BYE,INVITE,MESSAGE,INFO,SERVICE,OPTIONS,BENOTIFY,NOTIFY,PRACK,UPDATE"),
               ("P-ASSERTED-IDENTITY", f"<sip:87000@{UM_FQDN}>"),
               ("SERVER", "RTCC/5.0.0.0 MSExchangeUM/15.01.0231.021"),
               ("Content-ID", "c0284ce7-716b-4ff2-8ec3-c23379fe1184"),
               ("Session-Expires", "1800;refresher=uac"), ("Min-SE", "1800")]
    node.send(call.conn, gh.response_to(call.invite, 200, "OK", headers, um_answer_sdp(call),
                                        to_tag=call.tag))


def um_bye(node, call, conn=None):
    """An in-dialog BYE from Exchange UM, on the connection the INVITE came in on or `conn`."""
    inv = call.invite
    call.cseq += 1
    headers = [("Via", f"SIP/2.0/TLS {UM_ADDR[0]}:{UM_ADDR[1]};branch=z9hG4bK{gh.token()}"),
               ("Max-Forwards", "70")]
    headers += [("Route", v) for v in inv.all("record-route")]
    headers += [("From", inv.get("to") + f";tag={call.tag}"), ("To", inv.get("from")),
                ("Call-ID", inv.get("call-id")), ("CSeq", f"{call.cseq} BYE")]
    node.send(conn or call.conn, gh.build(f"BYE {gh.uri_of(inv.get('contact'))} SIP/2.0", headers))


def um_connect(node, ctx):
    """Exchange UM's own TLS connection to the SBC's FQDN on 5061 (why the seed opens 5061 inbound),
    presenting its certificate and checking Gatehouse's."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.bind((UM_ADDR[0], 0))
    raw.settimeout(5)
    raw.connect((GH_EXTERNAL_IP, 5061))
    conn = Conn(ctx.wrap_socket(raw, server_hostname=SBC_FQDN), "own connection to the SBC")
    node.conns.append(conn)
    return conn


# ---- the CUCM emulator ----------------------------------------------------------------------

def cucm_handle(node, conn, msg, ev):
    if msg.method == "ACK":
        return
    # BYE (from Exchange UM's side, or a media timeout) and anything else: 200
    node.send(conn, gh.response_to(msg, 200, "OK"))


def cucm_offer(port, extra=""):
    ip = CUCM_IP
    return (f"v=0\r\no=CiscoSystemsCCM-SIP 94213 1 IN IP4 {ip}\r\ns=SIP Call\r\nc=IN IP4 {ip}\r\n"
            f"t=0 0\r\nm=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n"
            f"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n{extra}a=sendrecv\r\n").encode()


RTCP_MUX = "a=rtcp-mux\r\n"


def ice_lines(port):
    return (f"a=ice-ufrag:Fu3x\r\na=ice-pwd:asd88fgpdd777uzjYhagZgasd88fgpdd\r\n"
            f"a=candidate:1 1 UDP 2130706431 {CUCM_IP} {port} typ host\r\n"
            f"a=candidate:1 2 UDP 2130706430 {CUCM_IP} {port + 1} typ host\r\n")


class CucmCall:
    """One call from CUCM: the seed's INVITE over a TCP connection from 127.0.2.6."""

    def __init__(self, cucm, sdp_extra=None):
        self.cucm = cucm
        self.media = MediaPair(CUCM_IP)
        self.port = self.media.port
        self.sdp_extra = sdp_extra(self.port) if callable(sdp_extra) else (sdp_extra or "")
        uid = "-".join(gh.token(n) for n in (8, 8, 4, 8))
        self.call_id = f"{uid}@{CUCM_IP}"
        self.ftag = f"94213~{gh.token(8)}-{gh.token(4)}-{gh.token(12)}"
        self.branch = "z9hG4bK" + gh.token(12)
        self.from_ = f'"10048 - Armstrong, Clint" <sip:10048@{CUCM_IP}>;tag={self.ftag}'
        self.conn = cucm.do(lambda: cucm.connect(CUCM_IP, GH_INTERNAL))

    def close(self):
        self.media.close()
        self.cucm.do(lambda: self.cucm.close(self.conn))

    def via(self, branch=None):
        return ("Via", f"SIP/2.0/TCP {CUCM_IP}:5060;branch={branch or self.branch}")

    def send(self, data):
        self.cucm.do(lambda: self.cucm.send(self.conn, data))

    def invite(self):
        guid = "-".join(str(random.randrange(10 ** 9, 4 * 10 ** 9)) for _ in range(4))
        headers = [self.via(), ("From", self.from_), ("To", f"<{RURI}>"),
                   ("Date", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())),
                   ("Call-ID", self.call_id), ("Supported", "timer,resource-priority,replaces"),
                   ("Min-SE", " 1800"), ("User-Agent", "Cisco-CUCM9.1"),
                   ("Allow", "INVITE, OPTIONS, INFO, BYE, CANCEL, ACK, PRACK, UPDATE, REFER, "
                             "SUBSCRIBE, NOTIFY"),
                   ("CSeq", "101 INVITE"), ("Expires", "180"), ("Allow-Events", "presence, kpml"),
                   ("Supported", "X-cisco-srtp-fallback,X-cisco-original-called"),
                   ("Call-Info", f'<urn:x-cisco-remotecc:callinfo>; security= NotAuthenticated; '
                                 f'gci= 1-4270982, <sip:{CUCM_IP}:5060>;'
                                 f'method="NOTIFY;Event=telephone-event;Duration=500"'),
                   ("Cisco-Guid", guid), ("Session-Expires", " 1800"),
                   ("P-Asserted-Identity", f'"10048 - Armstrong, Clint" <sip:10048@{CUCM_IP}>'),
                   ("Remote-Party-ID", f'"10048 - Armstrong, Clint" <sip:10048@{CUCM_IP}>;'
                                       f'party=calling;screen=yes;privacy=off'),
                   ("Session-ID", f"{os.urandom(16).hex()};remote=00000000000000000000000000000000"),
                   ("Contact", f"<sip:10048@{CUCM_IP}:5060;transport=tcp>"), ("Max-Forwards", "70"),
                   ("Content-Type", "application/sdp")]
        self.send(gh.build(f"INVITE {RURI} SIP/2.0", headers, cucm_offer(self.port, self.sdp_extra)))
        log(f"CUCM: INVITE {RURI} sent (call-id {self.call_id})")

    def final(self, timeout=10):
        ev = self.cucm.wait(lambda e: is_response("INVITE", "final")(e) and
                            e["msg"].get("call-id") == self.call_id, timeout, "CUCM's final response")
        msg = ev["msg"]
        log(f"CUCM: {msg.start}" + (f" (Warning: {msg.get('warning')})" if msg.get("warning") else ""))
        to = msg.get("to")
        if msg.status >= 300:  # ACK for a failure: same branch, same Request-URI (§17.1.1.3)
            self.send(gh.build(f"ACK {RURI} SIP/2.0",
                               [self.via(), ("Max-Forwards", "70"), ("From", self.from_), ("To", to),
                                ("Call-ID", self.call_id), ("CSeq", "101 ACK")]))
            return msg
        self.to = to
        self.target = gh.uri_of(msg.get("contact"))
        self.routes = [("Route", v) for v in reversed(msg.all("record-route"))]
        self.send(gh.build(f"ACK {self.target} SIP/2.0",
                           [self.via("z9hG4bK" + gh.token(12)), ("Max-Forwards", "70")] + self.routes +
                           [("From", self.from_), ("To", to), ("Call-ID", self.call_id),
                            ("CSeq", "101 ACK")]))
        return msg

    def in_dialog(self, method, cseq, branch=None, extra=(), body=b""):
        return gh.build(f"{method} {self.target} SIP/2.0",
                        [self.via(branch or "z9hG4bK" + gh.token(12)), ("Max-Forwards", "70")] +
                        self.routes + [("From", self.from_), ("To", self.to),
                                       ("Call-ID", self.call_id), ("CSeq", f"{cseq} {method}")] +
                        list(extra), body)

    def reinvite(self):
        """CUCM's session refresh: a re-INVITE with its unchanged offer; returns the final."""
        self.cseq = getattr(self, "cseq", 101) + 1
        branch = "z9hG4bK" + gh.token(12)
        self.send(self.in_dialog("INVITE", self.cseq, branch,
                                 [("Contact", f"<sip:10048@{CUCM_IP}:5060;transport=tcp>"),
                                  ("Session-Expires", "1800;refresher=uac"), ("Supported", "timer"),
                                  ("Content-Type", "application/sdp")],
                                 cucm_offer(self.port, self.sdp_extra)))
        ev = self.cucm.wait(lambda e: is_response("INVITE", "final")(e) and
                            e["msg"].get("cseq").startswith(f"{self.cseq} "), 10,
                            "the final response to CUCM's re-INVITE")
        msg = ev["msg"]
        log(f"CUCM: re-INVITE answered {msg.start}")
        self.send(self.in_dialog("ACK", self.cseq, branch if msg.status >= 300 else None))
        return msg

    def bye(self):
        self.cseq = getattr(self, "cseq", 101) + 1
        self.send(self.in_dialog("BYE", self.cseq))

    def cancel(self):
        self.send(gh.build(f"CANCEL {RURI} SIP/2.0",
                           [self.via(), ("Max-Forwards", "70"), ("From", self.from_),
                            ("To", f"<{RURI}>"), ("Call-ID", self.call_id), ("CSeq", "101 CANCEL")]))


# ---- gatehouse and its config copies ------------------------------------------------------

class Env:
    def __init__(self, tmp):
        self.tmp = tmp
        with open(os.path.join(tmp, "seed-loopback.toml")) as f:
            self.base = f.read() + "\n[timers]\nt1_ms = 100\n"
        self.n = 0

    def variant(self, name, edits=()):
        text = self.base
        for old, new in edits:
            if text.count(old) != 1:
                raise Failure(f"{name}: {old!r} is not in seed-loopback.toml exactly once")
            text = text.replace(old, new)
        path = os.path.join(self.tmp, f"{name}.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def gatehouse(self, config, tag):
        self.n += 1
        # The seed's addresses are fixed; a test run from another build tree may hold them for a
        # while (the resource lock covers one ctest run only): wait for them, bounded.
        deadline = time.monotonic() + 90
        for attempt in range(1, 100):
            g = gh.Gatehouse(BIN, config, f"/tmp/gh-seede2e-{os.getpid()}-{self.n}.sock",
                             os.path.join(self.tmp, f"gatehouse-{tag}-{attempt}.log"))
            try:
                g.start()
                return g
            except RuntimeError as e:
                g.stop()
                if "already in use" not in str(e) or time.monotonic() > deadline:
                    raise
                if attempt == 1:
                    log(f"gatehouse {tag}: the seed's listeners are held by someone else; waiting")
                time.sleep(2)
        raise Failure("gatehouse did not start")


def wait_zero(g, timeout=12.0):
    deadline = time.monotonic() + timeout
    while True:
        s = g.stats()
        if all(s.get(k) == 0 for k in ZERO) or time.monotonic() > deadline:
            bad = {k: s.get(k) for k in ZERO if s.get(k) != 0}
            check(not bad, f"figures not back to 0: {bad}")
            return s
        time.sleep(0.1)


def finish(g, tag):
    code = g.stop()
    problems = []
    if code != 0:
        problems.append(f"{tag}: gatehouse exited {code}")
    reports = g.sanitizer_reports()
    if reports:
        problems.append(f"{tag}: sanitizer reports: {reports[:5]}")
    if problems:
        failures.extend(problems)
        print(g.log()[-8000:])


# ---- media --------------------------------------------------------------------------------

def pt_for(i):
    """PCMU, and every tenth packet a telephone-event (101): DTMF must cross both ways too."""
    return 101 if i % 10 == 9 else 0


def rtcp_sr(ssrc, n):
    """An RTCP sender report (RFC 3550 §6.4.1) without report blocks."""
    return struct.pack("!BBHIIIIII", 0x80, 200, 6, ssrc, 0xE000_0000 + n, n << 16, 160 * n, n,
                       160 * n)


def exchange_rtcp(cc, um_call, rtcp_a, rtcp_b, rx, tx):
    """One RTCP report each way: plain at CUCM, SRTCP (RFC 3711 §3.4) at Exchange UM."""
    problems = []
    c_sr, m_sr = rtcp_sr(random.getrandbits(32), 7), rtcp_sr(random.getrandbits(32), 9)
    cc.media.rtcp.sendto(c_sr, rtcp_a)
    um_call.media.rtcp.sendto(tx.protect_rtcp(m_sr), rtcp_b)
    for sock, want, srtcp, src in ((um_call.media.rtcp, c_sr, True, rtcp_b),
                                   (cc.media.rtcp, m_sr, False, rtcp_a)):
        where = "Exchange UM" if srtcp else "CUCM"
        sock.settimeout(3)
        try:
            data, came_from = sock.recvfrom(65535)
        except socket.timeout:
            problems.append(f"no RTCP at {where}")
            continue
        if came_from != src:
            problems.append(f"RTCP at {where} from {came_from}, expected the relay's {src}")
        if srtcp:
            try:
                data = rx.unprotect_rtcp(data)
            except pylibsrtp.Error as e:
                problems.append(f"SRTCP at Exchange UM did not authenticate/decrypt: {e}")
                continue
        if data != want:
            problems.append(f"RTCP at {where} changed: {data.hex()} != {want.hex()}")
    log(f"rtcp: one report each way, {len(problems)} problem(s)")
    return problems


def exchange(cc, um_call, relay_a, relay_b, packets=PACKETS, rtcp=None):
    """`packets` RTP packets CUCM -> Exchange UM (decrypted there with the offer's key) and as many
    SRTP packets Exchange UM -> CUCM (plain there), each exactly once with the payload sent.
    Returns the problems found."""
    problems = []
    offer_key = um_call.offer["cryptos"][0][2]
    tx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(um_call.key),
                                            ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND))
    rx = pylibsrtp.Session(pylibsrtp.Policy(key=base64.b64decode(offer_key),
                                            ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND))
    c_ssrc, m_ssrc = random.getrandbits(32), random.getrandbits(32)
    c_seq0, m_seq0 = random.randrange(0, 60000), random.randrange(0, 60000)
    c_ts0, m_ts0 = random.getrandbits(32), random.getrandbits(32)
    got = {"c2m": {}, "m2c": {}}
    a_sock, b_sock = cc.media.rtp, um_call.media.rtp

    def take(sock, at_um):
        for _ in range(1000):
            try:
                data, src = sock.recvfrom(65535)
            except BlockingIOError:
                return
            want_src = relay_b if at_um else relay_a
            if src != want_src:
                problems.append(f"packet from {src}, expected the relay's {want_src}")
            direction = "c2m" if at_um else "m2c"
            if at_um:
                try:
                    data = rx.unprotect(data)
                except pylibsrtp.Error as e:
                    problems.append(f"Exchange UM: SRTP packet did not authenticate/decrypt: {e}")
                    continue
            version, pt, seq, ts, ssrc, payload = mh.rtp_fields(data)
            i = int.from_bytes(payload[4:8], "big") if len(payload) >= 8 else -1
            if not 0 <= i < packets:
                problems.append(f"{direction}: unknown packet (index {i})")
                continue
            seq0, ts0, ssrc0 = (c_seq0, c_ts0, c_ssrc) if at_um else (m_seq0, m_ts0, m_ssrc)
            want = ((seq0 + i) & 0xFFFF, (ts0 + 160 * i) & 0xFFFFFFFF, ssrc0,
                    mh.payload_for(direction, i))
            if (seq, ts, ssrc, payload) != want or version != 2 or pt != pt_for(i):
                problems.append(f"{direction} #{i}: header or payload changed")
            got[direction][i] = got[direction].get(i, 0) + 1

    a_sock.setblocking(False)
    b_sock.setblocking(False)
    start = time.monotonic()
    for i in range(packets):
        a_sock.sendto(mh.rtp_packet(c_seq0 + i, c_ts0 + 160 * i, c_ssrc, mh.payload_for("c2m", i),
                                    pt=pt_for(i)), relay_a)
        plain = mh.rtp_packet(m_seq0 + i, m_ts0 + 160 * i, m_ssrc, mh.payload_for("m2c", i),
                              pt=pt_for(i))
        b_sock.sendto(tx.protect(plain), relay_b)
        next_at = start + (i + 1) * INTERVAL
        while True:
            left = next_at - time.monotonic()
            if left <= 0:
                break
            select.select([a_sock, b_sock], [], [], left)
            take(a_sock, False)
            take(b_sock, True)
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and (len(got["c2m"]) < packets or len(got["m2c"]) < packets):
        select.select([a_sock, b_sock], [], [], 0.1)
        take(a_sock, False)
        take(b_sock, True)
    for direction in ("c2m", "m2c"):
        missing = [i for i in range(packets) if i not in got[direction]]
        dup = [i for i, n in got[direction].items() if n != 1]
        if missing:
            problems.append(f"{direction}: {len(missing)} of {packets} packets missing (first {missing[:5]})")
        if dup:
            problems.append(f"{direction}: packets received more than once: {dup[:5]}")
    log(f"media: {len(got['c2m'])} RTP->SRTP decrypted at Exchange UM, {len(got['m2c'])} "
        f"SRTP->RTP at CUCM, {len(problems)} problem(s)")
    if rtcp is not None:
        problems += exchange_rtcp(cc, um_call, rtcp[0], rtcp[1], rx, tx)
    return problems[:20]


# ---- scenarios ----------------------------------------------------------------------------

def establish(cucm, um, sdp_extra=None):
    """CUCM calls, Exchange UM accepts and answers: (CucmCall, UmCall, relay_a, relay_b)."""
    UM_SETTINGS["answer"] = "answer"
    cc = CucmCall(cucm, sdp_extra)
    cc.invite()
    ev = um.wait(lambda e: is_request("INVITE")(e) and e["msg"].get("to").find(";tag=") < 0, 10,
                 "the INVITE at Exchange UM")
    inv = ev["msg"]
    log(f"Exchange UM: certificate names {ev['conn'].names}; verdict: {ev['verdict']}\n"
        f"{inv.raw.decode(errors='replace')}")
    check(ev["verdict"] == "accepted", f"Exchange UM refused the INVITE: {ev['verdict']}")
    check(inv.uri.startswith(f"sip:87000@{UM_FQDN}"), f"Request-URI {inv.uri}")
    # Exchange UM knows the gateway by its FQDN (the seed's Via: SIP/2.0/TLS sbc.example.com:5061)
    check(re.match(rf"SIP/2.0/TLS {re.escape(SBC_FQDN)}[:;]", inv.get("via")), f"Via {inv.get('via')}")
    check(host_of(gh.uri_of(inv.get("contact"))) == SBC_FQDN, f"Contact {inv.get('contact')}")
    offer = mh.parse_sdp(inv.body.decode())
    check(offer["ip"] == GH_EXTERNAL_IP, f"offer c= {offer['ip']}, not {GH_EXTERNAL_IP}")
    check(len(offer["cryptos"]) == 1, f"offer has {len(offer['cryptos'])} crypto lines")
    check("0" in offer["fmts"] and "101" in offer["fmts"], f"offer formats {offer['fmts']}")
    ok = cc.final()
    check(ok.status == 200, f"CUCM got {ok.status} to the INVITE")
    answer = mh.parse_sdp(ok.body.decode())
    log(f"CUCM: 200 OK\n{ok.raw.decode(errors='replace')}")
    check(answer["proto"] == "RTP/AVP", f"CUCM's answer is {answer['proto']}, not RTP/AVP")
    check(not answer["cryptos"], "CUCM's answer carries crypto lines")
    check(answer["ip"] == GH_INTERNAL[0], f"CUCM's answer c= {answer['ip']}, not {GH_INTERNAL[0]}")
    um.wait(lambda e: is_request("ACK")(e) and e["msg"].get("call-id") == inv.get("call-id"), 10,
            "the ACK at Exchange UM")
    um_call = um.calls[inv.get("call-id")]
    # where Gatehouse wants RTCP: its a=rtcp port (the seed's rtpengine offer had one too)
    cc.rtcp_relay = (answer["ip"], rtcp_port(ok.body.decode(), answer["port"]))
    um_call.rtcp_relay = (offer["ip"], rtcp_port(inv.body.decode(), offer["port"]))
    return cc, um_call, (answer["ip"], answer["port"]), (offer["ip"], offer["port"])


def rtcp_port(sdp_text, rtp_port):
    m = re.search(r"^a=rtcp:(\d+)", sdp_text, re.M)
    return int(m.group(1)) if m else rtp_port + 1


def media_ok(g, cc, um_call, relay_a, relay_b, calls=1):
    before = g.stats()
    check(before["media_calls_active"] == calls, f"media_calls_active {before['media_calls_active']}")
    problems = exchange(cc, um_call, relay_a, relay_b, rtcp=(cc.rtcp_relay, um_call.rtcp_relay))
    check(not problems, "media: " + "; ".join(problems))
    after = g.stats()
    relayed = after["media_packets_relayed"] - before["media_packets_relayed"]
    check(relayed >= 2 * PACKETS, f"media_packets_relayed grew by {relayed} < {2 * PACKETS}")
    check(after["media_srtp_auth_failures"] == before["media_srtp_auth_failures"],
          "SRTP auth failures counted")


def scenario_bye_from_cucm(g, cucm, um):
    cc, um_call, ra, rb = establish(cucm, um)
    try:
        media_ok(g, cc, um_call, ra, rb)
        # CUCM refreshes the session (Exchange UM's 200 said refresher=uac): the new offer
        # toward Exchange UM must keep to the rules, and media must flow on afterwards.
        ok = cc.reinvite()
        check(ok.status == 200, f"CUCM's re-INVITE got {ok.status}")
        ev = um.wait(lambda e: is_request("INVITE")(e) and ";tag=" in e["msg"].get("to"), 10,
                     "the re-INVITE at Exchange UM")
        log(f"Exchange UM: re-INVITE verdict {ev['verdict']!r}\n{ev['msg'].body.decode(errors='replace')}")
        check(ev["verdict"] == "accepted", f"Exchange UM refused the re-INVITE: {ev['verdict']}")
        um.wait(lambda e: is_request("ACK")(e), 10, "the ACK for the re-INVITE at Exchange UM")
        answer = mh.parse_sdp(ok.body.decode())
        offer = um_call.offer
        media_ok(g, cc, um_call, (answer["ip"], answer["port"]), (offer["ip"], offer["port"]))
        cc.bye()
        um.wait(lambda e: is_request("BYE")(e) and e["msg"].get("call-id") == um_call.invite.get("call-id"),
                10, "the BYE at Exchange UM")
        ev = cucm.wait(lambda e: is_response("BYE", "final")(e) and e["msg"].get("call-id") == cc.call_id,
                       10, "the 200 to CUCM's BYE")
        check(ev["msg"].status == 200, f"CUCM's BYE got {ev['msg'].status}")
        wait_zero(g)
    finally:
        um_call.media.close()
        cc.close()


def scenario_bye_from_um(g, cucm, um, client_ctx=None):
    cc, um_call, ra, rb = establish(cucm, um, lambda port: RTCP_MUX + ice_lines(port))
    try:
        media_ok(g, cc, um_call, ra, rb)
        conn = um.do(lambda: um_connect(um, client_ctx)) if client_ctx else None
        um.do(lambda: um_bye(um, um_call, conn))
        ev = cucm.wait(lambda e: is_request("BYE")(e) and e["msg"].get("call-id") == cc.call_id, 10,
                       "the BYE at CUCM")
        log(f"CUCM: {ev['msg'].start} (on {ev['conn'].label})")
        ev = um.wait(lambda e: is_response("BYE", "final")(e) and
                     e["msg"].get("call-id") == um_call.invite.get("call-id"), 10,
                     "the 200 to Exchange UM's BYE")
        check(ev["msg"].status == 200, f"Exchange UM's BYE got {ev['msg'].status}")
        wait_zero(g)
    finally:
        um_call.media.close()
        cc.close()


def scenario_concurrent(g, cucm, um, n=3):
    """n calls at once over Exchange UM's one TLS connection, each with its own keys and ports."""
    calls = []
    try:
        for _ in range(n):
            calls.append(establish(cucm, um))
        conns = {id(um_call.conn) for _, um_call, _, _ in calls}
        log(f"{n} calls up over {len(conns)} TLS connection(s)")
        keys = {um_call.offer["cryptos"][0][2] for _, um_call, _, _ in calls}
        check(len(keys) == n, f"{n} calls share SRTP keys toward Exchange UM ({len(keys)} distinct)")
        for cc, um_call, ra, rb in calls:
            media_ok(g, cc, um_call, ra, rb, calls=n)
        for cc, um_call, _, _ in calls:
            cc.bye()
        for cc, um_call, _, _ in calls:
            ev = cucm.wait(lambda e: is_response("BYE", "final")(e) and e["msg"].get("call-id") == cc.call_id,
                           10, "the 200 to CUCM's BYE")
            check(ev["msg"].status == 200, f"CUCM's BYE got {ev['msg'].status}")
        wait_zero(g)
    finally:
        for cc, um_call, _, _ in calls:
            um_call.media.close()
            cc.close()


def scenario_reconnect(g, cucm, um):
    """Exchange UM drops its idle TLS connections (as cloud services do): the next call opens a
    new one, presenting the certificate again."""
    before = um.do(lambda: [c for c in um.conns if not c.closed])
    check(before, "no TLS connection from Gatehouse to drop")
    um.do(lambda: [um.close(c) for c in before])
    # Gatehouse sees the close first (the race of a close and a new INVITE crossing it is not
    # this test's subject): its TLS connection count falls to 0.
    deadline = time.monotonic() + 5
    while g.stats()["connections_open_tls"] != 0:
        check(time.monotonic() < deadline, "Gatehouse still counts TLS connections after the close")
        time.sleep(0.05)
    cc, um_call, ra, rb = establish(cucm, um)
    try:
        check(all(um_call.conn is not c for c in before), "the INVITE came on a dropped connection")
        media_ok(g, cc, um_call, ra, rb)
        cc.bye()
        ev = cucm.wait(lambda e: is_response("BYE", "final")(e) and e["msg"].get("call-id") == cc.call_id,
                       10, "the 200 to CUCM's BYE")
        check(ev["msg"].status == 200, f"CUCM's BYE got {ev['msg'].status}")
        wait_zero(g)
    finally:
        um_call.media.close()
        cc.close()


def scenario_cancel(g, cucm, um):
    UM_SETTINGS["answer"] = "ring"
    cc = CucmCall(cucm)
    try:
        cc.invite()
        cucm.wait(lambda e: is_response("INVITE", 180)(e) and e["msg"].get("call-id") == cc.call_id, 10,
                  "180 at CUCM")
        cc.cancel()
        ev = cucm.wait(lambda e: is_response("CANCEL", "final")(e) and e["msg"].get("call-id") == cc.call_id,
                       10, "the 200 to CUCM's CANCEL")
        check(ev["msg"].status == 200, f"CUCM's CANCEL got {ev['msg'].status}")
        um.wait(is_request("CANCEL"), 10, "the CANCEL at Exchange UM")
        final = cc.final()
        check(final.status == 487, f"CUCM got {final.status}, not 487")
        um.wait(is_request("ACK"), 10, "the ACK for the 487 at Exchange UM")
        wait_zero(g)
    finally:
        cc.close()


def scenario_refused(g, cucm, um, code, reason, sdp_extra=None, told=False):
    """CUCM calls; Exchange UM refuses with `code` for `reason` (a substring of its verdict)."""
    UM_SETTINGS["answer"] = "reject488" if told else "answer"
    cc = CucmCall(cucm, sdp_extra)
    try:
        cc.invite()
        ev = um.wait(is_request("INVITE"), 10, "the INVITE at Exchange UM")
        log(f"Exchange UM: verdict {ev['verdict']!r}; certificate names {ev['conn'].names}")
        check(ev["verdict"] and reason in ev["verdict"],
              f"Exchange UM's verdict {ev['verdict']!r}, want {reason!r}")
        final = cc.final()
        check(final.status == code, f"CUCM got {final.status}, not {code}")
        um.wait(is_request("ACK"), 10, "the ACK for the refusal at Exchange UM")
        wait_zero(g)
    finally:
        UM_SETTINGS["answer"] = "answer"
        cc.close()


def scenario_media_timeout(g, cucm, um):
    cc, um_call, ra, rb = establish(cucm, um)
    try:
        problems = exchange(cc, um_call, ra, rb, packets=10)
        check(not problems, "media: " + "; ".join(problems))
        started = time.monotonic()
        cucm.wait(lambda e: is_request("BYE")(e) and e["msg"].get("call-id") == cc.call_id, 15,
                  "the BYE at CUCM")
        um.wait(lambda e: is_request("BYE")(e) and e["msg"].get("call-id") == um_call.invite.get("call-id"),
                15, "the BYE at Exchange UM")
        log(f"media timeout: BYE on both legs {time.monotonic() - started:.1f} s after the last packet")
        s = wait_zero(g)
        check(s.get("media_timeouts_hung_up", 0) >= 1, "no media timeout counted")
    finally:
        um_call.media.close()
        cc.close()


def forget_calls(node):
    for call in node.calls.values():
        call.media.close()
    node.calls.clear()


def run_scenario(name, fn, *args, **kwargs):
    log(f"=== {name}")
    for node in [a for a in args if isinstance(a, Node)]:  # the previous scenario ended at 0
        node.do(lambda n=node: forget_calls(n))
        node.clear()
    t = time.monotonic()
    try:
        fn(*args, **kwargs)
        log(f"PASS {name} ({time.monotonic() - t:.1f} s)")
    except Failure as e:
        failures.append(f"{name}: {e}")
        log(f"FAIL {name}: {e}")


def gatehouse_check(config, want, offline=True):
    args = [BIN, "check", "--config", config] + (["--offline"] if offline else [])
    proc = subprocess.run(args, capture_output=True, timeout=60)
    err = proc.stderr.decode(errors="replace")
    check(proc.returncode == 1 and want in err,
          f"gatehouse check {os.path.basename(config)}: exit {proc.returncode}, want 1 with {want!r}:\n{err}")


def main():
    tmp = tempfile.mkdtemp(prefix="gh-seede2e-")
    shutil.copy(os.path.join(SOURCE, "examples", "seed-loopback.toml"), tmp)
    made = subprocess.run(["sh", os.path.join(SOURCE, "examples", "make-test-certs.sh"), tmp],
                          capture_output=True, timeout=120)
    if made.returncode != 0:
        print("FAIL make-test-certs.sh:", made.stderr.decode(errors="replace"))
        return 1
    env = Env(tmp)
    certs = os.path.join(tmp, "certs")
    um_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    um_ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    um_ctx.load_cert_chain(os.path.join(certs, "um.crt"), os.path.join(certs, "um.key"))
    um_ctx.load_verify_locations(os.path.join(certs, "ca.crt"))
    um_ctx.verify_mode = ssl.CERT_REQUIRED
    um_client_ctx = gh.tls_client_context(os.path.join(certs, "ca.crt"), os.path.join(certs, "um.crt"),
                                          os.path.join(certs, "um.key"))
    um = Node("exchange-um", UM_ADDR, um_handle, um_ctx)
    cucm = Node("cucm", CUCM_SIP, cucm_handle)
    um.start()
    cucm.start()
    try:
        g = env.gatehouse(env.variant("seed"), "seed")
        try:
            run_scenario("1 call, media both ways, BYE from CUCM", scenario_bye_from_cucm, g, cucm, um)
            run_scenario("2 call (caller offers rtcp-mux + ICE), BYE from Exchange UM",
                         scenario_bye_from_um, g, cucm, um)
            run_scenario("2a BYE from Exchange UM over its own TLS connection", scenario_bye_from_um,
                         g, cucm, um, client_ctx=um_client_ctx)
            run_scenario("2b three calls at once", scenario_concurrent, g, cucm, um)
            run_scenario("2c Exchange UM drops the TLS connection between calls", scenario_reconnect,
                         g, cucm, um)
            run_scenario("3 CANCEL from CUCM", scenario_cancel, g, cucm, um)
            run_scenario("4 Exchange UM answers 488", scenario_refused, g, cucm, um, 488,
                         "told to by the test", told=True)
        finally:
            finish(g, "seed")

        g = env.gatehouse(env.variant("media-timeout", [("timeout_s        = 60", "timeout_s        = 3")]),
                          "media-timeout")
        try:
            run_scenario("5 media timeout", scenario_media_timeout, g, cucm, um)
        finally:
            finish(g, "media-timeout")

        cert_keys = ('certificate = "certs/sbc.crt"', 'private_key = "certs/sbc.key"')
        variants = [
            ("wildcard-cert", [(cert_keys[0], 'certificate = "certs/wildcard.crt"'),
                               (cert_keys[1], 'private_key = "certs/wildcard.key"')],
             403, "not exactly", None, "is a wildcard (*.example.com)", False),
            ("wrong-name-cert", [(cert_keys[0], 'certificate = "certs/wrong-name.crt"'),
                                 (cert_keys[1], 'private_key = "certs/wrong-name.key"')],
             403, "not exactly", None, "names other.example.com", False),
            ("to-not-rewritten", [('headers.set.To    = "<sip:${ruri.user}@${peer.fqdn}>"', "")],
             488, "To host sbc-o365.example.com", None, "keeps To host sbc-o365.example.com", True),
            ("rtp-not-srtp", [('mode        = "srtp"', 'mode        = "rtp"')],
             488, "no SRTP offered", None, "no SRTP offered", True),
            ("rtcp-mux-keep", [('rtcp_mux    = "strip"', 'rtcp_mux    = "keep"')],
             488, "rtcp-mux offered", RTCP_MUX, "offers rtcp-mux to exchange-um", True),
            ("ice-keep", [('ice         = "remove"\nrtcp_mux', 'ice         = "keep"\nrtcp_mux')],
             488, "ICE offered", ice_lines, "ICE attributes reach exchange-um", True),
        ]
        for name, edits, code, reason, extra, check_says, offline in variants:
            config = env.variant(name, edits)
            # `check` opens certificate files only online; nothing holds the listeners now.
            run_scenario(f"6 check {name}", gatehouse_check, config, check_says, offline)
            g = env.gatehouse(config, name)
            try:
                run_scenario(f"6 {name}: {code}", scenario_refused, g, cucm, um, code, reason, extra)
            finally:
                finish(g, name)
    finally:
        um.stop()
        cucm.stop()
    if um.handshake_errors:
        log(f"Exchange UM TLS handshake errors: {um.handshake_errors}")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        print(f"logs kept in {tmp}")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"OK: the seed call end to end over TLS + SRTP, {time.monotonic() - T0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
