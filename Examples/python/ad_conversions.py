"""A retailer and an ad platform measure an ad campaign's conversions without pooling their tables.

Builds the secure inner join + aggregate of `confide example ad-conversions` with CipherCore's
`ciphercore` Python package (graph building only), runs it with `confide simulate` (three ABY3 parties
on this machine) on the CSV tables in Examples/ad-conversions (the retailer is party 0, the ad
platform party 1), reveals the result to the ad platform only, and checks it against numpy on the
pooled tables: the total spend of the customers who saw at least one ad, and their count.

Usage: python ad_conversions.py [--confide PATH_TO_CONFIDE]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import ciphercore as cc
import ciphercore.internal as cci
import numpy as np

# CipherCore's NULL_HEADER: the header of a table's null column (1 where a row holds content).
NULL_HEADER = "row_mask_sentinel_639bcf36-a1b0-11ed-b93a-423c7c497182"
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "ad-conversions")


def build_graph(retailer_rows, platform_rows):
    c = cc.create_context()
    with c:
        g = c.create_graph()
        with g:
            purchases = g.input(cc.named_tuple_type([
                ("customer", cc.array_type([retailer_rows], cc.UINT32)),
                ("spend", cc.array_type([retailer_rows], cc.UINT64))]))
            impressions = g.input(cc.named_tuple_type([
                ("customer", cc.array_type([platform_rows], cc.UINT32)),
                ("impressions", cc.array_type([platform_rows], cc.UINT32))]))

            def table(node, rows, columns):
                return g.create_named_tuple(
                    [(NULL_HEADER, g.ones(cc.array_type([rows], cc.BIT)))]
                    + [(name, node.named_tuple_get(name)) for name in columns])

            retailer = table(purchases, retailer_rows, ["customer", "spend"])
            platform = table(impressions, platform_rows, ["customer", "impressions"])
            joined = retailer.join(platform, cci.cc.JoinType.from_inner(), {"customer": "customer"})
            not_equal = cc.CustomOperation('{"body":{"type":"NotEqual","signed_comparison":false}}')
            saw = g.custom_op(not_equal, [joined.named_tuple_get("impressions").a2b(),
                                          g.zeros(cc.scalar_type(cc.UINT32)).a2b()])
            spend = joined.named_tuple_get("spend").mixed_multiply(saw).sum([0])
            customers = g.ones(cc.array_type([retailer_rows], cc.UINT64)).mixed_multiply(saw).sum([0])
            g.create_named_tuple([("spend", spend), ("customers", customers)]).set_as_output()
        g.set_as_main()
    return str(c)


def read(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64).reshape(-1, 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--confide", default="confide", help="path to the confide executable")
    args = parser.parse_args()

    purchases = read(os.path.join(DATA, "party0", "purchases.csv"))
    impressions = read(os.path.join(DATA, "party1", "impressions.csv"))
    # The reference on the pooled tables.
    seen = impressions[impressions[:, 1] > 0, 0]
    mask = np.isin(purchases[:, 0], seen)
    expected = {"spend": int(purchases[mask, 1].sum()), "customers": int(mask.sum())}

    with tempfile.TemporaryDirectory() as tmp:
        graph = os.path.join(tmp, "ad_conversions.json")
        with open(graph, "w") as f:
            f.write(build_graph(len(purchases), len(impressions)))
        run = subprocess.run(
            [args.confide, "simulate", graph, "-i", DATA, "--input-parties", "0,1", "--output-parties", "1", "--json"],
            capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"confide simulate failed: {run.stderr}")
        report = json.loads(run.stdout)
    parties = report["parties"]
    if parties[0]["output"] is not None or parties[2]["output"] is not None:
        sys.exit("only the ad platform (party 1) may learn the result")
    got = {field["name"]: field["value"]["value"] for field in parties[1]["output"]["value"]}
    print(f"secure join: spend {got['spend']} cents over {got['customers']} customers who saw an ad")
    print(f"numpy:       spend {expected['spend']} cents over {expected['customers']} customers")
    if got != expected:
        sys.exit("the secure result differs from numpy's")


if __name__ == "__main__":
    main()
