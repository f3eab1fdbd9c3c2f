#!/usr/bin/python3
"""Gatehouse's TLS against real peers: Python `ssl` clients and servers and Kamailio 5.6.

Topology (own config, loopback only):

  Python TLS client 127.0.4.10 --mTLS--> edge 127.0.4.1:5061 [gatehouse] core 127.0.5.1:5060 --udp--> UAS 127.0.5.10:5080
  UAC 127.0.5.11 --udp--> core [gatehouse] edge --mTLS--> Python TLS server 127.0.4.30:5061 (checks our subject)
  UAC 127.0.4.21 --udp--> Kamailio 127.0.4.20:5060 --mTLS--> edge [gatehouse] core --udp--> UAS
  UAC 127.0.5.11 --udp--> core [gatehouse] edge --mTLS--> Kamailio 127.0.4.20:5061 --udp--> UAS

Refusals, each with the reason in gatehouse's log: a client without a certificate (127.0.4.12),
with an expired one (127.0.4.13), with one from another CA (127.0.4.14); and a server whose
certificate carries the wrong name (127.0.4.31), which gatehouse as client refuses: the caller
gets 503.

argv: gatehouse SHARED SOURCE_DIR"""
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gh_harness import (Gatehouse, StreamChannel, UdpChannel, UdpUas, place_call,  # noqa: E402
                        response_to, sdp, token, tls_client_context, tls_connect, build)

BIN, SHARED, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
KAMAILIO = "/usr/sbin/kamailio"
KAMAILIO_MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules"
UM = "df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com"
EDGE, CORE = ("127.0.4.1", 5061), ("127.0.5.1", 5060)
UAS = ("127.0.5.10", 5080)
PYFAR, WRONG, KAM_TLS, KAM_UDP = ("127.0.4.30", 5061), ("127.0.4.31", 5061), ("127.0.4.20", 5061), ("127.0.4.20", 5060)

failures, passed = [], []


def check(name, ok, detail=""):
    (passed if ok else failures).append(name + ("" if ok else f": {detail}"))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)
    return predicate()


def gatehouse_config(certs):
    return f"""
[sbc]
fqdn = "sbc.example.com"

[log]
level = "info"

[timers]
t1_ms = 100
t4_ms = 500
no_answer_s = 10

[tls]
certificate = "{certs}/sbc.crt"
private_key = "{certs}/sbc.key"
ca_bundle   = "{certs}/ca.crt"

[[interface]]
name    = "edge"
address = "{EDGE[0]}"
sip     = ["tls:{EDGE[1]}"]
require_client_certificate = true
allow   = ["127.0.4.0/24"]

[[interface]]
name    = "core"
address = "{CORE[0]}"
sip     = ["udp:{CORE[1]}"]
allow   = ["127.0.5.0/24"]

[[peer]]
name      = "uas"
interface = "core"
transport = "udp"
address   = "{UAS[0]}:{UAS[1]}"

[[peer]]
name      = "pyfar"
interface = "edge"
transport = "tls"
fqdn      = "{UM}"
address   = "{PYFAR[0]}:{PYFAR[1]}"

[[peer]]
name      = "wrong"
interface = "edge"
transport = "tls"
fqdn      = "{UM}"
address   = "{WRONG[0]}:{WRONG[1]}"

[[peer]]
name      = "kam"
interface = "edge"
transport = "tls"
fqdn      = "{UM}"
address   = "{KAM_TLS[0]}:{KAM_TLS[1]}"

[[route]]
name    = "to-uas"
match   = {{ request_uri = '^sips?:uas@' }}
to_peer = "uas"
media.anchor = false

[[route]]
name    = "to-pyfar"
match   = {{ request_uri = '^sips?:pyfar@' }}
to_peer = "pyfar"
media.anchor = false

[[route]]
name    = "to-wrong"
match   = {{ request_uri = '^sips?:wrong@' }}
to_peer = "wrong"
media.anchor = false

[[route]]
name    = "to-kam"
match   = {{ request_uri = '^sips?:kam@' }}
to_peer = "kam"
media.anchor = false
"""


