#!/usr/bin/env python3
"""SPU 0.9.5 from the files Benchmarks/e2e.py writes to a CSV result: numpy reads the CSV columns,
io.make_shares, rt.run (three parties over in-memory links, as ../shared/bench/spu_bench.py runs
them), io.reconstruct, numpy writes the CSV. Prints one JSON object with the phases in seconds.
Run with the venv's python: /tmp/venv-spu/bin/python Benchmarks/spu_e2e.py --case sort --folder F --n N
"""
import argparse
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "bench"))

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import spu.api as spu_api  # noqa: E402
import spu.libspu as libspu  # noqa: E402

from spu_bench import compile_fn, make_config, run_mem  # noqa: E402

FUNCTIONS = {
    "sort": (lambda x: jnp.sort(x), np.int32, 1),
    "median": (lambda x: jnp.sort(x)[(x.shape[0] - 1) // 2 : (x.shape[0] - 1) // 2 + 1], np.int32, 1),
    "multiply": (lambda x, y: x * y, np.int64, 2),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True)
    ap.add_argument("--folder", required=True)
    ap.add_argument("--n", type=int, required=True)
    args = ap.parse_args()
    fn, dtype, count = FUNCTIONS[args.case]
    owners = [0, 1][:count]
    phases = {}
    start = time.perf_counter()
    t = time.perf_counter()
    columns = [np.loadtxt(f"{args.folder}/party{owner}/x{i}.csv", dtype=dtype, skiprows=1) for i, owner in enumerate(owners)]
    phases["read"] = time.perf_counter() - t
    cfg = make_config()
    io = spu_api.Io(3, cfg)
    t = time.perf_counter()
    executable = compile_fn(fn, columns)
    phases["compile"] = time.perf_counter() - t
    t = time.perf_counter()
    shares = [io.make_shares(c, libspu.Visibility.VIS_SECRET) for c in columns]
    phases["share"] = time.perf_counter() - t
    t = time.perf_counter()
    _, outs = run_mem(cfg, executable, shares, 1)
    phases["compute"] = time.perf_counter() - t
    t = time.perf_counter()
    result = [io.reconstruct(list(o)) for o in zip(*outs)][0]
    phases["reveal"] = time.perf_counter() - t
    t = time.perf_counter()
    out = f"{args.folder}/spu-result.csv"
    np.savetxt(out, np.asarray(result).reshape(-1), fmt="%d")
    phases["write"] = time.perf_counter() - t
    wall = time.perf_counter() - start
    print(json.dumps({"wall_s": wall, "phases_s": phases, "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


if __name__ == "__main__":
    main()
