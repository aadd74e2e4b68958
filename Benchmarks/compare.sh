#!/usr/bin/env bash
# Runs SecretFlow SPU's peer benchmark (Benchmarks/spu_bench.py, from shared/bench) and Confide's benchmark rows in
# one run and prints a side-by-side table: op, Confide s, SPU s, ratio, bytes/party.
#
# Usage: Benchmarks/compare.sh [--ops mul1e6_int,mm256,...] [--reps 3]
# Environment: SPU_PYTHON (default /tmp/venv-spu/bin/python; created with pip install spu==0.9.5
# when PyPI is reachable), SPU_BENCH (default Benchmarks/spu_bench.py: the peer script plus the fixed-point function rows).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
ops="mul1e6_fxp,mul1e6_int,mm256,mm1000,lt1e5_fxp,sort1e5_fxp,sort1e5_int,median1e5_fxp"
reps=3
while [ $# -gt 0 ]; do
    case "$1" in
        --ops) ops="$2"; shift 2 ;;
        --reps) reps="$2"; shift 2 ;;
        *) echo "usage: $0 [--ops a,b] [--reps N]" >&2; exit 2 ;;
    esac
done
export PATH="/opt/swift/usr/bin:$PATH"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

spu_python="${SPU_PYTHON:-/tmp/venv-spu/bin/python}"
spu_bench="${SPU_BENCH:-$here/spu_bench.py}"
if [ ! -x "$spu_python" ]; then
    if timeout 30 python3 -m pip index versions spu >/dev/null 2>&1; then
        echo "setting up SPU 0.9.5 in $(dirname "$(dirname "$spu_python")")" >&2
        python3 -m venv "$(dirname "$(dirname "$spu_python")")" && "$spu_python" -m pip install -q spu==0.9.5 >&2 || true
    else
        echo "PyPI is not reachable: SPU is reported as n/a" >&2
    fi
fi

echo "building Confide's benchmark runner (release)" >&2
swift build -c release --package-path "$here" --product confide-bench >&2
# Keep glibc's heap: freed share buffers are reused instead of returned to the kernel, so each
# rep's megabyte-sized arrays are not fresh page faults.
MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=268435456 \
    "$here/.build/release/confide-bench" --ops "$ops" --reps "$reps" --json > "$out/confide.jsonl"

: > "$out/spu.jsonl"
if [ -x "$spu_python" ] && [ -f "$spu_bench" ]; then
    "$spu_python" "$spu_bench" --ops "$ops" --reps "$reps" --json > "$out/spu.jsonl" 2> "$out/spu.err" || {
        echo "SPU benchmark failed (see below); SPU is reported as n/a" >&2
        tail -5 "$out/spu.err" >&2
    }
fi

python3 "$here/compare_table.py" "$out/confide.jsonl" "$out/spu.jsonl"
