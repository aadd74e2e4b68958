"""Peer benchmark: SecretFlow SPU, ABY3 over the 64-bit ring, 18 fractional bits, three parties in one
process (in-memory links), the same set-up as SPU's own simulator.

Set-up (once):  python3 -m venv /tmp/venv-spu && /tmp/venv-spu/bin/pip install spu==0.9.5
Usage:          /tmp/venv-spu/bin/python spu_bench.py [--ops mul1e6_int,mm256,...] [--reps 3] [--sort quick] [--json]

Only rt.run(executable) is timed (secret inputs already shared and set in each
party's runtime; compile, share creation and reconstruction are excluded).
For each rep, all 3 parties pass a barrier-like start (threading.Barrier for mem link;
for brpc, link.barrier()) and the wall time = max over parties of run time.

Copied from shared/bench/spu_bench.py with the fixed-point function rows added (recip1e5, rsqrt1e5,
exp1e5, sigmoid1e5, div1e5); Benchmarks/compare.sh runs this copy.
"""
import argparse
import os
import statistics
import sys
import threading
import time

import jax
import jax.numpy as jnp
import numpy as np

import spu
import spu.libspu as libspu
import spu.api as spu_api
import spu.utils.frontend as spu_fe

FRAC = 18


def make_config(sort_method=None):
    cfg = libspu.RuntimeConfig(protocol=libspu.ProtocolKind.ABY3,
                               field=libspu.FieldType.FM64,
                               fxp_fraction_bits=FRAC)
    if sort_method is not None:
        cfg.sort_method = sort_method
    return cfg


def compile_fn(fn, args):
    in_names = [f"in{i}" for i in range(len(args))]
    executable, _ = spu_fe.compile(
        spu_fe.Kind.JAX, fn, args, {}, in_names,
        [libspu.Visibility.VIS_SECRET] * len(args),
        lambda outs: [f"out{i}" for i in range(len(outs))],
    )
    return executable


def ops_table(rng):
    n_mul = 1_000_000
    n_cmp = 100_000
    x1 = rng.standard_normal(n_mul).astype(np.float32)
    y1 = rng.standard_normal(n_mul).astype(np.float32)
    a256 = rng.standard_normal((256, 256)).astype(np.float32)
    b256 = rng.standard_normal((256, 256)).astype(np.float32)
    a1k = rng.standard_normal((1000, 1000)).astype(np.float32)
    b1k = rng.standard_normal((1000, 1000)).astype(np.float32)
    xc = rng.standard_normal(n_cmp).astype(np.float32)
    yc = rng.standard_normal(n_cmp).astype(np.float32)
    xi = rng.integers(-(1 << 30), 1 << 30, n_cmp).astype(np.int32)
    xp = rng.uniform(0.5, 4.0, n_cmp).astype(np.float32)
    xq = rng.uniform(0.5, 4.0, n_cmp).astype(np.float32)
    xe = rng.uniform(-4.0, 4.0, n_cmp).astype(np.float32)
    return {
        # name: (fn, args, numpy reference, description)
        "mul1e6_fxp": (lambda x, y: x * y, (x1, y1), lambda x, y: x * y,
                       "element-wise fxp mul (incl. truncation), n=1e6"),
        "mul1e6_int": (lambda x, y: x * y,
                       (x1.astype(np.int32), y1.astype(np.int32)),
                       lambda x, y: x * y,
                       "element-wise integer mul (no truncation), n=1e6"),
        "mm256": (lambda a, b: a @ b, (a256, b256), lambda a, b: a @ b,
                  "fxp matmul 256x256 @ 256x256"),
        "mm1000": (lambda a, b: a @ b, (a1k, b1k), lambda a, b: a @ b,
                   "fxp matmul 1000x1000 @ 1000x1000"),
        "lt1e5_fxp": (lambda x, y: x < y, (xc, yc), lambda x, y: x < y,
                      "less-than of two secret fxp vectors, n=1e5"),
        "sort1e5_fxp": (lambda x: jnp.sort(x), (xc,), np.sort,
                        "sort of 1e5 secret fxp values"),
        "sort1e5_int": (lambda x: jnp.sort(x), (xi,), np.sort,
                        "sort of 1e5 secret int32 values"),
        "median1e5_fxp": (lambda x: jnp.median(x), (xc,), np.median,
                          "median of 1e5 secret fxp values (jnp.median)"),
        # Fixed-point functions (Confide's issue 16 rows; same input ranges as confide-bench).
        "recip1e5": (lambda x: 1.0 / x, (xp,), lambda x: 1.0 / x.astype(np.float64),
                     "reciprocal of 1e5 secret fxp values in [0.5, 4)"),
        "rsqrt1e5": (lambda x: jax.lax.rsqrt(x), (xp,), lambda x: 1.0 / np.sqrt(x.astype(np.float64)),
                     "inverse square root of 1e5 secret fxp values in [0.5, 4)"),
        "exp1e5": (lambda x: jnp.exp(x), (xe,), lambda x: np.exp(x.astype(np.float64)),
                   "exp of 1e5 secret fxp values in [-4, 4)"),
        "sigmoid1e5": (lambda x: jax.nn.sigmoid(x), (xe,), lambda x: 1.0 / (1.0 + np.exp(-x.astype(np.float64))),
                       "sigmoid of 1e5 secret fxp values in [-4, 4)"),
        "div1e5": (lambda x, y: x / y, (xq, xp), lambda x, y: x.astype(np.float64) / y.astype(np.float64),
                   "division of two secret fxp vectors, n=1e5, numerators in [0.5, 4), divisors in [0.5, 4)"),
    }


