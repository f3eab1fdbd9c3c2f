#!/usr/bin/python3
"""Side-by-side benchmark of Gatehouse against the anchor stack, in one run, as ratios.

  bench/compare.py media   # gatehouse media vs rtpengine (userspace) vs the limit reference
  bench/compare.py sip     # gatehouse run vs Kamailio as a stateful record-routing proxy
  bench/compare.py all

Both sides run under ../shared/bench's drivers (bench_media.py, bench_sip.py) with the same
load, the same CPU pinning (one core for the system under test, the other for the load
generator) and one worker each, so the figures compare directly. Every run's summary line and
JSON go to bench/results/<stamp>/; the table at the end gives each figure and the ratio.
Needs a release build: cmake --preset release && cmake --build --preset release.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("GH_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
BENCH = os.path.join(SHARED, "bench")


def run(name, cmd, env, outdir):
    """Runs one driver; returns its JSON summary (or None) and its last line."""
    json_out = os.path.join(outdir, name + ".json")
    with open(os.path.join(outdir, name + ".txt"), "w") as out, \
         open(os.path.join(outdir, name + ".err"), "w") as err:
        print("== %s: %s" % (name, " ".join(cmd)), file=sys.stderr, flush=True)
        rc = subprocess.call(cmd + ["--json-out", json_out], stdout=out, stderr=err, env=env,
                             cwd=BENCH, timeout=3600)
    last = ""
    with open(os.path.join(outdir, name + ".txt")) as f:
        lines = [l.strip() for l in f if l.strip()]
        last = lines[-1] if lines else ""
    print("   rc=%d %s" % (rc, last), file=sys.stderr, flush=True)
    summary = None
    if os.path.exists(json_out):
        with open(json_out) as f:
            summary = json.load(f).get("summary")
    return summary, last


def ratio(a, b):
    try:
        return "%.2f" % (float(a) / float(b))
    except (TypeError, ValueError, ZeroDivisionError):
        return "na"


def media(args, env, outdir, rows):
    common = ["--mode", "srtp", "--threads", "1"] + args.media_extra.split()
    env = dict(env, GATEHOUSE_MEDIA_CONFIG=os.path.join(ROOT, "examples", "media-loopback.toml"))
    gh, _ = run("media-gatehouse", [sys.executable, "bench_media.py", "--relay", "gatehouse",
                                    "--relay-extra", "--workers 1"] + common, env, outdir)
    rtpe, _ = run("media-rtpengine", [sys.executable, "bench_media.py", "--relay", "anchor"] + common,
                  env, outdir)
    ref, _ = run("media-ref-ossl", [sys.executable, "bench_media.py", "--relay", "ref",
                                    "--ref-crypto", "ossl"] + common, env, outdir)
    for key, better in (("max_streams", "higher"), ("cpu_us_per_pkt", "lower"),
                        ("cpu_us_per_pkt_ref", "lower")):
        g = (gh or {}).get(key)
        r = (rtpe or {}).get(key)
        l = (ref or {}).get(key)
        rows.append(("media RTP<->SRTP " + key, g, r, l, ratio(g, r), ratio(g, l), better))


def sip(args, env, outdir, rows):
    common = ["--children", "1"] + args.sip_extra.split()
    env = dict(env, GATEHOUSE_SIP_CONFIG=os.path.join(ROOT, "examples", "bench-sip.toml"))
    gh, _ = run("sip-gatehouse", [sys.executable, "bench_sip.py", "--proxy", "gatehouse"] + common,
                env, outdir)
    kam, _ = run("sip-kamailio", [sys.executable, "bench_sip.py", "--proxy", "anchor"] + common,
                 env, outdir)
    for key, better in (("max_cps", "higher"), ("cpu_us_per_call", "lower")):
        g = (gh or {}).get(key)
        k = (kam or {}).get(key)
        rows.append(("sip " + key, g, k, None, ratio(g, k), "", better))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["media", "sip", "all"])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "release", "bin", "gatehouse"))
    ap.add_argument("--media-extra", default="", help="extra bench_media.py args, e.g. '--streams 500,1000,2000'")
    ap.add_argument("--sip-extra", default="", help="extra bench_sip.py args, e.g. '--rates 1000,2000,4000'")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit("compare.py: %s is not built (cmake --preset release && cmake --build --preset release)" % args.bin)
    outdir = os.path.join(HERE, "results", time.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(outdir, exist_ok=True)
    # The harness builds its load generator and reference relay; keep them out of ../shared.
    work = os.environ.get("GH_BENCH_WORK", "/tmp/gatehouse-bench")
    env = dict(os.environ, GATEHOUSE_BIN=os.path.abspath(args.bin),
               BENCH_BUILD_DIR=os.path.join(work, "build"), BENCH_LOG_DIR=os.path.join(work, "logs"))
    if subprocess.call(["make", "-s", "BUILD=" + env["BENCH_BUILD_DIR"]], cwd=BENCH) != 0:
        sys.exit("compare.py: building the harness tools failed (make in %s)" % BENCH)
    rows = []
    if args.what in ("media", "all"):
        media(args, env, outdir, rows)
    if args.what in ("sip", "all"):
        sip(args, env, outdir, rows)
    table = ["| figure | gatehouse | anchor | limit ref | gatehouse/anchor | gatehouse/limit | better |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, g, a, l, r1, r2, better in rows:
        table.append("| %s | %s | %s | %s | %s | %s | %s |" % (name, g, a, "" if l is None else l, r1, r2, better))
    text = "\n".join(table) + "\n"
    with open(os.path.join(outdir, "table.md"), "w") as f:
        f.write(text)
    print(text)
    print("raw results: %s" % outdir)


if __name__ == "__main__":
    main()
