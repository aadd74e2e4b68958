#!/usr/bin/env bash
# Runs the three compute nodes (and their data nodes) on three "hosts": Linux network namespaces
# with their own addresses (10.77.0.10-12), joined by veth pairs on a bridge in the root namespace,
# where the orchestrator runs. Then runs the two millionaires and median examples across them and
# checks the results. Needs root and iproute2 (`ip`).
# Usage: dev/netns-test.sh [PATH_TO_CONFIDE]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

confide="${1:-$(swift build --show-bin-path)/confide}"
resources="Sources/confide/Resources"
work="$(mktemp -d /tmp/confide-netns-XXXX)"
bridge=cfbr0
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for p in 0 1 2; do
        ip netns del "confide-p$p" 2>/dev/null || true
        ip link del "cfv$p" 2>/dev/null || true
    done
    ip link del "$bridge" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The "hosts": one namespace per party, 10.77.0.1P, reachable from the root namespace (10.77.0.1).
cleanup_links_only() { ip link del "$bridge" 2>/dev/null || true; }
cleanup_links_only
ip link add "$bridge" type bridge
ip addr add 10.77.0.1/24 dev "$bridge"
ip link set "$bridge" up
for p in 0 1 2; do
    ns="confide-p$p"
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    ip link add "cfv$p" type veth peer name "cfv${p}n"
    ip link set "cfv${p}n" netns "$ns"
    ip link set "cfv$p" master "$bridge"
    ip link set "cfv$p" up
    ip netns exec "$ns" ip addr add "10.77.0.1$p/24" dev "cfv${p}n"
    ip netns exec "$ns" ip link set "cfv${p}n" up
    ip netns exec "$ns" ip link set lo up
done

"$confide" credentials --out "$work/creds" --hosts localhost,127.0.0.1,10.77.0.10,10.77.0.11,10.77.0.12 >/dev/null
creds="$work/creds"
for p in 0 1 2; do
    ns="confide-p$p"
    host="10.77.0.1$p"
    ip netns exec "$ns" "$confide" data-node --party "$p" --listen "$host" --data-port "42${p}1" --results-port "42${p}2" \
        --input "millionaires=$resources/two_millionaires/party$p.txt" --input "median=$resources/median/party$p.txt" \
        --output "$work/out$p" --ca "$creds/ca.pem" --cert "$creds/party$p/data_cert.pem" --key "$creds/party$p/data_key.pem" \
        >"$work/data$p.log" 2>&1 &
    pids+=($!)
    ip netns exec "$ns" "$confide" node --party "$p" --listen "$host" --port "42${p}3" --data "$host:42${p}1" --results "$host:42${p}2" \
        --ca "$creds/ca.pem" --cert "$creds/party$p/cert.pem" --key "$creds/party$p/key.pem" >"$work/node$p.log" 2>&1 &
    pids+=($!)
done

nodes="10.77.0.10:4203,10.77.0.11:4213,10.77.0.12:4223"
orchestrator=(--nodes "$nodes" --ca "$creds/ca.pem" --cert "$creds/orchestrator_cert.pem" --key "$creds/orchestrator_key.pem" --connect-timeout 30)
fail() {
    echo "netns test failed: $1" >&2
    tail -n 5 "$work"/*.log >&2 || true
    exit 1
}

"$confide" run "$resources/two_millionaires/graph.json" "${orchestrator[@]}" --data-key millionaires --session across-hosts \
    || fail "two millionaires"
for p in 0 1; do
    grep -q '"value" *: *1' "$work/out$p/across-hosts.json" || fail "party $p's two-millionaires result is not 1"
done

"$confide" example median >"$work/median.json"
"$confide" run "$work/median.json" "${orchestrator[@]}" --input-parties secret-shared --output-parties 0 --data-key median \
    --session median-across-hosts || fail "median"
tr -d ' \n' <"$work/out0/median-across-hosts.json" | grep -q '"value":\[511\]' || fail "party 0's median is not 511"

echo "netns test: two millionaires and median passed across three network namespaces"
