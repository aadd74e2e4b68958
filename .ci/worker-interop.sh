#!/usr/bin/env bash
# Interoperability: starts `confide worker` on a free loopback port, runs the Python requester
# (Examples/python/avalon_requester.py, pycryptodomex + ecdsa in a venv) against it, stops the worker.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

bin="$(swift build --show-bin-path)"
[ -x "$bin/confide" ] || swift build --product confide
work="$(mktemp -d "${TMPDIR:-/tmp}/confide-worker-interop.XXXXXX")"
venv="${TMPDIR:-/tmp}/confide-worker-venv"
worker_pid=""
cleanup() {
    if [ -n "$worker_pid" ]; then kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 -m venv "$venv"
"$venv/bin/pip" install -q pycryptodomex ecdsa

# Port 0: the worker binds a free port and prints "… listening on http://127.0.0.1:<port>/".
"$bin/confide" worker --port 0 --data-dir "$work/data" >"$work/worker.out" 2>"$work/worker.err" &
worker_pid=$!
url=""
for _ in $(seq 1 300); do
    url="$(grep -o 'http://[^ ]*' "$work/worker.out" 2>/dev/null | head -n 1 || true)"
    [ -n "$url" ] && break
    kill -0 "$worker_pid" 2>/dev/null || { cat "$work/worker.err" >&2; echo "error: the worker exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "error: the worker did not report its address" >&2; exit 1; }
echo "worker at $url"

"$venv/bin/python" Examples/python/avalon_requester.py --worker "$url"
