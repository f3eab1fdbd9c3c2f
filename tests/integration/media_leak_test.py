#!/usr/bin/python3
"""Leaks and robustness of `gatehouse media`, driven over NG straight from Python (what Kamailio's
rtpengine module sends: offer / answer / delete with the seed's flags).

Three nodes, each from examples/media-loopback.toml (the contract) with NG on a free port and
interfaces on 127.0.7.5 / 127.0.8.5:
1. churn: 50 calls offered + answered (RTP -> SDES-SRTP), media through some, 10 offered only,
   5 re-offered, then every call deleted: while up, the figures show them; after the deletes
   `gatehouse stats` shows calls_active, streams_active, ports_in_use, sockets_open and
   srtp_contexts all 0. Then malformed and unknown NG datagrams: every one with a cookie gets
   one error reply, the node stays up and answers ping, nothing leaks.
2. timeout: `[media] timeout_s = 2`; answered calls without media, answered calls whose media
   stops, offered-only calls: all are deleted by the node within a bounded wait, figures 0.
3. exhaustion: 4 ports per interface (2 RTP/RTCP pairs): two calls fit, the third offer gets
   the NG error "Ran out of ports" and leaves nothing behind; a deleted call's ports serve a
   new offer; after the deletes every figure is 0.
Every node ends with SIGTERM -> exit 0 and no AddressSanitizer/UBSan/LeakSanitizer report.

Usage: media_leak_test.py GATEHOUSE_BIN SHARED_DIR PROJECT_SOURCE_DIR"""
import base64
import os
import random
import shutil
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import media_harness as mh  # noqa: E402

BIN, SHARED, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
EXAMPLE = os.path.join(SOURCE, "examples", "media-loopback.toml")
INTERNAL_IP, EXTERNAL_IP = "127.0.7.5", "127.0.8.5"
PBX_IP, MS_IP = "127.0.7.2", "127.0.8.2"
T0 = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - T0:6.2f}] {msg}", flush=True)


def pbx_sdp(port, sess):
    return ("v=0\r\n"
            f"o=- {sess} 1 IN IP4 {PBX_IP}\r\n"
            "s=-\r\n"
            f"c=IN IP4 {PBX_IP}\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-15\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n")


def ms_sdp(port, sess, tag, key):
    return ("v=0\r\n"
            f"o=- {sess} 0 IN IP4 {MS_IP}\r\n"
            "s=session\r\n"
            f"c=IN IP4 {MS_IP}\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/SAVP 0 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=sendrecv\r\n"
            f"a=crypto:{tag} {mh.SUITE} inline:{key}\r\n")


def offer(ng, call_id, from_tag, port, sess=1):
    """The seed's INVITE flags as Kamailio's rtpengine module sends them."""
    return ng.request({"command": "offer", "call-id": call_id, "from-tag": from_tag,
                       "sdp": pbx_sdp(port, sess), "transport-protocol": "RTP/SAVP",
                       "DTLS": "off", "ICE": "remove", "replace": ["session-connection"],
                       "direction": ["internal", "external"]})


def answer(ng, call_id, from_tag, to_tag, offer_sdp, port, sess=1):
    """The seed's reply flags; answers the relay's SRTP offer with a fresh key on its tag."""
    o = mh.parse_sdp(offer_sdp)
    tags = [c for c in o["cryptos"] if c[1] == mh.SUITE]
    mh.check(o["proto"] == "RTP/SAVP" and tags, f"offer is not SDES {mh.SUITE}:\n{offer_sdp}")
    key = mh.new_key_b64()
    reply = ng.ok({"command": "answer", "call-id": call_id, "from-tag": from_tag,
                   "to-tag": to_tag, "sdp": ms_sdp(port, sess, tags[0][0], key),
                   "transport-protocol": "RTP/AVP", "DTLS": "off", "ICE": "remove",
                   "replace": ["session-connection"], "direction": ["external", "internal"]})
    return reply, key, o


