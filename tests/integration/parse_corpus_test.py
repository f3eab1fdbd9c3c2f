#!/usr/bin/python3
"""`gatehouse parse` over every corpus message: exit 0 for what the manifests call parseable,
exit 1 for what they reject with 400/505 (with that response named on stderr), and never a crash
(any other exit code or a signal fails the test)."""
import csv
import os
import subprocess
import sys

BIN, SHARED = sys.argv[1], sys.argv[2]
CORPUS = os.path.join(SHARED, "corpus")
failures = []
checked = 0


def run(path, want, status=None):
    global checked
    checked += 1
    proc = subprocess.run([BIN, "parse", "--quiet", path], capture_output=True, timeout=20)
    if proc.returncode != want:
        failures.append(f"{path}: exit {proc.returncode}, want {want}: {proc.stderr.decode(errors='replace')}")
    elif status and f"with {status} " not in proc.stderr.decode(errors="replace"):
        failures.append(f"{path}: stderr does not name response {status}: {proc.stderr!r}")


def manifest(folder):
    with open(os.path.join(CORPUS, folder, "manifest.tsv"), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


for row in manifest("rfc4475"):
    path = os.path.join(CORPUS, "rfc4475", row["file"])
    if row["class"] in ("valid", "valid-semantic"):
        run(path, 0)
    elif row["class"] == "invalid":
        run(path, 1, "505" if "505" in row["expected"] else "400")
    else:
        run(path, 1)  # the undocumented archive member is garbage

for row in manifest("rfc5118"):
    run(os.path.join(CORPUS, "rfc5118", row["file"]), 1 if row["class"] == "invalid" else 0)

for row in manifest("rfc3665"):
    run(os.path.join(CORPUS, "rfc3665", row["file"]), 0)

for name in ("seed-invite.normalized.sip", "seed-200ok.normalized.sip", "pbx-invite.RECONSTRUCTED.sip"):
    run(os.path.join(CORPUS, "seed", name), 0)
for name in ("seed-invite.sip", "seed-200ok.sip"):
    run(os.path.join(CORPUS, "seed", name), 1, "400")

# Every other corpus file (SDP, NG, bencode) is not SIP: it must be refused cleanly, never crash.
for root, _, files in os.walk(CORPUS):
    for name in files:
        if name.endswith((".sip", ".tsv", ".json", ".md")) or "SHA256SUMS" in name:
            continue
        checked += 1
        proc = subprocess.run([BIN, "parse", "--quiet", os.path.join(root, name)],
                              capture_output=True, timeout=20)
        if proc.returncode not in (0, 1):
            failures.append(f"{root}/{name}: exit {proc.returncode} (crash?)")

# Standard input works as a file does.
with open(os.path.join(CORPUS, "seed", "seed-200ok.normalized.sip"), "rb") as f:
    proc = subprocess.run([BIN, "parse", "-"], stdin=f, capture_output=True, timeout=20)
    checked += 1
    if proc.returncode != 0 or b"response: 200 OK" not in proc.stdout:
        failures.append(f"stdin: exit {proc.returncode}, stdout {proc.stdout[:200]!r}")

for f in failures:
    print("FAIL", f)
print(f"{checked - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
