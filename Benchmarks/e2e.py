#!/usr/bin/env python3
"""End-to-end benchmark: from CSV input files to CSV result files, as a user runs Confide.

Cases (graphs from `confide example CASE --count N`):
  sort      party 0's i32 column, sorted, to party 0
  median    party 0's i32 column, its median element, to party 0
  multiply  party 0's and party 1's i64 columns, multiplied element-wise, to party 0

Set-ups:
  inprocess   confide simulate (three parties in one process)
  processes   confide simulate --processes --transport tcp (three OS processes, sockets with mutual TLS)
  deployment  three `confide data-node` and three `confide node` processes on loopback, `confide run`

For each run: wall time, the phases (read, share, compute, reveal, write; the slowest party's), and
peak RSS per process. With --spu PYTHON, SPU 0.9.5 runs the same case from the same files
(Benchmarks/spu_e2e.py: numpy reads the CSV, make_shares, run, reconstruct, numpy writes the CSV).

Usage: Benchmarks/e2e.py --confide .build/release/confide [--sizes 100000,1000000]
       [--cases sort,median,multiply] [--setups inprocess,processes,deployment] [--spu /tmp/venv-spu/bin/python] [--json]
Every result file is checked against numpy-free Python arithmetic before a row is printed.
"""
import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {
    # name: (scalar type, input parties, output parties, number of input columns)
    "sort": ("i32", "0", "0", 1),
    "median": ("i32", "0", "0", 1),
    "multiply": ("i64", "0,1", "0", 2),
}


