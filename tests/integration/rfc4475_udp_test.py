#!/usr/bin/python3
"""Every RFC 4475 (and RFC 5118) torture message, one datagram each, sent over UDP to a running
`gatehouse run` (own config on 127.0.6.1; allow list admits the sender 127.0.6.10; one route
sends every new request to a UDP UAS on 127.0.6.20 that answers INVITEs 200; nobody ACKs,
so gatehouse must end those calls on its own).

Per message, judged against the corpus manifest (class + expected text):
- valid requests: a response that is not a parse rejection (400/505/413/414/513), or a request
  relayed to the UAS;
- valid-semantic requests: one of the status codes the manifest's `expected` names, or a relay
  where it says a proxy forwards it (a few explicit readings are in SEMANTIC below);
- invalid requests: 505 when the manifest says 505, else 400 (mismatch02: 501 or 400; insuf:
  "ideally 400", and dropping is tolerated: it lacks the From, To and Call-ID a response copies);
- responses (stray, from nobody we sent to): dropped silently, never relayed;
- after every message the process is alive; at the end `gatehouse stats` shows calls_active 0
  and transactions_active 0 within a bounded wait, SIGTERM ends it with status 0 and its stderr
  holds no AddressSanitizer / UBSan report."""
import json
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gh_harness import Gatehouse, Msg, UdpChannel, UdpUas  # noqa: E402

BIN, SHARED = sys.argv[1], sys.argv[2]
CORPUS = os.path.join(SHARED, "corpus")
GH_IP, SENDER_IP, UAS = "127.0.6.1", "127.0.6.10", ("127.0.6.20", 5080)
PARSE_REJECTIONS = {400, 413, 414, 505, 513}

# valid-semantic messages whose expected text allows answers beyond the codes it names.
SEMANTIC = {
    # "for OPTIONS a proxy may also answer itself per RFC 3261 s16.3"
    "zeromf.sip": {"codes": {483, 200}},
    # "Either 400 (preferably stateless) or fall back to RFC 2543-style transaction matching"
    "badbranch.sip": {"codes": {400}, "any_non_reject": True},
    # "Proxy treats it like any other request; a registrar rejects with 400": not a registrar
    "unksm2.sip": {"codes": {400}, "any_non_reject": True},
    # "accept for backwards compatibility"
    "inv2543.sip": {"codes": set(), "any_non_reject": True},
    # "REGISTER succeeds" (at a registrar; a B2BUA that is none answers it as it answers REGISTER)
    "cparam01.sip": {"codes": set(), "any_non_reject": True},
    "cparam02.sip": {"codes": set(), "any_non_reject": True},
    "regescrt.sip": {"codes": set(), "any_non_reject": True},
    # "registrar either ignores it or challenges with 401; non-registrar endpoints 405"
    "regaut01.sip": {"codes": {401, 405}, "any_non_reject": True},
}

# invalid messages the manifest lets go unanswered ("must not break; ideally 400 Bad Request").
INVALID_MAY_DROP = {"insuf.sip"}

CONFIG = f"""
[sbc]
fqdn = "sbc.example.com"

[log]
level = "{os.environ.get('GH_TEST_LOG_LEVEL', 'info')}"

[timers]
t1_ms = 20
t2_ms = 200
t4_ms = 100
no_answer_s = 5

[[interface]]
name  = "corpus"
address = "{GH_IP}"
sip   = ["udp:5060"]
allow = ["127.0.6.0/24"]

[[peer]]
name      = "uas"
interface = "corpus"
transport = "udp"
address   = "{UAS[0]}:{UAS[1]}"

[[route]]
name    = "everything-to-uas"
to_peer = "uas"
media.anchor = false
"""


