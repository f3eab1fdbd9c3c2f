"""Shared pieces of the `gatehouse media` integration tests: a config derived from
examples/media-loopback.toml (the contract) with this test's addresses and ports, the node
process (start, NG ping, stats, stop by PID, sanitizer check of its log), a small NG client
(bencode over UDP, raw datagrams too), and RTP packet helpers. Standard library only."""
import base64
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import time

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer", "AddressSanitizer:DEADLYSIGNAL")

LEAK_FIGURES = ("calls_active", "streams_active", "ports_in_use", "sockets_open", "srtp_contexts")


class TestFailure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def free_udp_port(host="127.0.0.1"):
    """A UDP port nobody holds right now (the kernel's pick)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def media_config(example_path, ng_port, internal, external, timeout_s=None):
    """examples/media-loopback.toml with NG on 127.0.0.1:ng_port and the two interfaces moved:
    internal/external = (address, "first-last"). Each replaced value must occur exactly once,
    so a changed example fails here loudly instead of silently testing something else."""
    with open(example_path) as f:
        text = f.read()
    subs = [('"127.0.0.1:22222"', f'"127.0.0.1:{ng_port}"'),
            ('"127.0.0.5"', f'"{internal[0]}"'), ('"20000-39999"', f'"{internal[1]}"'),
            ('"127.0.1.5"', f'"{external[0]}"'), ('"40000-59999"', f'"{external[1]}"')]
    for old, new in subs:
        if text.count(old) != 1:
            raise TestFailure(f"{example_path}: expected {old} exactly once")
        text = text.replace(old, new)
    if timeout_s is not None:
        text, n = re.subn(r"(?m)^timeout_s\s*=\s*\d+", f"timeout_s        = {timeout_s}", text)
        if n != 1:
            raise TestFailure(f"{example_path}: expected one timeout_s line")
    return text


# ---- bencode + NG -----------------------------------------------------------------------------

def bencode(obj):
    if isinstance(obj, bool):
        obj = int(obj)
    if isinstance(obj, int):
        return b"i%de" % obj
    if isinstance(obj, str):
        obj = obj.encode()
    if isinstance(obj, (bytes, bytearray)):
        return b"%d:%s" % (len(obj), bytes(obj))
    if isinstance(obj, (list, tuple)):
        return b"l" + b"".join(bencode(x) for x in obj) + b"e"
    if isinstance(obj, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in obj.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(type(obj))


def bdecode(data):
    def dec(i):
        c = data[i:i + 1]
        if c == b"i":
            j = data.index(b"e", i)
            return int(data[i + 1:j]), j + 1
        if c in (b"l", b"d"):
            i += 1
            items = []
            while data[i:i + 1] != b"e":
                v, i = dec(i)
                items.append(v)
            if c == b"l":
                return items, i + 1
            return dict(zip(items[::2], items[1::2])), i + 1
        if c.isdigit():
            j = data.index(b":", i)
            n = int(data[i:j])
            return data[j + 1:j + 1 + n].decode("utf-8", "replace"), j + 1 + n
        raise ValueError(f"bad bencode at {i}: {data[i:i + 20]!r}")

    value, end = dec(0)
    if end != len(data):
        raise ValueError("trailing bytes after the bencode value")
    return value


class NgClient:
    def __init__(self, port, host="127.0.0.1"):
        self.addr = (host, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.seq = random.randrange(1 << 20)

    def raw(self, payload, timeout=3.0):
        """Sends one datagram; returns the reply datagram or None when none came in time."""
        self.sock.sendto(payload, self.addr)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(65535)
                return data
            except socket.timeout:
                return None

    def request(self, msg, timeout=5.0):
        """One command; returns the reply dictionary (result ok or error alike)."""
        self.seq += 1
        cookie = f"t{os.getpid()}_{self.seq}".encode()
        self.sock.sendto(cookie + b" " + bencode(msg), self.addr)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(f"NG {msg.get('command')}: no reply within {timeout} s")
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            c, _, body = data.partition(b" ")
            if c == cookie:
                return bdecode(body)

    def ok(self, msg, timeout=5.0):
        reply = self.request(msg, timeout)
        if reply.get("result") not in ("ok", "pong"):
            raise TestFailure(f"NG {msg.get('command')} failed: {reply}")
        return reply

    def close(self):
        self.sock.close()


# ---- the node ---------------------------------------------------------------------------------

class MediaNode:
    """`gatehouse media` in the background; its stderr goes to a file the test reads."""

    def __init__(self, binary, config_path, control, log_path, ng_port, workers=1):
        self.binary, self.config_path, self.control = binary, config_path, control
        self.log_path, self.ng_port, self.workers = log_path, ng_port, workers
        self.proc = None
        self.err = None

    def start(self, timeout=20.0):
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        self.err = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.binary, "media", "--config", self.config_path, "--control", self.control,
             "--workers", str(self.workers)],
            stdin=subprocess.DEVNULL, stdout=self.err, stderr=subprocess.STDOUT, env=env)
        ng = NgClient(self.ng_port)
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise TestFailure(
                        f"gatehouse media exited {self.proc.returncode} at start:\n{self.log()}")
                if os.path.exists(self.control):
                    reply = ng.raw(b"ping1 d7:command4:pinge", timeout=0.3)
                    if reply is not None and reply.startswith(b"ping1 ") and b"pong" in reply:
                        return
                time.sleep(0.05)
        finally:
            ng.close()
        raise TestFailure(f"gatehouse media did not answer NG ping within {timeout} s:\n"
                          f"{self.log()}")

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stats(self):
        out = subprocess.run([self.binary, "stats", "--control", self.control],
                             capture_output=True, timeout=10)
        if out.returncode != 0:
            raise TestFailure(f"gatehouse stats failed ({out.returncode}): "
                              f"{out.stderr.decode(errors='replace')}{out.stdout[:500]!r}")
        return json.loads(out.stdout)

    def wait_drained(self, timeout):
        """Polls stats until every leak figure is 0 or the time is up; returns the last stats."""
        deadline = time.monotonic() + timeout
        while True:
            s = self.stats()
            if all(s[k] == 0 for k in LEAK_FIGURES) or time.monotonic() > deadline:
                return s
            time.sleep(0.2)

    def stop(self, timeout=15.0):
        """SIGTERM by PID; SIGKILL by PID if it hangs. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.err:
            self.err.close()
            self.err = None
        return self.proc.returncode

    def sanitizer_reports(self):
        return [line for line in self.log().splitlines()
                if any(m in line for m in SANITIZER_MARKS)]


