#!/usr/bin/env bash
# clang-tidy over project sources with the compile database of a build (default build/debug).
# Usage: tools/run_clang_tidy.sh [-p BUILD_DIR] [files...]   (no files = every src/**/*.cc)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/debug
if [[ "${1:-}" == "-p" ]]; then build=$2; shift 2; fi
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "run_clang_tidy: $build/compile_commands.json missing; run: cmake --preset debug" >&2
  exit 2
fi
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [[ -z "$tidy" ]]; then
  echo "run_clang_tidy: clang-tidy not installed (apt-get install clang-tidy)" >&2
  exit 2
fi
if [[ $# -eq 0 ]]; then mapfile -t files < <(git ls-files 'src/*.cc'); else files=("$@"); fi
status=0
for f in "${files[@]}"; do
  "$tidy" -p "$build" --quiet "$f" 2>/dev/null || status=1
done
exit $status
