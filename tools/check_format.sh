#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format (the repo's .clang-format) makes.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cc' 2>/dev/null || find src tests fuzz bench -name '*.h' -o -name '*.cc')
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find src tests fuzz bench -name '*.h' -o -name '*.cc')
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=1
  fi
done
echo "check_format: ${#files[@]} files"
exit $bad