def delete(ng, call_id, from_tag):
    return ng.ok({"command": "delete", "call-id": call_id, "from-tag": from_tag})


class Node:
    def __init__(self, tmp, name, internal_ports, external_ports, timeout_s=None):
        self.ng_port = mh.free_udp_port()
        path = os.path.join(tmp, f"{name}.toml")
        with open(path, "w") as f:
            f.write(mh.media_config(EXAMPLE, self.ng_port, (INTERNAL_IP, internal_ports),
                                    (EXTERNAL_IP, external_ports), timeout_s))
        self.node = mh.MediaNode(BIN, path, os.path.join(tmp, f"{name}.sock"),
                                 os.path.join(tmp, f"{name}.log"), self.ng_port)
        self.name = name

    def __enter__(self):
        self.node.start()
        self.ng = mh.NgClient(self.ng_port)
        log(f"{self.name}: gatehouse media up, NG 127.0.0.1:{self.ng_port}")
        return self

    def __exit__(self, *exc):
        self.ng.close()
        alive = self.node.alive()
        status = self.node.stop()
        problems = []
        if not alive:
            problems.append(f"{self.name}: gatehouse media died (status {status})")
        elif status != 0:
            problems.append(f"{self.name}: gatehouse media exited {status} on SIGTERM")
        reports = self.node.sanitizer_reports()
        if reports:
            problems.append(f"{self.name}: sanitizer reports:\n" + "\n".join(reports[:20]))
        if problems:
            raise mh.TestFailure("\n".join(problems) + "\n---- log tail ----\n" +
                                 self.node.log()[-5000:])
        return False


def udp(ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, 0))
    s.settimeout(2.0)
    return s


def list_calls(ng):
    reply = ng.ok({"command": "list", "limit": 1000})
    return reply.get("calls", [])