class TlsUas(threading.Thread):
    """A SIP TLS server: requires and verifies a client certificate, records the subject CN of
    each client, answers INVITE 100+200, BYE 200, ignores ACK."""

    def __init__(self, addr, certs, cert_name):
        super().__init__(daemon=True)
        self.addr = addr
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(f"{certs}/{cert_name}.crt", f"{certs}/{cert_name}.key")
        self.ctx.load_verify_locations(f"{certs}/ca.crt")
        self.ctx.verify_mode = ssl.CERT_REQUIRED
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(addr)
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.client_cns, self.handshake_errors, self.methods = [], [], []
        self.running = True

    def run(self):
        while self.running:
            try:
                raw, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self.serve, args=(raw,), daemon=True).start()

    def serve(self, raw):
        raw.settimeout(5)
        try:
            tls = self.ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.handshake_errors.append(str(e))
            raw.close()
            return
        cert = tls.getpeercert() or {}
        cn = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
        self.client_cns.append(cn[0] if cn else None)
        chan = StreamChannel(tls)
        tag = token()
        while self.running:
            msg = chan.recv(0.3)
            if msg is None:
                if chan.closed:
                    break
                continue
            if msg.is_response:
                continue
            self.methods.append(msg.method)
            if msg.method == "ACK":
                continue
            contact = [("Contact", f"<sip:far@{self.addr[0]}:{self.addr[1]};transport=tls>")]
            if msg.method == "INVITE":
                chan.send(response_to(msg, 100, "Trying"))
                chan.send(response_to(msg, 200, "OK", contact + [("Content-Type", "application/sdp")],
                                      sdp(self.addr[0]), to_tag=tag))
            else:
                chan.send(response_to(msg, 200, "OK", contact, to_tag=tag))
        chan.close()

    def stop(self):
        self.running = False
        self.join(2)
        self.sock.close()


def kamailio_config(tmp, certs):
    tls_cfg = os.path.join(tmp, "kamailio-tls.cfg")
    with open(tls_cfg, "w") as f:
        for role in ("server", "client"):
            f.write(f"""[{role}:default]
method = TLSv1.2+
verify_certificate = yes
require_certificate = yes
private_key = {certs}/um.key
certificate = {certs}/um.crt
ca_list = {certs}/ca.crt

""")
    cfg = os.path.join(tmp, "kamailio.cfg")
    with open(cfg, "w") as f:
        f.write(f"""#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
enable_tls=yes
tcp_connect_timeout=3
listen=udp:{KAM_UDP[0]}:{KAM_UDP[1]}
listen=tls:{KAM_TLS[0]}:{KAM_TLS[1]}
mpath="{KAMAILIO_MODULES}/"
loadmodule "tls.so"
loadmodule "sl.so"
loadmodule "tm.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "siputils.so"
loadmodule "textops.so"
modparam("tls", "config", "{tls_cfg}")
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 8000)

request_route {{
    xlog("L_NOTICE", "KAM-IN $rm $ru from $si:$sp over $pr\\n");
    if (has_totag()) {{
        if (loose_route()) {{
            t_relay();
            exit;
        }}
        if (is_method("ACK") && !t_check_trans()) {{
            forward();
            exit;
        }}
        t_relay();
        exit;
    }}
    if ($pr == "tls") {{
        # From gatehouse: mutual TLS, its client certificate must be verified and name the SBC.
        xlog("L_NOTICE", "KAM-TLS-PEER verified=$tls_peer_verified cn=$tls_peer_subject_cn\\n");
        if ($tls_peer_verified != 1 || $tls_peer_subject_cn != "sbc.example.com") {{
            sl_send_reply("403", "Client certificate not accepted");
            exit;
        }}
        if (is_method("OPTIONS")) {{
            sl_send_reply("200", "OK from Kamailio");
            exit;
        }}
        record_route();
        $du = "sip:{UAS[0]}:{UAS[1]}";
        t_relay();
        exit;
    }}
    # From the UDP side: on to gatehouse over TLS, from Kamailio's own TLS address (else the
    # kernel picks 127.0.0.1, which gatehouse's allow list does not admit).
    force_send_socket(tls:{KAM_TLS[0]}:{KAM_TLS[1]});
    record_route();
    $du = "sip:{EDGE[0]}:{EDGE[1]};transport=tls";
    t_relay();
}}
""")
    return cfg