def assert_no_leaks(stats, when):
    bad = {k: stats.get(k) for k in LEAK_FIGURES if stats.get(k) != 0}
    check(not bad, f"{when}: figures not back to 0: {bad} (stats {stats})")


# ---- SDP + RTP --------------------------------------------------------------------------------

SUITE = "AES_CM_128_HMAC_SHA1_80"


def new_key_b64():
    return base64.b64encode(os.urandom(30)).decode()


_RE_C = re.compile(r"^c=IN IP4 (\S+)\s*$", re.M)
_RE_M = re.compile(r"^m=audio (\d+) (\S+)((?: \d+)*)\s*$", re.M)
_RE_CRYPTO = re.compile(r"^a=crypto:(\d+) (\S+) inline:([A-Za-z0-9+/=]+)(\|\S+)*", re.M)


def parse_sdp(text):
    m = _RE_M.search(text)
    check(m is not None, f"no m=audio line in SDP:\n{text}")
    media = text[m.start():]
    mc = _RE_C.search(media)
    sc = _RE_C.search(text[:m.start()])
    return {"ip": mc.group(1) if mc else (sc.group(1) if sc else None),
            "port": int(m.group(1)), "proto": m.group(2), "fmts": m.group(3).split(),
            "cryptos": [(int(t), s, k) for t, s, k, _ in _RE_CRYPTO.findall(media)],
            "lines": text.replace("\r\n", "\n").split("\n")}


def rtp_packet(seq, ts, ssrc, payload, pt=0, marker=False):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                       ts & 0xFFFFFFFF, ssrc) + payload


def rtp_fields(packet):
    """(version, pt, seq, ts, ssrc, payload) of a plain RTP packet without CSRC/extension."""
    b0, b1, seq, ts, ssrc = struct.unpack("!BBHII", packet[:12])
    cc = b0 & 0x0F
    check(not (b0 & 0x10), "unexpected RTP header extension")
    return b0 >> 6, b1 & 0x7F, seq, ts, ssrc, packet[12 + 4 * cc:]


def payload_for(direction, i, size=160):
    """A recognisable payload: direction tag, index, then a pattern that depends on both."""
    head = struct.pack("!4sI", direction.encode()[:4].ljust(4, b"-"), i)
    body = bytes((i * 7 + j + len(direction)) & 0xFF for j in range(size - len(head)))
    return head + body
