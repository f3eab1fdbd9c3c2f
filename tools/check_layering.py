#!/usr/bin/python3
"""Fails when a module includes a module it may not (docs/architecture.md, "Layering").
SIP never sees media, media never sees SIP; call/ joins them; app/ wires everything."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

# module -> modules it may include (besides itself and common, which everyone may use)
ALLOWED = {
    "common": set(),
    "net": set(),
    "sip/message": set(),
    "sip/parser": {"sip/message"},
    "sip/transport": {"net", "sip/message", "sip/parser"},
    "sip/transaction": {"sip/message", "sip/parser", "sip/transport", "net"},
    "sip/dialog": {"sip/message", "sip/parser", "sip/transaction", "sip/transport", "net"},
    "sdp": set(),
    "media/api": {"net"},
    "media/sdp_rewrite": {"sdp", "media/api", "net"},
    "media/rtp": set(),
    "media/srtp": {"media/rtp"},
    "media/relay": {"net", "sdp", "media/api", "media/rtp", "media/srtp"},
    "media/ng": {"net", "sdp", "media/api"},
    "media/service": {"net", "sdp", "media/api", "media/rtp", "media/srtp", "media/relay",
                      "media/sdp_rewrite"},
    "config": set(),
    "route": {"sip/message", "sip/parser", "config", "net"},
    "profiles": {"config", "sip/message", "sip/parser", "sdp", "route", "net"},
    "call": {"sip/message", "sip/parser", "sip/transport", "sip/transaction", "sip/dialog",
             "sdp", "route", "media/api", "config", "profiles", "net"},
    "app": None,  # everything
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module_of(path):
    rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
    for m in sorted(ALLOWED, key=len, reverse=True):
        if rel.startswith(m + "/"):
            return m
    return None


def target_module(include):
    for m in sorted(ALLOWED, key=len, reverse=True):
        if include.startswith(m + "/"):
            return m
    return None


errors = []
files = 0
for dirpath, _, names in os.walk(ROOT):
    for name in names:
        if not name.endswith((".h", ".cc")):
            continue
        path = os.path.join(dirpath, name)
        files += 1
        mod = module_of(path)
        if mod is None:
            errors.append(f"{path}: not in a known module (add it to tools/check_layering.py)")
            continue
        allowed = ALLOWED[mod]
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = target_module(m.group(1))
                if target is None or target in (mod, "common") or allowed is None:
                    continue
                if target not in allowed:
                    errors.append(f"{path}:{lineno}: {mod} may not include {m.group(1)}")
for e in errors:
    print(e)
print(f"check_layering: {files} files, {len(errors)} violations")
sys.exit(1 if errors else 0)
