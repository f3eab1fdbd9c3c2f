"""`gatehouse demo` end to end: the README's first command's main job must exit 0 on a fresh
machine, and each rule broken on purpose must be predicted by `gatehouse check` and answered by
the simulated Exchange UM with Microsoft's code, which must reach the simulated CUCM.

Usage: demo_test.py GATEHOUSE_BIN SHARED_DIR
Uses 127.0.40.0/24 .. 127.0.43.0/24 (the demo's built-in topology)."""
import re
import subprocess
import sys

FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def demo(binary, *args, timeout=120):
    out = subprocess.run([binary, "demo", *args], capture_output=True, timeout=timeout)
    return out.returncode, out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace")


def main():
    binary = sys.argv[1]

    rc, text = demo(binary, "--packets", "50")
    check(rc == 0, f"gatehouse demo exits 0 (got {rc})")
    check("PASS: the call crossed Gatehouse" in text, "demo reports PASS")
    for rule in range(1, 6):
        check(re.search(rf"rule {rule}  ok", text) is not None, f"demo: rule {rule} checked and met")
    for direction in ("CUCM -> Exchange UM", "Exchange UM -> CUCM"):
        m = re.search(re.escape(direction) + r".*?sent\s+(\d+)\s+received\s+(\d+)\s+intact\s+(\d+)",
                      text)
        check(m is not None and int(m.group(1)) == 50 and int(m.group(3)) >= 48,
              f"demo: {direction} figures {m.groups() if m else None}")
    for arrow in ("|-- INVITE", "|<- 200 OK", "|-- ACK", "|-- BYE"):
        check(arrow in text, f"demo ladder shows {arrow!r}")
    check("gatehouse exited 0" in text, "gatehouse run exits 0 on SIGTERM after the demo")
    if rc != 0:
        print(text)

    expected = {"wildcard": (1, 403), "to-host": (2, 488), "no-srtp": (3, 488),
                "rtcp-mux": (4, 488), "ice": (5, 488)}
    for name, (rule, code) in expected.items():
        rc, text = demo(binary, "--break", name, "--packets", "5")
        check(rc == 0, f"demo --break {name} exits 0 (got {rc})")
        check(f"Exchange UM answers {code}" in text, f"--break {name}: check predicts {code}")
        check(re.search(rf"rule {rule}  BROKEN", text) is not None,
              f"--break {name}: Exchange UM sees rule {rule} broken")
        check(f"|<- {code} " in text, f"--break {name}: CUCM receives {code}")
        if rc != 0:
            print(text)

    rc, text = demo(binary, "--break", "nonsense")
    check(rc == 2, f"demo --break nonsense is a usage error (exit {rc})")

    # The built-in config is a valid config in its own right.
    out = subprocess.run([binary, "demo", "--print-config"], capture_output=True, timeout=30)
    check(out.returncode == 0 and b"[[route]]" in out.stdout, "demo --print-config prints a config")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("all demo checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