def run_mem(cfg, executable, shares, reps):
    """3 parties as threads with in-memory link, like spu.utils.simulation.Simulator."""
    desc = libspu.link.Desc()
    for r in range(3):
        desc.add_party(f"id_{r}", f"thread_{r}")
    barrier = threading.Barrier(3)
    times = [[None] * reps for _ in range(3)]
    outs = [None] * 3
    errs = []

    def party(rank):
        try:
            lctx = libspu.link.create_mem(desc, rank)
            rt = spu_api.Runtime(lctx, libspu.RuntimeConfig(cfg))
            for k in range(reps):
                for idx, sh in enumerate(shares):
                    rt.set_var(executable.input_names[idx], sh[rank])
                barrier.wait()
                t0 = time.perf_counter()
                rt.run(executable)
                times[rank][k] = time.perf_counter() - t0
                barrier.wait()
            outs[rank] = [rt.get_var(n) for n in executable.output_names]
        except BaseException as e:  # noqa
            errs.append(e)
            barrier.abort()

    th = [threading.Thread(target=party, args=(r,)) for r in range(3)]
    [t.start() for t in th]
    [t.join() for t in th]
    if errs:
        raise errs[0]
    per_rep = [max(times[r][k] for r in range(3)) for k in range(reps)]
    return per_rep, outs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", default="mul1e6_fxp,mul1e6_int,mm256,mm1000,lt1e5_fxp,sort1e5_fxp,sort1e5_int,median1e5_fxp")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sort", default=None, help="default|radix|quick|network")
    ap.add_argument("--json", action="store_true", help="one JSON object per op instead of text")
    args = ap.parse_args()

    sm = None
    if args.sort:
        sm = {"default": libspu.RuntimeConfig.SortMethod.SORT_DEFAULT,
              "radix": libspu.RuntimeConfig.SortMethod.SORT_RADIX,
              "quick": libspu.RuntimeConfig.SortMethod.SORT_QUICK,
              "network": libspu.RuntimeConfig.SortMethod.SORT_NETWORK}[args.sort]
    cfg = make_config(sm)
    io = spu_api.Io(3, cfg)
    table = ops_table(np.random.default_rng(1))
    if not args.json:
        print(f"spu {spu.__version__} jax {jax.__version__} numpy {np.__version__} "
              f"cpus={os.cpu_count()} sort={args.sort or 'default'}", flush=True)
    for name in args.ops.split(","):
        fn, inputs, ref, desc = table[name]
        t0 = time.perf_counter()
        ex = compile_fn(fn, inputs)
        tc = time.perf_counter() - t0
        shares = [io.make_shares(np.asarray(x), libspu.Visibility.VIS_SECRET) for x in inputs]
        per_rep, outs = run_mem(cfg, ex, shares, args.reps)
        res = [io.reconstruct(list(o)) for o in zip(*outs)][0]
        expect = ref(*[np.asarray(x) for x in inputs])
        if res.dtype == np.bool_ or expect.dtype == np.bool_:
            err = float(np.mean(np.asarray(res) != np.asarray(expect)))
            errs = f"mismatch_frac={err:.2e}"
        else:
            err = float(np.max(np.abs(np.asarray(res, dtype=np.float64) - np.asarray(expect, dtype=np.float64))))
            errs = f"max_abs_err={err:.3e}"
        if args.json:
            import json
            print(json.dumps({"op": name, "median_s": statistics.median(per_rep), "runs_s": per_rep,
                              "error": errs, "desc": desc}), flush=True)
            continue
        print(f"{name:16s} median={statistics.median(per_rep):9.4f}s runs=" +
              ",".join(f"{t:.4f}" for t in per_rep) + f"  compile={tc:.2f}s {errs}  # {desc}", flush=True)


if __name__ == "__main__":
    main()
