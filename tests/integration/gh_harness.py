"""Shared pieces of the integration tests that run `gatehouse run` against Python peers:
the gatehouse process (start, liveness, stats, stop by PID, sanitizer check of its stderr),
a tiny SIP message builder/reader, a UDP UAS and a UAC that places a whole call
(INVITE/200/ACK/BYE/200) over UDP or over a TLS socket. Standard library only."""
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import threading
import time

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer", "AddressSanitizer:DEADLYSIGNAL",
                   "LeakSanitizer has encountered a fatal error")


class Gatehouse:
    """`gatehouse run` in the background; stderr goes to a file the test reads."""

    def __init__(self, binary, config, control, stderr_path):
        self.binary, self.config, self.control, self.stderr_path = binary, config, control, stderr_path
        self.proc = None

    def start(self, timeout=20.0):
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        self.err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([self.binary, "run", "--config", self.config, "--control",
                                      self.control], stdout=self.err, stderr=subprocess.STDOUT,
                                     env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gatehouse exited {self.proc.returncode} at start:\n{self.log()}")
            if "gatehouse running" in self.log() and os.path.exists(self.control):
                return
            time.sleep(0.05)
        raise RuntimeError(f"gatehouse did not start within {timeout} s:\n{self.log()}")

    def log(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stats(self):
        out = subprocess.run([self.binary, "stats", "--control", self.control],
                             capture_output=True, timeout=10)
        if out.returncode != 0:
            raise RuntimeError(f"gatehouse stats failed: {out.stderr.decode(errors='replace')}")
        return json.loads(out.stdout)

    def wait_idle(self, timeout):
        """Waits until no call and no transaction is left; returns the last stats."""
        deadline = time.monotonic() + timeout
        while True:
            s = self.stats()
            if s["calls_active"] == 0 and s["transactions_active"] == 0:
                return s
            if time.monotonic() > deadline:
                return s
            time.sleep(0.2)

    def wait_log(self, text, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return True
            time.sleep(0.05)
        return text in self.log()

    def stop(self, timeout=15.0):
        """SIGTERM by PID (drains, then exits); SIGKILL by PID if it hangs. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.err.close()
        keep = os.environ.get("GH_TEST_LOG_DIR")  # keep the log for a post-mortem
        if keep:
            os.makedirs(keep, exist_ok=True)
            with open(os.path.join(keep, os.path.basename(self.stderr_path)), "w") as f:
                f.write(self.log())
        return self.proc.returncode

    def sanitizer_reports(self):
        return [line for line in self.log().splitlines() if any(m in line for m in SANITIZER_MARKS)]


# ---- SIP messages ---------------------------------------------------------------------------

def token(n=10):
    return "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


class Msg:
    def __init__(self, raw):
        self.raw = raw
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode(errors="replace").split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                self.headers[-1] = (self.headers[-1][0], self.headers[-1][1] + " " + line.strip())
            elif ":" in line:
                name, _, value = line.partition(":")
                self.headers.append((name.strip(), value.strip()))
        parts = self.start.split(" ", 2)
        self.is_response = parts[0].startswith("SIP/")
        self.status = int(parts[1]) if self.is_response and parts[1].isdigit() else None
        self.method = None if self.is_response else parts[0]
        self.uri = None if self.is_response else parts[1]

    COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length"}

    def all(self, name):
        name = name.lower()
        return [v for n, v in self.headers if self.COMPACT.get(n.lower(), n.lower()) == name]

    def get(self, name, default=""):
        values = self.all(name)
        return values[0] if values else default

    def __repr__(self):
        return self.start


def build(start, headers, body=b""):
    text = start + "\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    text += f"Content-Length: {len(body)}\r\n\r\n"
    return text.encode() + body


def response_to(req, code, reason, extra=(), body=b"", to_tag=None):
    headers = [("Via", v) for v in req.all("via")]
    headers += [("Record-Route", v) for v in req.all("record-route")]
    to = req.get("to")
    if to_tag and ";tag=" not in to:
        to += f";tag={to_tag}"
    headers += [("From", req.get("from")), ("To", to), ("Call-ID", req.get("call-id")),
                ("CSeq", req.get("cseq"))]
    headers += list(extra)
    return build(f"SIP/2.0 {code} {reason}", headers, body)


def sdp(ip, port=40000):
    return (f"v=0\r\no=- 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
            f"m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").encode()


def uri_of(name_addr):
    m = re.search(r"<([^>]*)>", name_addr)
    return m.group(1) if m else name_addr.split(";")[0].strip()


# ---- transports -----------------------------------------------------------------------------

class UdpChannel:
    def __init__(self, local, remote):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(local)
        self.remote = remote
        self.local = self.sock.getsockname()

    def send(self, data, to=None):
        self.sock.sendto(data, to or self.remote)

    def recv(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, self.last_source = self.sock.recvfrom(65535)
            return Msg(data)
        except socket.timeout:
            return None

    def close(self):
        self.sock.close()

    via_transport = "UDP"


class StreamChannel:
    """A TLS (or TCP) connection carrying SIP messages framed by Content-Length."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.local = sock.getsockname()
        self.closed = False

    def send(self, data, to=None):
        self.sock.sendall(data)

    def recv(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            msg = self._frame()
            if msg:
                return msg
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65535)
            except socket.timeout:
                return None
            except (ssl.SSLError, OSError) as e:
                self.closed = True
                self.error = e
                return None
            if not data:
                self.closed = True
                return None
            self.buf += data

    def _frame(self):
        self.buf = self.buf.lstrip(b"\r\n")
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        m = re.search(rb"\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)", self.buf[:end + 2], re.I)
        length = int(m.group(1)) if m else 0
        if len(self.buf) < end + 4 + length:
            return None
        raw, self.buf = self.buf[:end + 4 + length], self.buf[end + 4 + length:]
        return Msg(raw)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    via_transport = "TLS"


def tls_client_context(ca, cert=None, key=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


def tls_connect(ctx, local_ip, remote, server_name, timeout=5.0):
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.bind((local_ip, 0))
    raw.settimeout(timeout)
    raw.connect(remote)
    tls = ctx.wrap_socket(raw, server_hostname=server_name)
    return StreamChannel(tls)


# ---- a UAS on UDP ----------------------------------------------------------------------------

class UdpUas(threading.Thread):
    """Answers INVITE with 100 + `invite_code` (200 with SDP by default), BYE/OPTIONS/others 200,
    ignores ACK; records every request it got."""

    def __init__(self, addr, invite_code=200):
        super().__init__(daemon=True)
        self.chan = UdpChannel(addr, None)
        self.addr = addr
        self.invite_code = invite_code
        self.received = []
        self.tags = {}
        self.running = True
        self.lock = threading.Lock()

    def run(self):
        while self.running:
            try:
                msg = self.chan.recv(0.1)
            except OSError:
                return
            if msg is None or msg.is_response:
                continue
            with self.lock:
                self.received.append(msg)
            src = self._source(msg)
            if msg.method == "ACK":
                continue
            tag = self.tags.setdefault(msg.get("call-id"), token())
            contact = [("Contact", f"<sip:uas@{self.addr[0]}:{self.addr[1]}>")]
            if msg.method == "INVITE":
                self.chan.send(response_to(msg, 100, "Trying"), src)
                if self.invite_code == 200:
                    self.chan.send(response_to(msg, 200, "OK", contact + [("Content-Type", "application/sdp")],
                                               sdp(self.addr[0]), to_tag=tag), src)
                else:
                    self.chan.send(response_to(msg, self.invite_code, "Busy Here", to_tag=tag), src)
            else:
                self.chan.send(response_to(msg, 200, "OK", contact, to_tag=tag), src)

    def _source(self, msg):
        return self.chan.last_source

    def stop(self):
        self.running = False
        self.join(2)
        self.chan.close()

    def methods(self):
        with self.lock:
            return [m.method for m in self.received]


# ---- a UAC -----------------------------------------------------------------------------------

class CallResult:
    def __init__(self):
        self.invite_final = None
        self.bye_final = None
        self.trace = []

    def ok(self):
        return (self.invite_final is not None and self.invite_final.status == 200 and
                self.bye_final is not None and self.bye_final.status == 200)

    def __repr__(self):
        return " ".join(self.trace)


def place_call(chan, request_uri, from_host, timeout=8.0, bye=True, from_user="caller"):
    """INVITE -> final; on 2xx ACK then BYE -> 200; on a failure final nothing more (the
    transaction layer of gatehouse ACKs non-2xx hop by hop: we send the ACK for it too)."""
    r = CallResult()
    call_id, ftag = token(16) + "@" + from_host, token()
    local = f"{chan.local[0]}:{chan.local[1]}"
    vt = chan.via_transport
    contact_uri = f"sip:caller@{local}" + (";transport=tls" if vt == "TLS" else "")

    def via(branch):
        return ("Via", f"SIP/2.0/{vt} {local};branch=z9hG4bK{branch};rport")

    branch = token()
    base = [("From", f"<sip:{from_user}@{from_host}>;tag={ftag}"), ("To", f"<{request_uri}>"),
            ("Call-ID", call_id)]
    invite = build(f"INVITE {request_uri} SIP/2.0",
                   [via(branch), ("Max-Forwards", "70")] + base +
                   [("CSeq", "1 INVITE"), ("Contact", f"<{contact_uri}>"),
                    ("Content-Type", "application/sdp")], sdp(chan.local[0]))
    chan.send(invite)
    r.trace.append("INVITE>")
    deadline = time.monotonic() + timeout
    final = None
    while time.monotonic() < deadline:
        msg = chan.recv(deadline - time.monotonic())
        if msg is None:
            break
        if msg.is_response and "INVITE" in msg.get("cseq"):
            r.trace.append(f"<{msg.status}")
            if msg.status >= 200:
                final = msg
                break
    r.invite_final = final
    if final is None:
        r.trace.append("(no final)")
        return r
    to = final.get("to")
    if final.status >= 300:
        chan.send(build(f"ACK {request_uri} SIP/2.0",
                        [via(branch), ("Max-Forwards", "70")] + base[:1] + [("To", to)] + base[2:] +
                        [("CSeq", "1 ACK")]))
        r.trace.append("ACK>")
        return r
    target = uri_of(final.get("contact")) or request_uri
    routes = [("Route", v) for v in reversed(final.all("record-route"))]
    dialog = base[:1] + [("To", to)] + base[2:]
    chan.send(build(f"ACK {target} SIP/2.0", [via(token()), ("Max-Forwards", "70")] + routes + dialog +
                    [("CSeq", "1 ACK")]))
    r.trace.append("ACK>")
    if not bye:
        return r
    time.sleep(0.2)
    chan.send(build(f"BYE {target} SIP/2.0", [via(token()), ("Max-Forwards", "70")] + routes + dialog +
                    [("CSeq", "2 BYE")]))
    r.trace.append("BYE>")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = chan.recv(deadline - time.monotonic())
        if msg is None:
            break
        if msg.is_response and "BYE" in msg.get("cseq"):
            r.trace.append(f"<{msg.status}")
            if msg.status >= 200:
                r.bye_final = msg
                break
        elif msg.is_response and "INVITE" in msg.get("cseq") and msg.status == 200:
            r.trace.append("<200(retransmit)")
    return r
