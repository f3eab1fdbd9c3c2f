#!/usr/bin/python3
"""The teams-direct-routing profile against three Python TLS servers standing in for Microsoft's
SIP proxies, their FQDNs pinned to loopback addresses by the peer's `targets` table:

  UAC 127.0.14.10 --udp--> 127.0.14.1:5060 [gatehouse] 127.0.15.1:5061 --mTLS--> sip.pstnhub.microsoft.com  127.0.15.11:5061
                                                                                sip2.pstnhub.microsoft.com 127.0.15.12:5061
                                                                                sip3.pstnhub.microsoft.com 127.0.15.13:5061

Shown: OPTIONS keep-alives reach each live proxy with the FQDN Contact (transport=tls) and
X-MS-SBC, a dead one is marked down (gatehouse stats) and calls skip it; a proxy answering 503
with Retry-After makes the call fail over to the next one and is then skipped while the
Retry-After runs; a proxy that disappears between keep-alives makes the call move on to the
next; INVITEs carry X-MS-SBC and E.164 numbers with ;user=phone; a 603 Decline reaches the
caller and is never retried elsewhere; Microsoft's OPTIONS to gatehouse get 200 with
Allow, Accept and Supported; gatehouse's calls and transactions are back at zero after each step.
Media is not anchored (SDP passes through). Loopback 127.0.14.0/24 and 127.0.15.0/24 only;
every wait bounded; processes stopped by PID.

argv: gatehouse SHARED"""
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gh_harness import (Gatehouse, StreamChannel, UdpChannel, build, place_call,  # noqa: E402
                        response_to, sdp, tls_client_context, tls_connect, token)

BIN = sys.argv[1]
GH_PBX, GH_TEAMS = ("127.0.14.1", 5060), ("127.0.15.1", 5061)
CALLER = "127.0.14.10"
SIP, SIP2, SIP3 = ("127.0.15.11", 5061), ("127.0.15.12", 5061), ("127.0.15.13", 5061)
FQDN = {SIP: "sip.pstnhub.microsoft.com", SIP2: "sip2.pstnhub.microsoft.com",
        SIP3: "sip3.pstnhub.microsoft.com"}
CONTACT = "<sip:sbc.example.com:5061;transport=tls>"
NUMBER, DECLINED, CALLER_NUMBER = "14255550100", "14255550603", "49309018200"

failures, passed = [], []


def check(name, ok, detail=""):
    (passed if ok else failures).append(name + ("" if ok else f": {detail}"))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)
    return predicate()


def make_certs(folder):
    """A CA, gatehouse's certificate (sbc.example.com) and one for the three SIP proxies."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60, cwd=folder)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "30", "-subj", "/O=Gatehouse tests/CN=Teams test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, sans in (("sbc", ["sbc.example.com"]), ("pstnhub", list(FQDN.values()))):
        with open(os.path.join(folder, f"{name}.ext"), "w") as f:
            f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                    "extendedKeyUsage=serverAuth,clientAuth\n"
                    f"subjectAltName={','.join('DNS:' + s for s in sans)}\n")
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", f"/O=Gatehouse tests/CN={sans[0]}")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", f"{name}.crt", "-days", "30", "-extfile", f"{name}.ext")


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
name    = "pbx-side"
address = "{GH_PBX[0]}"
sip     = ["udp:{GH_PBX[1]}"]
allow   = ["127.0.14.0/24"]

[[interface]]
name    = "teams-side"
address = "{GH_TEAMS[0]}"
sip     = ["tls:{GH_TEAMS[1]}"]

[[peer]]
name    = "teams"
profile = "teams-direct-routing"
interface = "teams-side"
options_interval_s = 2      # 60 in production (the profile's default); short for the test
targets = [
  {{ fqdn = "{FQDN[SIP]}",  address = "{SIP[0]}:{SIP[1]}" }},
  {{ fqdn = "{FQDN[SIP2]}", address = "{SIP2[0]}:{SIP2[1]}" }},
  {{ fqdn = "{FQDN[SIP3]}", address = "{SIP3[0]}:{SIP3[1]}" }},
]

[[route]]
name    = "to-teams"
match.from_interface = "pbx-side"
to_peer = "teams"
media.anchor = false
"""


