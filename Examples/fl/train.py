#!/usr/bin/env python3
"""External task runner for `confide fl` (runner.kind: external): logistic regression in NumPy.

Plan:
  runner:
    kind: external
    command: [python3, Examples/fl/train.py, --in, "{in}", --out, "{out}", --data, "{data}"]

Reads the global model from --in (arrays mean, std, weights), trains on the local CSV (last column
is the 0/1 label) and writes the new weights to --out. The data never leaves this machine.
"""
import argparse

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--in", dest="inp", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    args = parser.parse_args()

    model = np.load(args.inp)
    mean, std, weights = model["mean"], model["std"], model["weights"].copy()
    table = np.loadtxt(args.data, delimiter=",", skiprows=1, ndmin=2)
    x = (table[:, :-1] - mean) / std
    y = table[:, -1]
    if weights.shape[0] != x.shape[1] + 1:
        raise SystemExit("train.py handles logistic regression only (model.kind: logistic)")
    for _ in range(args.epochs):
        for start in range(0, len(y), 16):
            xb, yb = x[start:start + 16], y[start:start + 16]
            p = 1 / (1 + np.exp(-(xb @ weights[:-1] + weights[-1])))
            weights[:-1] -= args.learning_rate * xb.T @ (p - yb) / len(yb)
            weights[-1] -= args.learning_rate * np.mean(p - yb)
    np.savez(args.out, weights=weights)


if __name__ == "__main__":
    main()