def churn(tmp):
    with Node(tmp, "churn", "30000-30999", "50000-50999") as n:
        ng, node = n.ng, n.node
        run = f"leak-{os.getpid()}-{random.randrange(1 << 30)}"
        calls = []
        # calls 10..14 carry media: their SDPs name real sockets
        socks = {i: (udp(PBX_IP), udp(MS_IP)) for i in range(10, 15)}
        for i in range(50):
            cid, ft, tt = f"{run}-{i}", f"ft{i}", f"tt{i}"
            a_port = socks[i][0].getsockname()[1] if i in socks else 4000 + 2 * i
            b_port = socks[i][1].getsockname()[1] if i in socks else 6000 + 2 * i
            r = offer(ng, cid, ft, a_port)
            mh.check(r.get("result") == "ok", f"offer {i}: {r}")
            a, key, o = answer(ng, cid, ft, tt, r["sdp"], b_port)
            calls.append((cid, ft, tt, r["sdp"], a["sdp"], key))
        # 5 re-offers from the caller (a re-INVITE) and the answers to them
        for i in range(5):  # (calls 0..4: no media, so new SDP ports are harmless)
            cid, ft, tt = calls[i][:3]
            r = offer(ng, cid, ft, 4000 + 2 * i, sess=2)
            mh.check(r.get("result") == "ok", f"re-offer {i}: {r}")
            answer(ng, cid, ft, tt, r["sdp"], 6000 + 2 * i, sess=2)
        # 10 offered, never answered
        offered_only = []
        for i in range(10):
            cid = f"{run}-o{i}"
            r = offer(ng, cid, "fto", 8000 + 2 * i)
            mh.check(r.get("result") == "ok", f"offer-only {i}: {r}")
            offered_only.append((cid, "fto"))
        # media through 5 calls, both directions (SRTP from the B side, with its answer key)
        import_srtp = True
        try:
            import pylibsrtp
        except ImportError:
            import_srtp = False
        for i, (cid, ft, tt, off_sdp, ans_sdp, key) in enumerate(calls[10:15], 10):
            a_sock, b_sock = socks[i]
            try:
                to_a = (mh.parse_sdp(ans_sdp)["ip"], mh.parse_sdp(ans_sdp)["port"])
                to_b = (mh.parse_sdp(off_sdp)["ip"], mh.parse_sdp(off_sdp)["port"])
                tx = pylibsrtp.Session(pylibsrtp.Policy(
                    key=base64.b64decode(key),
                    ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND)) if import_srtp else None
                for k in range(5):
                    a_sock.sendto(mh.rtp_packet(k, 160 * k, 0x1234, mh.payload_for("p2ms", k)),
                                  to_a)
                    if tx is not None:
                        b_sock.sendto(tx.protect(mh.rtp_packet(
                            k, 160 * k, 0x5678, mh.payload_for("ms2p", k))), to_b)
                for name, sock in (("B", b_sock), ("A", a_sock)):
                    if name == "A" and not import_srtp:
                        continue
                    got = 0
                    for _ in range(5):
                        try:
                            sock.recvfrom(2048)
                            got += 1
                        except socket.timeout:
                            break
                    mh.check(got == 5, f"{cid}: {got}/5 packets reached the {name} side")
            finally:
                a_sock.close()
                b_sock.close()
        s = node.stats()
        log(f"churn: with 60 calls up: {s}")
        mh.check(s["calls_active"] == 60, f"calls_active {s['calls_active']}, want 60")
        mh.check(s["streams_active"] == 60, f"streams_active {s['streams_active']}, want 60")
        for k in ("ports_in_use", "sockets_open"):
            mh.check(s[k] >= 2 * 60, f"{k} {s[k]} with 60 calls up")
        mh.check(s["srtp_contexts"] >= 50, f"srtp_contexts {s['srtp_contexts']} with 50 SRTP calls")
        mh.check(len(list_calls(ng)) == 60, "NG list does not show 60 calls")

        for cid, ft, *_ in calls:
            delete(ng, cid, ft)
        for cid, ft in offered_only:
            delete(ng, cid, ft)
        s = node.wait_drained(5)
        log(f"churn: after 60 deletes: {s}")
        mh.assert_no_leaks(s, "after deleting every call")
        mh.check(s["calls_total"] >= 60, f"calls_total {s['calls_total']}")
        mh.check(list_calls(ng) == [], "NG list still shows calls after the deletes")
        # a second delete of a deleted call: ok + warning (rtpengine) or an error, never a crash
        r = ng.request({"command": "delete", "call-id": calls[0][0], "from-tag": calls[0][1]})
        mh.check(r.get("result") in ("ok", "error"), f"delete of a deleted call: {r}")

        malformed(ng, node)
        s = node.wait_drained(3)
        mh.assert_no_leaks(s, "after the malformed commands")