def load(folder):
    path = os.path.join(CORPUS, folder, "manifest.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [dict(m, folder=folder) for m in json.load(f)["messages"]]


def via_port(data):
    # the first Via's sent-by port (IPv6 references end with ']:port'), else the default
    first = re.search(rb"\r\n(?:via|v)[ \t]*:([^\r\n]*)", data, re.I)
    if not first:
        return 5060
    value = first.group(1).split(b";")[0]
    pm = re.search(rb"(?:\]|[A-Za-z0-9-])[ \t]*:[ \t]*(\d+)[ \t]*$", value.strip())
    return int(pm.group(1)) if pm else 5060


def txn_key(data):
    """RFC 3261 17.2.3 server transaction key: top Via branch + sent-by, and the method. Many
    corpus messages share one (branch z9hG4bKkdjuw, same host): sent within Timer J of each
    other, the second is a retransmission of the first and gets the first one's response."""
    head = data.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").replace(b"\r\n\t", b" ")
    via = re.search(rb"\r\n(?:via|v)[ \t]*:([^\r\n]*)", head, re.I)
    if not via:
        return None
    top = re.sub(rb"\s+", b"", via.group(1).split(b",")[0]).lower()
    branch = re.search(rb";branch=([^;]*)", top)
    sent_by = top.split(b";")[0].rsplit(b"/", 1)[-1]
    method = head.split(b" ", 1)[0].upper()
    return (branch.group(1) if branch else None, sent_by, b"INVITE" if method == b"ACK" else method)


def key_of(data):
    """Call-ID and CSeq number as written (to pick our responses out of late retransmissions)."""
    cid = re.search(rb"\r\n(?:call-id|i)[ \t]*:[ \t]*([^\r\n]*)", data, re.I)
    return cid.group(1).strip() if cid else None


def verdict(entry, is_response, codes, relayed):
    name, cls, expected = entry["file"], entry["class"], entry["expected"]
    got = f"responses {codes or 'none'}, relayed {relayed}"
    if is_response:
        if codes or relayed:
            return f"a response must be dropped; got {got}"
        return None
    if cls == "valid":
        if relayed or (codes and not (set(codes) & PARSE_REJECTIONS)):
            return None
        return f"valid request: want a non-rejecting answer or a relay; got {got}"
    if cls == "valid-semantic":
        rule = SEMANTIC.get(name)
        named = {int(c) for c in re.findall(r"(?<![\w.:])([1-6]\d\d)(?![\w.:])", expected)}
        allowed = named | (rule["codes"] if rule else set())
        if set(codes) & allowed:
            return None
        if relayed and "forward" in expected.lower():
            return None
        if rule and rule.get("any_non_reject") and (relayed or (codes and not set(codes) & PARSE_REJECTIONS)):
            return None
        if not allowed and (relayed or codes):
            return None
        return f"valid-semantic: want one of {sorted(allowed)}{' or a relay' if 'forward' in expected.lower() else ''}; got {got}"
    if cls == "invalid":
        want = {505} if "505" in expected else {400}
        if name == "mismatch02.sip":
            want = {501, 400}  # "501 Not Implemented preferred (400 acceptable)"
        if set(codes) & want and not relayed:
            return None
        if name in INVALID_MAY_DROP and not codes and not relayed:
            return None
        return f"invalid: want {sorted(want)} and no relay; got {got}"
    # "undocumented" (test.sip: garbage without a SIP version): refused or dropped, never relayed
    if relayed or (codes and not set(codes) & PARSE_REJECTIONS):
        return f"garbage must be refused or dropped; got {got}"
    return None


def main():
    messages = load("rfc4475") + load("rfc5118")
    if not messages:
        print("FAIL no corpus manifest under", CORPUS)
        return 1
    failures, results = [], []
    with tempfile.TemporaryDirectory(prefix="gh-4475-") as tmp:
        config = os.path.join(tmp, "gatehouse.toml")
        with open(config, "w") as f:
            f.write(CONFIG)
        gh = Gatehouse(BIN, config, os.path.join(tmp, f"ctl-{os.getpid()}.sock"),
                       os.path.join(tmp, "gatehouse.stderr"))
        uas = UdpUas(UAS, invite_code=200)
        uas.start()
        channels, seen_keys = {}, set()
        try:
            gh.start()
            for entry in messages:
                path = os.path.join(CORPUS, entry["folder"], entry["file"])
                with open(path, "rb") as f:
                    data = f.read()
                port = via_port(data)
                chan = channels.get(port)
                if chan is None:
                    chan = channels[port] = UdpChannel((SENDER_IP, port), (GH_IP, 5060))
                is_response = data.startswith(b"SIP/")
                key = txn_key(data)
                if not is_response and key in seen_keys:
                    # wait out the earlier transaction with the same key (bounded: 64*T1 + margin)
                    deadline = time.monotonic() + 8
                    while gh.stats()["transactions_server_active"] and time.monotonic() < deadline:
                        time.sleep(0.1)
                seen_keys.add(key)
                cid = key_of(data)
                before = len(uas.received)
                chan.send(data)
                codes, deadline, settle = [], time.monotonic() + 1.0, None
                while time.monotonic() < (settle or deadline):
                    msg = chan.recv(min(settle or deadline, deadline) - time.monotonic())
                    if msg is None:
                        continue
                    if msg.is_response and (cid is None or msg.get("call-id").encode() == cid):
                        codes.append(msg.status)
                        if msg.status >= 200 and settle is None:
                            settle = time.monotonic() + 0.15
                # ACK, and the BYEs that end earlier unacknowledged calls, are not relays of this message
                relayed = [m.method for m in uas.received[before:] if m.method not in ("ACK", "BYE", "CANCEL")]
                finals = [c for c in codes if c >= 200]
                problem = verdict(entry, is_response, finals, relayed)
                results.append(f"{entry['folder']}/{entry['file']} [{entry['class']}]: "
                               f"responses {codes} relayed {relayed}" + (f" -- FAIL: {problem}" if problem else ""))
                if problem:
                    failures.append(f"{entry['folder']}/{entry['file']}: {problem}")
                if not gh.alive():
                    failures.append(f"gatehouse died after {entry['file']} (exit {gh.proc.returncode})")
                    break
            if gh.alive():
                stats = gh.wait_idle(15)
                results.append("final stats: " + ", ".join(f"{k}={stats[k]}" for k in (
                    "calls_active", "transactions_active", "requests_received", "parse_errors_answered",
                    "responses_sent_4xx", "responses_sent_5xx", "transport_parse_errors", "timers_pending")))
                if stats["calls_active"] != 0 or stats["transactions_active"] != 0:
                    failures.append(f"not idle after 15 s: calls_active {stats['calls_active']}, "
                                    f"transactions_active {stats['transactions_active']}")
        finally:
            code = gh.stop()
            uas.stop()
            for chan in channels.values():
                chan.close()
            if code not in (0, None):
                failures.append(f"gatehouse exit status {code} after SIGTERM")
            reports = gh.sanitizer_reports()
            if reports:
                failures.append("sanitizer reports on stderr:\n  " + "\n  ".join(reports[:20]))
            if failures:
                print("---- gatehouse stderr (tail) ----")
                print("\n".join(gh.log().splitlines()[-80:]))
    for line in results:
        print(line)
    for f in failures:
        print("FAIL", f)
    print(f"{len(messages)} messages, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
