#!/usr/bin/env bash
# The whole test suite: ASan+UBSan build, then unit, fuzz-corpus replay, integration and lint
# tests through ctest (see CMakePresets.json, workflow "ci").
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ../shared/corpus ]; then
  echo "test.sh: ../shared/corpus is missing; the corpus-driven tests need it next to the checkout" >&2
  exit 2
fi
cmake --workflow --preset ci
