"""Two banks compute their joint exposure to a set of counterparties without revealing their books.

Builds an uncompiled CipherCore graph with the `ciphercore` Python package (graph building only),
writes the inputs of the three parties in CipherCore's example layout, and runs the graph securely
with `confide simulate` (three ABY3 parties on this machine). Bank A is party 0, bank B party 1;
the risk weights are public; both banks receive the weighted total and the per-counterparty sums.

Usage: python joint_exposure.py [--confide PATH_TO_CONFIDE]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import ciphercore as cc

N = 5


def build_graph():
    c = cc.create_context()
    with c:
        g = c.create_graph()
        with g:
            bank_a = g.input(cc.array_type([N], cc.UINT64))
            bank_b = g.input(cc.array_type([N], cc.UINT64))
            weights = g.input(cc.array_type([N], cc.UINT64))
            exposure = bank_a + bank_b
            weighted_total = (exposure * weights).sum([0])
            g.create_tuple([weighted_total, exposure]).set_as_output()
        g.set_as_main()
    return str(c)


def typed(values):
    return {"kind": "array", "type": "u64", "value": values}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--confide", default="confide", help="path to the confide executable")
    args = parser.parse_args()

    book_a = [120, 0, 75, 3000, 18]
    book_b = [5, 250, 75, 1, 2]
    weights = [1, 2, 3, 4, 5]
    zeros = [0] * N
    expected_exposure = [a + b for a, b in zip(book_a, book_b)]
    expected_total = sum(e * w for e, w in zip(expected_exposure, weights))

    with tempfile.TemporaryDirectory() as work:
        graph_path = os.path.join(work, "graph.json")
        with open(graph_path, "w") as f:
            f.write(build_graph())
        # Each party's input.txt has one value per input: its own book where it owns the input,
        # any value of the right type elsewhere; the public weights everywhere.
        inputs = [
            [typed(book_a), typed(zeros), typed(weights)],
            [typed(zeros), typed(book_b), typed(weights)],
            [typed(zeros), typed(zeros), typed(weights)],
        ]
        for party, values in enumerate(inputs):
            os.makedirs(os.path.join(work, f"party{party}"))
            with open(os.path.join(work, f"party{party}", "input.txt"), "w") as f:
                json.dump(values, f)
        run = subprocess.run(
            [args.confide, "simulate", graph_path, "--inputs", work,
             "--input-parties", "0,1,public", "--output-parties", "0,1", "--json"],
            capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"confide simulate failed: {run.stderr.strip()}")
        report = json.loads(run.stdout)

    outputs = {p["party"]: p["output"] for p in report["parties"]}
    for party in (0, 1):
        total, exposure = outputs[party]["value"]
        assert total["value"] == expected_total, (party, total)
        assert exposure["value"] == expected_exposure, (party, exposure)
    assert outputs[2] is None, "party 2 must receive nothing"
    print(f"weighted total exposure {expected_total}, per counterparty {expected_exposure}")
    print(f"{report['rounds']} rounds, bytes sent per party {report['bytes_sent']}")


if __name__ == "__main__":
    main()