def malformed(ng, node):
    """Every datagram with a cookie gets exactly one error reply; the node stays up."""
    nested = b"l" * 30000 + b"e" * 30000
    cases = [
        (b"m01 d7:command7:unknowne", "Unrecognized command"),
        (b"m02 d7:command13:start_dancinge", "Unrecognized command"),
        (b"m03 this is not bencode", None),
        (b"m04 d7:command5:offer", None),                 # truncated dictionary
        (b"m05 l4:spame", None),                          # not a dictionary
        (b"m06 i42e", None),
        (b"m07 de", None),                                # no command
        (b"m08 d7:commandi5ee", None),                    # command is not a string
        (b"m09 d7:command5:offere", None),                # offer without call-id/sdp
        (b"m10 d7:call-id1:x7:command5:offer8:from-tag1:ae", None),  # no sdp
        (b"m11 d7:call-id1:x7:command5:offer8:from-tag1:a3:sdp5:helloe", None),  # bad SDP
        (b"m12 d7:call-id1:x7:command5:offer8:from-tag1:a3:sdpli1eee", None),   # sdp is a list
        (b"m13 d7:call-id9:not-a-call7:command6:answer8:from-tag1:a3:sdp"
         + mh.bencode(ms_sdp(7000, 1, 1, mh.new_key_b64()))
         + b"6:to-tag1:be", None),                        # answer to an unknown call
        (b"m14 d7:command5:query7:call-id9:not-a-calle", None),
        (b"m15 d7:command5:offer7:command5:offere", None),  # duplicate key
        (b"m16 i99999999999999999999999999e", None),
        (b"m17 d3:sdp999999999:xe", None),                # length beyond the datagram
        (b"m18 " + nested, None),                         # 30 000 levels deep
        (b"m19 " + b"x" * 60000, None),                   # big junk
        (b'm20 {"command": 42}', None),                   # JSON, wrong type
        (b'm21 {"command": "offer", "call-id": ', None),  # truncated JSON
        (b"m22 d7:command5:offer7:call-id1:x8:from-tag1:a3:sdp" + mh.bencode(pbx_sdp(4000, 1))
         + b"9:directionl7:nowhere8:nowhereee", None),    # unknown interface names
    ]
    for payload, reason in cases:
        cookie = payload.split(b" ", 1)[0].decode()
        reply = ng.raw(payload, timeout=3.0)
        mh.check(reply is not None, f"{cookie}: no reply to a malformed command")
        mh.check(reply.startswith(cookie.encode() + b" "), f"{cookie}: reply {reply[:100]!r}")
        body = reply.split(b" ", 1)[1]
        try:
            value = mh.bdecode(body) if body[:1] == b"d" else __import__("json").loads(body)
        except Exception as e:  # noqa: BLE001
            raise mh.TestFailure(f"{cookie}: reply does not decode ({e}): {body[:200]!r}")
        if cookie == "m22" and value.get("result") == "ok":
            # rtpengine falls back to its default interface for unknown names; accept that,
            # but the call must then go away with the delete.
            ng.ok({"command": "delete", "call-id": "x", "from-tag": "a"})
        else:
            mh.check(value.get("result") == "error" and value.get("error-reason"),
                     f"{cookie}: want an NG error, got {value}")
        if reason:
            mh.check(value.get("error-reason") == reason,
                     f"{cookie}: error-reason {value.get('error-reason')!r}, want {reason!r}")
        mh.check(node.alive(), f"gatehouse media died on {cookie}")
    # datagrams without a usable cookie: dropped, never answered, never fatal
    for payload in (b"", b"nocookie", b" d7:command4:pinge", b"x" * 300 + b" d7:command4:pinge"):
        reply = ng.raw(payload, timeout=0.5)
        mh.check(reply is None, f"reply to a cookie-less datagram {payload[:20]!r}: {reply!r}")
        mh.check(node.alive(), f"gatehouse media died on {payload[:20]!r}")
    mh.check(ng.ok({"command": "ping"}).get("result") == "pong", "no pong after the junk")
    log(f"malformed: {len(cases)} malformed/unknown commands answered with NG errors")


def timeouts(tmp):
    with Node(tmp, "timeout", "30000-30999", "50000-50999", timeout_s=2) as n:
        ng, node = n.ng, n.node
        run = f"tmo-{os.getpid()}"
        for i in range(10):  # answered, no media ever
            r = offer(ng, f"{run}-{i}", "f", 4000 + 2 * i)
            mh.check(r.get("result") == "ok", f"offer: {r}")
            answer(ng, f"{run}-{i}", "f", "t", r["sdp"], 6000 + 2 * i)
        for i in range(5):   # offered only
            r = offer(ng, f"{run}-o{i}", "f", 8000 + 2 * i)
            mh.check(r.get("result") == "ok", f"offer: {r}")
        # answered, plain media from A for a moment, then silence
        r = offer(ng, f"{run}-m", "f", 9000)
        a, key, o = answer(ng, f"{run}-m", "f", "t", r["sdp"], 9100)
        ans = mh.parse_sdp(a["sdp"])
        s_a = udp(PBX_IP)
        for k in range(10):
            s_a.sendto(mh.rtp_packet(k, 160 * k, 1, mh.payload_for("p2ms", k)),
                       (ans["ip"], ans["port"]))
        s_a.close()
        s = node.stats()
        mh.check(s["calls_active"] == 16, f"calls_active {s['calls_active']}, want 16")
        started = time.monotonic()
        s = node.wait_drained(15)
        log(f"timeout: after {time.monotonic() - started:.1f} s: {s}")
        mh.assert_no_leaks(s, "after every call timed out (timeout_s = 2)")
        mh.check(list_calls(ng) == [], "NG list still shows calls after the timeouts")