class Proxy(threading.Thread):
    """One of Microsoft's SIP proxies: a TLS server that verifies gatehouse's client certificate,
    answers OPTIONS 200, and INVITE with `invite_code` (200 with SDP, or 503 with Retry-After);
    an INVITE for DECLINED gets 603. Records every request."""

    def __init__(self, addr, certs, invite_code=200):
        super().__init__(daemon=True)
        self.addr, self.invite_code = addr, invite_code
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(f"{certs}/pstnhub.crt", f"{certs}/pstnhub.key")
        self.ctx.load_verify_locations(f"{certs}/ca.crt")
        self.ctx.verify_mode = ssl.CERT_REQUIRED
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(addr)
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.requests, self.client_cns, self.errors = [], [], []
        self.lock = threading.Lock()
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
            self.errors.append(str(e))
            raw.close()
            return
        cert = tls.getpeercert() or {}
        self.client_cns += [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
        chan = StreamChannel(tls)
        deadline = time.monotonic() + 170
        while self.running and time.monotonic() < deadline:
            msg = chan.recv(0.3)
            if msg is None:
                if chan.closed:
                    break
                continue
            if msg.is_response:
                continue
            with self.lock:
                self.requests.append(msg)
            if msg.method == "ACK":
                continue
            tag = token()
            contact = [("Contact", f"<sip:proxy@{self.addr[0]}:{self.addr[1]};transport=tls>")]
            if msg.method == "INVITE":
                chan.send(response_to(msg, 100, "Trying"))
                if DECLINED in msg.uri:
                    chan.send(response_to(msg, 603, "Decline", to_tag=tag))
                elif self.invite_code == 503:
                    chan.send(response_to(msg, 503, "Service Unavailable", [("Retry-After", "60")], to_tag=tag))
                else:
                    chan.send(response_to(msg, 200, "OK", contact + [("Content-Type", "application/sdp")],
                                          sdp(self.addr[0]), to_tag=tag))
            else:
                chan.send(response_to(msg, 200, "OK", contact, to_tag=tag))
        chan.close()

    def of(self, method):
        with self.lock:
            return [m for m in self.requests if m.method == method]

    def stop(self):
        self.running = False
        self.join(2)
        self.sock.close()


def target_state(gh, fqdn):
    for t in gh.stats().get("peer_targets", []):
        if t["target"] == f"{fqdn}:5061":
            return t
    return {}


def check_idle(gh, step):
    s = gh.wait_idle(10)
    check(f"{step}: calls_active and transactions_active back to 0",
          s["calls_active"] == 0 and s["transactions_active"] == 0,
          {k: s[k] for k in ("calls_active", "transactions_active")})


def check_invite(invite, proxy, step):
    want_ruri = f"sip:+{NUMBER}@{FQDN[proxy]}:5061;user=phone;transport=tls"
    check(f"{step}: Request-URI is E.164 with user=phone toward {FQDN[proxy]}",
          invite.uri == want_ruri, f"{invite.uri} (want {want_ruri})")
    check(f"{step}: To and From carry +E.164 and user=phone",
          f"+{NUMBER}@" in invite.get("to") and ";user=phone" in invite.get("to") and
          f"+{CALLER_NUMBER}@" in invite.get("from") and ";user=phone" in invite.get("from"),
          f"To: {invite.get('to')} From: {invite.get('from')}")
    check(f"{step}: X-MS-SBC names gatehouse", invite.get("x-ms-sbc").startswith("Gatehouse/"),
          invite.get("x-ms-sbc") or "no X-MS-SBC")
    check(f"{step}: Contact is the SBC FQDN with transport=tls", invite.get("contact") == CONTACT,
          invite.get("contact"))
    check(f"{step}: no Record-Route toward Teams (a B2BUA adds none)", not invite.all("record-route"),
          invite.all("record-route"))


def main():
    with tempfile.TemporaryDirectory(prefix="gh-teams-") as tmp:
        certs = os.path.join(tmp, "certs")
        os.makedirs(certs)
        make_certs(certs)
        config = os.path.join(tmp, "gatehouse.toml")
        with open(config, "w") as f:
            f.write(gatehouse_config(certs))
        gh = Gatehouse(BIN, config, os.path.join(tmp, f"ctl-{os.getpid()}.sock"),
                       os.path.join(tmp, "gatehouse.stderr"))
        sip2, sip3 = Proxy(SIP2, certs), Proxy(SIP3, certs)
        sip = None  # nothing listens on sip.pstnhub.microsoft.com at first
        udp = None
        try:
            sip2.start()
            sip3.start()
            gh.start()
            udp = UdpChannel((CALLER, 0), GH_PBX)

            # 1. Keep-alives: each live proxy gets OPTIONS with the FQDN Contact; sip is down.
            ok = wait_for(lambda: len(sip2.of("OPTIONS")) >= 2 and len(sip3.of("OPTIONS")) >= 2, 10)
            check("OPTIONS keep-alive reaches sip2 and sip3 (two rounds at 2 s)", ok,
                  f"sip2 {len(sip2.of('OPTIONS'))}, sip3 {len(sip3.of('OPTIONS'))}")
            for proxy, server in ((SIP2, sip2), (SIP3, sip3)):
                options = server.of("OPTIONS")
                if not options:
                    continue
                o = options[0]
                check(f"OPTIONS to {FQDN[proxy]}: Request-URI, FQDN Contact, X-MS-SBC",
                      o.uri == f"sip:{FQDN[proxy]}:5061;transport=tls" and o.get("contact") == CONTACT and
                      o.get("x-ms-sbc").startswith("Gatehouse/") and
                      o.get("via").startswith("SIP/2.0/TLS sbc.example.com:5061;"),
                      f"{o.uri} Contact {o.get('contact')} X-MS-SBC {o.get('x-ms-sbc')} Via {o.get('via')}")
            check("proxies verified gatehouse's client certificate (CN=sbc.example.com)",
                  sip2.client_cns and all(cn == "sbc.example.com" for cn in sip2.client_cns + sip3.client_cns),
                  f"{sip2.client_cns} {sip3.client_cns} {sip2.errors}")
            wait_for(lambda: target_state(gh, FQDN[SIP]).get("state") == "down" and
                     target_state(gh, FQDN[SIP2]).get("state") == "up", 10)
            states = {FQDN[p]: target_state(gh, FQDN[p]) for p in (SIP, SIP2, SIP3)}
            check("stats: sip down (nothing listens), sip2 and sip3 up",
                  states[FQDN[SIP]].get("state") == "down" and states[FQDN[SIP2]].get("state") == "up" and
                  states[FQDN[SIP3]].get("state") == "up", states)
            check("stats: per-target OPTIONS counters", states[FQDN[SIP2]].get("options_sent", 0) >= 2 and
                  states[FQDN[SIP2]].get("options_answered", 0) >= 1 and
                  states[FQDN[SIP]].get("options_failed", 0) >= 1, states)
            check("log: the dead target's state change",
                  "peer 'teams' target sip.pstnhub.microsoft.com:5061 is down" in gh.log(),
                  "no 'is down' line for sip")
            check_idle(gh, "keep-alive")

            # 2. A call while sip is known down: straight to sip2.
            r = place_call(udp, f"sip:{NUMBER}@{GH_PBX[0]}:{GH_PBX[1]}", GH_PBX[0], from_user=CALLER_NUMBER)
            check("call 1 (sip down): INVITE/200/ACK/BYE/200 through sip2", r.ok(), repr(r))
            wait_for(lambda: len(sip2.of("BYE")) >= 1, 5)
            invites = sip2.of("INVITE")
            check("call 1: sip2 got the INVITE, ACK and BYE",
                  len(invites) == 1 and len(sip2.of("ACK")) == 1 and len(sip2.of("BYE")) == 1,
                  [m.method for m in sip2.requests if m.method != "OPTIONS"])
            if invites:
                check_invite(invites[0], SIP2, "call 1")
            check_idle(gh, "call 1")

            # 3. sip comes up answering OPTIONS but 503 + Retry-After to INVITEs: the call fails
            #    over to sip2, and the next call skips sip while its Retry-After runs.
            sip = Proxy(SIP, certs, invite_code=503)
            sip.start()
            ok = wait_for(lambda: target_state(gh, FQDN[SIP]).get("state") == "up", 10)
            check("sip answers OPTIONS again: up", ok, target_state(gh, FQDN[SIP]))
            r = place_call(udp, f"sip:{NUMBER}@{GH_PBX[0]}:{GH_PBX[1]}", GH_PBX[0], from_user=CALLER_NUMBER)
            check("call 2: sip answers 503 Retry-After, the call fails over to sip2 and completes", r.ok(), repr(r))
            wait_for(lambda: len(sip2.of("BYE")) >= 2, 5)
            check("call 2: sip got one INVITE (and its ACK), sip2 the call",
                  len(sip.of("INVITE")) == 1 and len(sip.of("ACK")) == 1 and len(sip2.of("INVITE")) == 2,
                  f"sip {[m.method for m in sip.requests if m.method != 'OPTIONS']}, "
                  f"sip2 INVITEs {len(sip2.of('INVITE'))}")
            if sip.of("INVITE"):
                check_invite(sip.of("INVITE")[0], SIP, "call 2 (to sip)")
            if len(sip2.of("INVITE")) >= 2:
                check_invite(sip2.of("INVITE")[1], SIP2, "call 2 (to sip2)")
            check("call 2: log shows the failover from sip to sip2",
                  "target sip.pstnhub.microsoft.com:5061 failed (503); trying sip2.pstnhub.microsoft.com:5061"
                  in gh.log(), "no failover line")
            held = target_state(gh, FQDN[SIP])
            check("stats: sip held by the Retry-After", held.get("held_s", 0) > 0 and
                  held.get("calls_failed_over") == 1, held)
            check_idle(gh, "call 2")

            r = place_call(udp, f"sip:{NUMBER}@{GH_PBX[0]}:{GH_PBX[1]}", GH_PBX[0], from_user=CALLER_NUMBER)
            check("call 3: completes through sip2", r.ok(), repr(r))
            check("call 3: sip skipped while its Retry-After runs (still one INVITE)",
                  len(sip.of("INVITE")) == 1 and len(sip2.of("INVITE")) == 3,
                  f"sip {len(sip.of('INVITE'))}, sip2 {len(sip2.of('INVITE'))}")
            check_idle(gh, "call 3")

            # 4. 603 Decline from sip2: the caller gets it, no other proxy is tried.
            r = place_call(udp, f"sip:{DECLINED}@{GH_PBX[0]}:{GH_PBX[1]}", GH_PBX[0], from_user=CALLER_NUMBER)
            status = r.invite_final.status if r.invite_final else None
            check("call 4: 603 Decline reaches the caller", status == 603, repr(r))
            time.sleep(0.5)
            declined = [m for p in (sip, sip2, sip3) for m in p.of("INVITE") if DECLINED in m.uri]
            check("call 4: exactly one INVITE for the declined number, none to sip3 (no retry after 603)",
                  len(declined) == 1 and not sip3.of("INVITE"),
                  f"{len(declined)} INVITE(s); sip3 got {len(sip3.of('INVITE'))}")
            check_idle(gh, "call 4")

            # 5. sip2 goes away between two keep-alives: the call's INVITE meets a refused
            #    connection and moves on to sip3 (or, if a keep-alive saw it first, skips sip2).
            sip2.stop()
            time.sleep(0.6)  # its connection threads notice within 0.3 s and close
            r = place_call(udp, f"sip:{NUMBER}@{GH_PBX[0]}:{GH_PBX[1]}", GH_PBX[0], from_user=CALLER_NUMBER)
            check("call 5 (sip held, sip2 gone): completes through sip3", r.ok() and len(sip3.of("INVITE")) == 1,
                  f"{r!r}; sip3 INVITEs {len(sip3.of('INVITE'))}")
            if sip3.of("INVITE"):
                check_invite(sip3.of("INVITE")[0], SIP3, "call 5")
            moved = "target sip2.pstnhub.microsoft.com:5061 failed (transport error); trying sip3" in gh.log()
            print(f"   call 5 {'failed over from sip2 on the transport error' if moved else 'skipped sip2 (a keep-alive saw it down first)'}")
            ok = wait_for(lambda: target_state(gh, FQDN[SIP2]).get("state") == "down", 6)
            check("stats: sip2 down", ok, target_state(gh, FQDN[SIP2]))
            check_idle(gh, "call 5")

            # 6. Microsoft's OPTIONS to gatehouse (from a proxy's address): 200, Allow/Accept/Supported,
            # X-MS-SBC.
            ctx = tls_client_context(f"{certs}/ca.crt", f"{certs}/pstnhub.crt", f"{certs}/pstnhub.key")
            chan = tls_connect(ctx, SIP3[0], GH_TEAMS, "sbc.example.com")
            local = f"{chan.local[0]}:{chan.local[1]}"
            chan.send(build(f"OPTIONS sip:sbc.example.com:5061;transport=tls SIP/2.0", [
                ("Via", f"SIP/2.0/TLS {local};branch=z9hG4bK{token()}"), ("Max-Forwards", "70"),
                ("From", f"<sip:{FQDN[SIP3]}>;tag={token()}"), ("To", "<sip:sbc.example.com>"),
                ("Call-ID", token(16)), ("CSeq", "1 OPTIONS")]))
            answer = None
            deadline = time.monotonic() + 5
            while answer is None and time.monotonic() < deadline:
                msg = chan.recv(deadline - time.monotonic())
                if msg is None:
                    break
                if msg.is_response and msg.status >= 200:
                    answer = msg
            chan.close()
            check("Microsoft's OPTIONS answered 200 with Allow, Accept, Supported and X-MS-SBC",
                  answer is not None and answer.status == 200 and "INVITE" in answer.get("allow") and
                  answer.get("accept") == "application/sdp" and answer.get("supported") != "" and
                  answer.get("x-ms-sbc").startswith("Gatehouse/"),
                  repr(answer) if answer is None else answer.raw.decode(errors="replace"))
            check_idle(gh, "inbound OPTIONS")
            check("gatehouse alive at the end", gh.alive())
        except Exception as e:  # a peer that cannot start, a socket error: the test fails, with why
            check("test ran to the end", False, f"{type(e).__name__}: {e}")
        finally:
            if udp:
                udp.close()
            code = gh.stop()
            for p in (sip, sip2, sip3):
                if p:
                    p.stop()
            check("gatehouse exits 0 on SIGTERM", code == 0, f"exit {code}")
            reports = gh.sanitizer_reports()
            check("no sanitizer report on gatehouse's stderr", not reports, "\n".join(reports[:20]))
            if failures:
                print("---- gatehouse stderr (tail) ----")
                print("\n".join(gh.log().splitlines()[-80:]))
    print(f"{len(passed)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
