#!/usr/bin/env bash
# tools/layers_lint_test.sh: the layers lint must be able to fail, and say
# where. Plants a core/ header that includes sim/run/ (and a sim/run/ file
# that includes it back) and a table with a cycle, and checks that the lint
# exits 1 naming the file:line, the cycle of includes and the table's cycle.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lint="$root/tools/layers_lint.py"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
failed=0
expect() {  # expect NAME STATUS OUTPUT PATTERN...
  local name=$1 status=$2 out=$3
  shift 3
  if [ "$status" -ne 1 ]; then echo "FAIL $name: exit $status, expected 1"; failed=1; fi
  for pattern in "$@"; do
    if ! grep -qF -- "$pattern" <<< "$out"; then echo "FAIL $name: no '$pattern' in:"; echo "$out"; failed=1; fi
  done
}

mkdir -p "$d/tree/core/model" "$d/tree/sim/run"
echo '#include "sim/run/runner.h"' > "$d/tree/core/model/bad.h"
printf '// runs\n#include "core/model/bad.h"\n' > "$d/tree/sim/run/runner.h"
out=$(python3 "$lint" "$d/tree" --table "$root/tools/layers.txt"); status=$?
expect "bad edge" "$status" "$out" \
  "core/model/bad.h:1: core/model may not include sim/run" \
  "the includes form a cycle: core/model -> sim/run -> core/model"

printf 'core: core/model\ncore/model: core\n' > "$d/cycle.txt"
out=$(python3 "$lint" "$root" --table "$d/cycle.txt"); status=$?
expect "table cycle" "$status" "$out" "the table has a cycle: core -> core/model -> core"

mkdir -p "$d/new/sim/newfolder"
echo 'int x = 0;' > "$d/new/sim/newfolder/a.cc"
out=$(python3 "$lint" "$d/new" --table "$root/tools/layers.txt"); status=$?
expect "folder without a line" "$status" "$out" "sim/newfolder/ holds sources but has no line"

[ "$failed" -eq 0 ] && echo "layers lint test: the lint fails on each planted problem"
exit "$failed"