def exhaustion(tmp):
    # 4 ports per interface = 2 RTP/RTCP pairs: 2 calls fit.
    with Node(tmp, "tiny", "31000-31003", "51000-51003") as n:
        ng, node = n.ng, n.node
        run = f"tiny-{os.getpid()}"
        ok = []
        for i in range(2):
            r = offer(ng, f"{run}-{i}", "f", 4000 + 2 * i)
            mh.check(r.get("result") == "ok", f"offer {i} within capacity: {r}")
            answer(ng, f"{run}-{i}", "f", "t", r["sdp"], 6000 + 2 * i)
            ok.append(f"{run}-{i}")
        before = node.stats()
        for attempt in range(3):
            r = offer(ng, f"{run}-x{attempt}", "f", 5000)
            mh.check(r.get("result") == "error", f"offer beyond capacity: {r}")
            mh.check(r.get("error-reason") == "Ran out of ports",
                     f"error-reason {r.get('error-reason')!r}, want 'Ran out of ports'")
        after = node.stats()
        for k in mh.LEAK_FIGURES:
            mh.check(after[k] == before[k], f"failed offers changed {k}: {before[k]} -> {after[k]}")
        mh.check(after["calls_active"] == 2, f"calls_active {after['calls_active']}, want 2")
        mh.check(after["ports_free"] == 0, f"ports_free {after['ports_free']}, want 0")
        # an answer for the refused call is an error too, and leaks nothing
        r = ng.request({"command": "answer", "call-id": f"{run}-x0", "from-tag": "f",
                        "to-tag": "t", "sdp": ms_sdp(6100, 1, 1, mh.new_key_b64())})
        mh.check(r.get("result") == "error", f"answer for a refused call: {r}")
        # a deleted call's ports serve the next offer
        delete(ng, ok[0], "f")
        r = offer(ng, f"{run}-again", "f", 4100)
        mh.check(r.get("result") == "ok", f"offer after a delete freed ports: {r}")
        ok[0] = f"{run}-again"
        r = offer(ng, f"{run}-y", "f", 4200)
        mh.check(r.get("error-reason") == "Ran out of ports", f"offer beyond capacity: {r}")
        for cid in ok:
            delete(ng, cid, "f")
        s = node.wait_drained(5)
        log(f"exhaustion: after the deletes: {s}")
        mh.assert_no_leaks(s, "after port exhaustion and deletes")
        mh.check(s["ports_free"] == 8, f"ports_free {s['ports_free']}, want all 8 back")


def main():
    tmp = tempfile.mkdtemp(prefix="gh-media-leak-")
    failures = []
    for phase in (churn, timeouts, exhaustion):
        try:
            phase(tmp)
            log(f"{phase.__name__}: ok")
        except Exception as e:  # noqa: BLE001 (a harness error fails the test too)
            failures.append(f"{phase.__name__}: {type(e).__name__}: {e}")
            log(f"{phase.__name__}: FAILED")
    if failures:
        print("FAIL:\n- " + "\n- ".join(failures))
        print(f"(logs kept in {tmp})")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("PASS: no leaks after deletes, timeouts and port exhaustion; malformed NG answered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
