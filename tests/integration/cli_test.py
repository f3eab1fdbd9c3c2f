#!/usr/bin/python3
"""The `gatehouse` command line as a user meets it: version, help, usage errors, config checks
with file:line:col diagnostics, and every example config accepted."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

BIN, SHARED, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
checked = 0


def expect(args, code, stdout_has=None, stderr_has=None, stdin=None):
    global checked
    checked += 1
    proc = subprocess.run([BIN] + args, capture_output=True, timeout=30, input=stdin)
    out, err = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
    problems = []
    if proc.returncode != code:
        problems.append(f"exit {proc.returncode}, want {code}")
    if stdout_has and stdout_has not in out:
        problems.append(f"stdout lacks {stdout_has!r}")
    if stderr_has and stderr_has not in err:
        problems.append(f"stderr lacks {stderr_has!r}")
    if problems:
        failures.append(f"gatehouse {' '.join(args)}: {'; '.join(problems)}\n  stdout: {out[:400]}\n  stderr: {err[:400]}")


expect(["--version"], 0, stdout_has="gatehouse ")
expect(["--help"], 0, stdout_has="Examples:")
expect([], 2)
expect(["parse", "--no-such-flag"], 2)
expect(["check"], 2)
expect(["check", "--config", "/nonexistent/gatehouse.toml"], 2, stderr_has="cannot read")
expect(["parse", "/nonexistent.sip"], 2, stderr_has="cannot read")
expect(["parse", "-"], 1, stdin=b"", stderr_has="invalid SIP message")
expect(["parse", "-"], 1, stdin=b"INVITE sip:a@b SIP/2.0\r\n\r\n", stderr_has="missing")

# Every example passes the full check (certificates, listeners, profile rules) on a copy of the
# examples folder with freshly made test certificates; seed.toml and teams.toml name another
# host's addresses and files, so only their config and rules are checked there (--offline).
with tempfile.TemporaryDirectory(prefix="gh-cli-") as examples_copy:
    examples = os.path.join(examples_copy, "examples")
    shutil.copytree(os.path.join(SOURCE, "examples"), examples,
                    ignore=shutil.ignore_patterns("certs"))
    made = subprocess.run(["sh", os.path.join(examples, "make-test-certs.sh"), examples],
                          capture_output=True, timeout=120)
    if made.returncode != 0:
        failures.append("make-test-certs.sh: " + made.stderr.decode(errors="replace"))
    for example in sorted(glob.glob(os.path.join(examples, "*.toml"))):
        offline = ["--offline"] if os.path.basename(example) in ("seed.toml", "teams.toml") else []
        expect(["check", "--config", example] + offline, 0, stdout_has="valid")

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.toml")
    with open(bad, "w") as f:
        f.write('[sbc]\nfqdn = "sbc.example.com"\n\n[[interface]]\nname = "internal"\nadress = "127.0.0.5"\n')
    expect(["check", "--config", bad], 1, stderr_has="bad.toml:6:")
    expect(["run", "--config", bad], 1, stderr_has="nothing was started")
    broken = os.path.join(tmp, "broken.toml")
    with open(broken, "w") as f:
        f.write("[sbc\n")
    expect(["check", "--config", broken], 1, stderr_has="broken.toml:1:")

for f in failures:
    print("FAIL", f)
print(f"{checked - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