def expected(case, columns):
    if case == "sort":
        return sorted(columns[0])
    if case == "median":
        s = sorted(columns[0])
        return [s[(len(s) - 1) // 2]]
    wrap = lambda v: (v + 2**63) % 2**64 - 2**63
    return [wrap(a * b) for a, b in zip(columns[0], columns[1])]


def make_inputs(case, n, folder, rng):
    scalar, parties, _, count = CASES[case]
    bits = 31 if scalar == "i32" else 40
    columns = [[rng.randint(-(2**bits), 2**bits - 1) for _ in range(n)] for _ in range(count)]
    owners = [int(p) for p in parties.split(",")]
    for p in range(3):
        os.makedirs(f"{folder}/party{p}", exist_ok=True)
        lines = []
        for i, owner in enumerate(owners):
            if owner == p:
                with open(f"{folder}/party{p}/x{i}.csv", "w") as f:
                    f.write(f"x{i}\n" + "\n".join(map(str, columns[i])) + "\n")
                lines.append(f"- csv: x{i}.csv\n  type: {scalar}[{n}]\n")
            else:
                lines.append(f"- zeros: {scalar}[{n}]\n")
        with open(f"{folder}/party{p}/inputs.yaml", "w") as f:
            f.write("".join(lines))
    return columns


def read_result(path):
    with open(path) as f:
        return [int(line) for line in f if line.strip()]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_simulate(confide, graph, folder, case, processes):
    _, inputs, outputs, _ = CASES[case]
    out = f"{folder}/out-{'p' if processes else 'i'}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [confide, "simulate", graph, "-i", folder, "--input-parties", inputs, "--output-parties", outputs,
           "--output-dir", out, "--output-format", "csv", "--json"]
    if processes:
        cmd += ["--processes", "--transport", "tcp"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"simulate failed: {proc.stderr.strip()[-500:]}")
    report = json.loads(proc.stdout)
    return wall, report["phases"], report["peak_rss_bytes"], f"{out}/party0/output.csv"


def wait_port(port, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on port {port}")


PHASES = re.compile(r"finished in ([\d.]+) s \(fetch ([\d.]+) s, share ([\d.]+) s, compute ([\d.]+) s, reveal ([\d.]+) s, deliver ([\d.]+) s")


def run_deployment(confide, graph, folder, case):
    _, inputs, outputs, _ = CASES[case]
    work = f"{folder}/deploy"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    subprocess.run([confide, "credentials", "--out", f"{work}/creds"], check=True, capture_output=True)
    creds = f"{work}/creds"
    ports = [[free_port() for _ in range(3)] for _ in range(3)]
    data, nodes, logs = [], [], []
    start = time.perf_counter()
    try:
        for p in range(3):
            log = open(f"{work}/data{p}.log", "w")
            logs.append(log)
            data.append(subprocess.Popen(
                [confide, "data-node", "--party", str(p), "--listen", "127.0.0.1", "--data-port", str(ports[p][0]),
                 "--results-port", str(ports[p][1]), "--input", f"bench={folder}/party{p}/inputs.yaml",
                 "--output", f"{work}/out{p}", "--result-table", "csv", "--ca", f"{creds}/ca.pem",
                 "--cert", f"{creds}/party{p}/data_cert.pem", "--key", f"{creds}/party{p}/data_key.pem"],
                stdout=log, stderr=subprocess.STDOUT))
        for p in range(3):
            wait_port(ports[p][0])
        read = time.perf_counter() - start
        for p in range(3):
            log = open(f"{work}/node{p}.log", "w")
            logs.append(log)
            nodes.append(subprocess.Popen(
                [confide, "node", "--party", str(p), "--listen", "127.0.0.1", "--port", str(ports[p][2]),
                 "--data", f"127.0.0.1:{ports[p][0]}", "--results", f"127.0.0.1:{ports[p][1]}", "--ca", f"{creds}/ca.pem",
                 "--cert", f"{creds}/party{p}/cert.pem", "--key", f"{creds}/party{p}/key.pem"],
                stdout=log, stderr=subprocess.STDOUT))
        for p in range(3):
            wait_port(ports[p][2])
        run_start = time.perf_counter()
        proc = subprocess.run(
            [confide, "run", graph, "--nodes", ",".join(f"localhost:{ports[p][2]}" for p in range(3)), "--ca", f"{creds}/ca.pem",
             "--cert", f"{creds}/orchestrator_cert.pem", "--key", f"{creds}/orchestrator_key.pem", "--input-parties", inputs,
             "--output-parties", outputs, "--data-key", "bench", "--session", "bench", "--connect-timeout", "60", "--timeout", "3600"],
            capture_output=True, text=True)
        wall = read + time.perf_counter() - run_start
        if proc.returncode != 0:
            raise RuntimeError(f"confide run failed: {proc.stderr.strip()[-500:]}")
        rss = [peak_rss(d.pid) for d in data] + [peak_rss(n.pid) for n in nodes]
    finally:
        for proc_ in nodes + data:
            proc_.terminate()
        for proc_ in nodes + data:
            try:
                proc_.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc_.kill()
        for log in logs:
            log.close()
    phases = {"read": read, "share": 0.0, "compute": 0.0, "reveal": 0.0, "write": 0.0, "fetch": 0.0}
    for p in range(3):
        with open(f"{work}/node{p}.log") as f:
            match = PHASES.search(f.read())
        if not match:
            raise RuntimeError(f"node {p}'s log has no session timing")
        fetch, share, compute, reveal, deliver = map(float, match.groups()[1:])
        for name, value in [("fetch", fetch), ("share", share), ("compute", compute), ("reveal", reveal), ("write", deliver)]:
            phases[name] = max(phases[name], value)
    return wall, phases, rss, f"{work}/out0/bench.csv"


def run_spu(python, case, n, folder):
    cmd = [python, f"{HERE}/spu_e2e.py", "--case", case, "--folder", folder, "--n", str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"spu failed: {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def share_bytes(case, n):
    """Bytes of ABY3 shares one party holds of the inputs: two 64-bit ring components per element."""
    return CASES[case][3] * n * 2 * 8


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--confide", required=True)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--cases", default="sort,median,multiply")
    ap.add_argument("--setups", default="inprocess,processes,deployment")
    ap.add_argument("--spu", default=None, help="the python of a venv with spu==0.9.5")
    ap.add_argument("--spu-max", type=int, default=1_000_000, help="largest n SPU runs sort and median at")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    confide = os.path.abspath(args.confide)
    rng = random.Random(7)
    root = tempfile.mkdtemp(prefix="confide-e2e-")
    try:
        for n in map(int, args.sizes.split(",")):
            for case in args.cases.split(","):
                folder = f"{root}/{case}-{n}"
                os.makedirs(folder)
                columns = make_inputs(case, n, folder, rng)
                want = expected(case, columns)
                graph = f"{folder}/graph.json"
                with open(graph, "w") as f:
                    subprocess.run([confide, "example", case, "--count", str(n), "--type", CASES[case][0]], stdout=f, check=True)
                rows = []
                for setup in args.setups.split(","):
                    if setup == "deployment":
                        wall, phases, rss, result = run_deployment(confide, graph, folder, case)
                    else:
                        wall, phases, rss, result = run_simulate(confide, graph, folder, case, setup == "processes")
                    if read_result(result) != want:
                        raise RuntimeError(f"{case} n={n} {setup}: the result file does not match the reference")
                    rows.append({"system": "confide", "case": case, "n": n, "setup": setup, "wall_s": wall, "phases_s": phases,
                                 "peak_rss_bytes": rss, "share_bytes_per_party": share_bytes(case, n)})
                if args.spu and (case == "multiply" or n <= args.spu_max):
                    spu = run_spu(args.spu, case, n, folder)
                    # jax without x64 computes in 32 bits, so only the order statistics are compared exactly.
                    if case != "multiply" and read_result(f"{folder}/spu-result.csv") != want:
                        raise RuntimeError(f"spu {case} n={n}: the result does not match the reference")
                    rows.append({"system": "spu", "case": case, "n": n, "setup": "inprocess", "wall_s": spu["wall_s"],
                                 "phases_s": spu["phases_s"], "peak_rss_bytes": [spu["peak_rss_bytes"]]})
                for row in rows:
                    if args.json:
                        print(json.dumps(row), flush=True)
                        continue
                    p = row["phases_s"]
                    secure = p.get("share", 0) + p.get("compute", 0) + p.get("reveal", 0)
                    rss = "/".join(f"{b / 2**20:.0f}" for b in row["peak_rss_bytes"])
                    print(f"{row['system']:7s} {case:8s} n={n:<8d} {row['setup']:10s} wall={row['wall_s']:8.3f}s secure={secure:8.3f}s "
                          + " ".join(f"{k}={v:.3f}" for k, v in p.items()) + f"  rss_MiB={rss}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
