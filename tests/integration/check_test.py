#!/usr/bin/python3
"""`gatehouse check` as a preflight: the seed config on loopback with freshly made test
certificates is clean (exit 0), and each way of breaking one of Microsoft's rules is caught
(exit 1) with the cause, the config line and the answer Exchange UM would give.

Binds 127.0.0.5:5060 (udp, tcp) and 127.0.1.5:5061 (tcp) for a moment, like
examples/seed-loopback.toml: run under the loopback_sip resource lock.

argv: gatehouse SHARED SOURCE_DIR"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

BIN, SHARED, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
checked = 0


def run(config, *flags):
    proc = subprocess.run([BIN, "check", "--config", config, *flags], capture_output=True,
                          timeout=60)
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")


def expect(name, config, code, want=(), absent=(), flags=()):
    """Runs check on `config`; `want` are substrings (or compiled regexes) of stderr."""
    global checked
    checked += 1
    got, out, err = run(config, *flags)
    problems = []
    if got != code:
        problems.append(f"exit {got}, want {code}")
    for w in want:
        if (w.search(err) is None) if isinstance(w, re.Pattern) else (w not in err):
            problems.append(f"stderr lacks {w.pattern if isinstance(w, re.Pattern) else w!r}")
    for a in absent:
        if a in err:
            problems.append(f"stderr has {a!r}")
    print(f"--- {name}: exit {got}")
    for line in (err + out).splitlines():
        print("   ", line)
    if problems:
        failures.append(f"{name}: {'; '.join(problems)}")


def line_of(text, needle):
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the config")


def variant(folder, name, base, edits):
    """A copy of `base` with each (old, new) replaced once, written next to it (so certs/
    resolves the same way)."""
    text = base
    for old, new in edits:
        if old not in text:
            raise AssertionError(f"{name}: {old!r} not in the config")
        text = text.replace(old, new, 1)
    path = os.path.join(folder, f"{name}.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    with tempfile.TemporaryDirectory(prefix="gh-check-") as tmp:
        examples = os.path.join(tmp, "examples")
        shutil.copytree(os.path.join(SOURCE, "examples"), examples,
                        ignore=shutil.ignore_patterns("certs"))
        made = subprocess.run(["sh", os.path.join(examples, "make-test-certs.sh"), examples],
                              capture_output=True, timeout=120)
        if made.returncode != 0:
            print("FAIL make-test-certs.sh:", made.stderr.decode(errors="replace"))
            return 1
        seed = os.path.join(examples, "seed-loopback.toml")
        with open(seed) as f:
            base = f.read()
        cert_line = line_of(base, "certificate = ")
        key_line = line_of(base, "private_key = ")
        route_line = line_of(base, "[[route]]")
        outbound_line = line_of(base, "[route.media.outbound]")

        expect("seed-loopback", seed, 0, absent=("error:", "warning:"))

        def neg(name, edits, want):
            expect(name, variant(examples, name, base, edits), 1, want)

        cert_keys = ('certificate = "certs/sbc.crt"', 'private_key = "certs/sbc.key"')
        neg("wildcard-cert",
            [(cert_keys[0], 'certificate = "certs/wildcard.crt"'),
             (cert_keys[1], 'private_key = "certs/wildcard.key"')],
            [f"wildcard-cert.toml:{cert_line}:", "is a wildcard (*.example.com)",
             "Exchange UM answers 403", "[microsoft-exchange-um.no-wildcard]"])
        neg("wrong-name-cert",
            [(cert_keys[0], 'certificate = "certs/wrong-name.crt"'),
             (cert_keys[1], 'private_key = "certs/wrong-name.key"')],
            [f"wrong-name-cert.toml:{cert_line}:", "names other.example.com",
             "Exchange UM answers 403"])
        neg("expired-cert",
            [(cert_keys[0], 'certificate = "certs/expired.crt"'),
             (cert_keys[1], 'private_key = "certs/expired.key"')],
            [f"expired-cert.toml:{cert_line}:", "expired on 2020-01-31",
             "refuse the TLS handshake"])
        neg("other-ca-cert",
            [(cert_keys[0], 'certificate = "certs/sbc-other-ca.crt"'),
             (cert_keys[1], 'private_key = "certs/sbc-other-ca.key"')],
            [f"other-ca-cert.toml:{cert_line}:", "does not verify against certs/ca.crt"])
        neg("key-mismatch", [(cert_keys[1], 'private_key = "certs/um.key"')],
            [f"key-mismatch.toml:{key_line}:", "does not belong to certificate certs/sbc.crt"])
        neg("missing-cert", [(cert_keys[0], 'certificate = "certs/nope.crt"')],
            [f"missing-cert.toml:{cert_line}:", "cannot read certificate certs/nope.crt",
             "No such file or directory"])
        neg("to-rewrite-removed", [('headers.set.To    = "<sip:${ruri.user}@${peer.fqdn}>"', "")],
            [f"to-rewrite-removed.toml:{route_line}:",
             "route voicemail to exchange-um keeps To host sbc-o365.example.com",
             "Exchange UM answers 488", "[microsoft-exchange-um.to-host]"])
        neg("srtp-off", [('mode        = "srtp"', 'mode        = "rtp"')],
            [f"srtp-off.toml:{outbound_line}:", "no SRTP offered", "Exchange UM answers 488"])
        neg("rtcp-mux-keep", [('rtcp_mux    = "strip"', 'rtcp_mux    = "keep"')],
            [f"rtcp-mux-keep.toml:{outbound_line}:", "media policy offers rtcp-mux to exchange-um",
             "Exchange UM answers 488"])
        neg("ice-keep", [('ice         = "remove"\nrtcp_mux', 'ice         = "keep"\nrtcp_mux')],
            [f"ice-keep.toml:{outbound_line}:", "ICE attributes reach exchange-um",
             "Exchange UM answers 488"])
        unanchored = os.path.join(examples, "not-anchored.toml")
        with open(unanchored, "w") as f:
            f.write(base[:base.index("[route.media.outbound]")] + "media.anchor = false\n")
        expect("not-anchored", unanchored, 1,
               [re.compile(r"not-anchored\.toml:\d+:\d+: error: route voicemail does not anchor"),
                "does not anchor media",
                "Exchange UM answers 488"])

        # A listener someone else holds: "address in use" at the listener's line.
        tls_line = line_of(base, 'sip         = ["tls:5061"]')
        holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            holder.bind(("127.0.1.5", 5061))
            holder.listen()
            expect("listener-in-use", seed, 1,
                   [f"seed-loopback.toml:{tls_line}:",
                    "interface external cannot bind tls 127.0.1.5:5061: address in use"])
        finally:
            holder.close()

        # The production example names another host's address and files: reported as such,
        # and clean when only the config itself is checked.
        real = os.path.join(examples, "seed.toml")
        expect("seed-on-this-host", real, 1,
               ["cannot assign address", "cannot read certificate /etc/gatehouse/"])
        expect("seed-offline", real, 0, flags=("--offline",), absent=("error:",))

        # warnings alone pass, unless --strict
        teams = variant(examples, "teams-keepalive", base,
                        [('profile   = "microsoft-exchange-um"', 'profile   = "teams-direct-routing"'),
                         ('address   = "127.0.3.124:5061"',
                          'address   = "127.0.3.124:5061"\noptions_interval_s = 30')])
        expect("teams-warning", teams, 0, ["warning:", "[teams-direct-routing.options-60s]"])
        expect("teams-warning-strict", teams, 1, ["warning:"], flags=("--strict",))

    for f in failures:
        print("FAIL", f)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
