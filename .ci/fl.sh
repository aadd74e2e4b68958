#!/usr/bin/env bash
# Federated learning (issue 8): the README's `confide fl demo` with secure aggregation; fails unless the
# federated model is within 2 percentage points of pooled training.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
out="${TMPDIR:-/tmp}/confide-ci-fl-demo"
rm -rf "$out"
swift run confide fl demo --out "$out" | tee "$out.log"
difference="$(sed -n 's/^federated (final round): .*difference \([-+0-9.]*\) percentage points$/\1/p' "$out.log")"
test -s "$out/accuracy.svg"
awk -v d="$difference" 'BEGIN { if (d == "" || d < -2 || d > 2) { print "federated vs pooled: " d " points"; exit 1 } }'