class Kamailio:
    def __init__(self, tmp, certs):
        self.cfg = kamailio_config(tmp, certs)
        self.pidfile = os.path.join(tmp, "kamailio.pid")
        self.rundir = os.path.join(tmp, "kamailio-run")
        os.makedirs(self.rundir, exist_ok=True)
        self.log_path = os.path.join(tmp, "kamailio.stderr")
        self.proc = None

    def start(self, timeout=15):
        check_cfg = subprocess.run([KAMAILIO, "-c", "-f", self.cfg, "-Y", self.rundir],
                                   capture_output=True, timeout=30)
        if check_cfg.returncode != 0:
            raise RuntimeError("kamailio -c: " + check_cfg.stderr.decode(errors="replace")[-2000:])
        self.err = open(self.log_path, "wb")
        self.proc = subprocess.Popen([KAMAILIO, "-DD", "-E", "-f", self.cfg, "-P", self.pidfile,
                                      "-Y", self.rundir, "-m", "64", "-M", "8"],
                                     stdout=self.err, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kamailio exited {self.proc.returncode}:\n{self.log()[-3000:]}")
            if os.path.exists(self.pidfile) and self._listening():
                return
            time.sleep(0.1)
        raise RuntimeError("kamailio did not start:\n" + self.log()[-3000:])

    def _listening(self):
        s = socket.socket()
        s.settimeout(0.2)
        try:
            s.connect(KAM_TLS)
            return True
        except OSError:
            return False
        finally:
            s.close()

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        pid = self.proc.pid
        try:
            with open(self.pidfile) as f:
                pid = int(f.read().strip() or pid)
        except (OSError, ValueError):
            pass
        if self.proc.poll() is None:
            os.kill(pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.err.close()


def options_over(chan, uri, from_host):
    local = f"{chan.local[0]}:{chan.local[1]}"
    chan.send(build(f"OPTIONS {uri} SIP/2.0", [
        ("Via", f"SIP/2.0/{chan.via_transport} {local};branch=z9hG4bK{token()};rport"),
        ("Max-Forwards", "70"), ("From", f"<sip:probe@{from_host}>;tag={token()}"), ("To", f"<{uri}>"),
        ("Call-ID", token(16)), ("CSeq", "1 OPTIONS")]))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        msg = chan.recv(deadline - time.monotonic())
        if msg is None:
            return None
        if msg.is_response and msg.status >= 200:
            return msg
    return None


def refused_client(gh, certs, local_ip, cert, want_reason, name):
    """A TLS client that gatehouse must refuse: no SIP answer, and a log line with the reason."""
    ctx = tls_client_context(f"{certs}/ca.crt", *( (f"{certs}/{cert}.crt", f"{certs}/{cert}.key") if cert else ()))
    answer, error = None, None
    try:
        chan = tls_connect(ctx, local_ip, EDGE, "sbc.example.com")
        try:
            answer = options_over(chan, f"sip:uas@{EDGE[0]}:{EDGE[1]};transport=tls", local_ip)
            error = getattr(chan, "error", None)
        finally:
            chan.close()
    except (ssl.SSLError, OSError) as e:
        error = e  # TLS 1.2 fails in the handshake; TLS 1.3 after it (the client sent its Finished)
    check(f"{name}: no SIP answer", answer is None, f"got {answer}")
    prefix = f"TLS handshake from {local_ip}:"
    gh.wait_log(prefix, 5)
    lines = [line for line in gh.log().splitlines() if prefix in line]
    check(f"{name}: gatehouse logs '{want_reason}'", any(want_reason in line for line in lines),
          f"log lines: {lines or 'none'} (client saw: {error})")
    for line in lines:
        print("   log:", line.strip())


def main():
    with tempfile.TemporaryDirectory(prefix="gh-tls-") as tmp:
        made = subprocess.run(["sh", os.path.join(SOURCE, "examples", "make-test-certs.sh"), tmp],
                              capture_output=True, timeout=120)
        if made.returncode != 0:
            print("FAIL make-test-certs.sh:", made.stderr.decode(errors="replace"))
            return 1
        certs = os.path.join(tmp, "certs")
        config = os.path.join(tmp, "gatehouse.toml")
        with open(config, "w") as f:
            f.write(gatehouse_config(certs))
        gh = Gatehouse(BIN, config, os.path.join(tmp, f"ctl-{os.getpid()}.sock"),
                       os.path.join(tmp, "gatehouse.stderr"))
        uas = UdpUas(UAS)
        pyfar = TlsUas(PYFAR, certs, "um")
        wrong = TlsUas(WRONG, certs, "wrong-name")
        kam = Kamailio(tmp, certs)
        try:
            for t in (uas, pyfar, wrong):
                t.start()
            gh.start()

            # 1. Python mTLS client -> gatehouse -> UDP UAS: a whole call.
            ctx = tls_client_context(f"{certs}/ca.crt", f"{certs}/um.crt", f"{certs}/um.key")
            chan = tls_connect(ctx, "127.0.4.10", EDGE, "sbc.example.com")
            r = place_call(chan, f"sip:uas@{EDGE[0]}:{EDGE[1]};transport=tls", "127.0.4.10")
            chan.close()
            check("python TLS client -> gatehouse -> UDP UAS: INVITE/200/ACK/BYE/200", r.ok(), repr(r))
            wait_for(lambda: uas.methods()[-3:] == ["INVITE", "ACK", "BYE"], 5)  # its BYE follows our 200
            check("  UAS saw INVITE, ACK, BYE", uas.methods()[-3:] == ["INVITE", "ACK", "BYE"], uas.methods())
            check("  gatehouse logged the client's certificate",
                  "TLS from 127.0.4.10" in gh.log() and f"CN={UM}" in gh.log(), "no 'TLS from 127.0.4.10 ... CN=' line")

            # 2. UDP UAC -> gatehouse -> Python mTLS server (which checks gatehouse's certificate).
            udp = UdpChannel(("127.0.5.11", 0), CORE)
            r = place_call(udp, f"sip:pyfar@{CORE[0]}:{CORE[1]}", "127.0.5.11")
            check("UDP UAC -> gatehouse -> python TLS server: INVITE/200/ACK/BYE/200", r.ok(), repr(r))
            check("  server verified gatehouse's client certificate, CN=sbc.example.com",
                  pyfar.client_cns and all(cn == "sbc.example.com" for cn in pyfar.client_cns),
                  f"client CNs {pyfar.client_cns}, handshake errors {pyfar.handshake_errors}")
            wait_for(lambda: pyfar.methods[-3:] == ["INVITE", "ACK", "BYE"], 5)
            check("  server saw INVITE, ACK, BYE", pyfar.methods[-3:] == ["INVITE", "ACK", "BYE"], pyfar.methods)

            # 3. Refused clients.
            refused_client(gh, certs, "127.0.4.12", None, "no client certificate", "client without a certificate")
            refused_client(gh, certs, "127.0.4.13", "expired", "certificate expired", "client with an expired certificate")
            refused_client(gh, certs, "127.0.4.14", "sbc-other-ca", "unknown CA", "client with a certificate from another CA")

            # 4. A server certificate with the wrong name: gatehouse refuses it, the caller gets 503.
            r = place_call(udp, f"sip:wrong@{CORE[0]}:{CORE[1]}", "127.0.5.11", timeout=15)
            status = r.invite_final.status if r.invite_final else None
            check("server certificate with the wrong name: caller gets 503", status == 503, repr(r))
            want = f"TLS handshake to {WRONG[0]}:{WRONG[1]} failed: name mismatch: expected {UM}"
            gh.wait_log(want, 5)
            lines = [line for line in gh.log().splitlines() if f"TLS handshake to {WRONG[0]}" in line]
            check("  gatehouse logs the name mismatch", any(want in line and "other.example.com" in line for line in lines),
                  f"log lines: {lines or 'none'}")
            for line in lines:
                print("   log:", line.strip())
            check("  no SIP request reached the wrong-name server", not wrong.methods, wrong.methods)

            # 5. Kamailio as TLS client toward gatehouse, and as TLS server gatehouse connects to.
            if not os.access(KAMAILIO, os.X_OK):
                check("kamailio installed", False, f"{KAMAILIO} missing (apt-get install kamailio kamailio-tls-modules)")
            else:
                kam.start()
                kudp = UdpChannel(("127.0.4.21", 0), KAM_UDP)
                ans = options_over(kudp, f"sip:uas@{EDGE[0]}", "127.0.4.21")
                check("UDP -> Kamailio -> mTLS -> gatehouse: OPTIONS answered 200 by gatehouse",
                      ans is not None and ans.status == 200 and "Gatehouse" in ans.get("server"), repr(ans))
                r = place_call(kudp, f"sip:uas@{EDGE[0]}", "127.0.4.21")
                check("UDP UAC -> Kamailio (TLS client) -> gatehouse -> UAS: whole call", r.ok(), repr(r))
                kudp.close()
                r = place_call(udp, f"sip:kam@{CORE[0]}:{CORE[1]}", "127.0.5.11")
                check("UDP UAC -> gatehouse -> Kamailio (TLS server, mTLS) -> UAS: whole call", r.ok(), repr(r))
                check("  Kamailio verified gatehouse's client certificate",
                      "KAM-TLS-PEER verified=1 cn=sbc.example.com" in kam.log(),
                      [line for line in kam.log().splitlines() if "KAM-TLS-PEER" in line] or kam.log()[-1500:])
            udp.close()

            stats = gh.wait_idle(10)
            check("gatehouse idle at the end (calls_active 0, transactions_active 0)",
                  stats["calls_active"] == 0 and stats["transactions_active"] == 0, stats)
            check("gatehouse counted the refused handshakes (>= 4)", stats["tls_handshake_failures"] >= 4, stats)
            check("gatehouse alive at the end", gh.alive())
        except Exception as e:  # a peer that cannot start, a socket error: the test fails, with why
            check("test ran to the end", False, f"{type(e).__name__}: {e}")
        finally:
            kam.stop()
            code = gh.stop()
            for t in (uas, pyfar, wrong):
                t.stop()
            check("gatehouse exits 0 on SIGTERM", code == 0, f"exit {code}")
            reports = gh.sanitizer_reports()
            check("no sanitizer report on gatehouse's stderr", not reports, "\n".join(reports[:20]))
            if failures:
                print("---- gatehouse stderr (tail) ----")
                print("\n".join(gh.log().splitlines()[-60:]))
                if kam.proc:
                    print("---- kamailio stderr (tail) ----")
                    print("\n".join(kam.log().splitlines()[-40:]))
    print(f"{len(passed)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
