"""Prints Confide's and SPU's benchmark results side by side.

Usage: compare_table.py CONFIDE.jsonl SPU.jsonl  (one JSON object per op: op, median_s[, bytes_per_party])
"""
import json
import sys


def load(path):
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    obj = json.loads(line)
                    rows[obj["op"]] = obj
    except FileNotFoundError:
        pass
    return rows


def main():
    confide, spu = load(sys.argv[1]), load(sys.argv[2])
    print(f"{'op':16s} {'Confide s':>10s} {'SPU s':>10s} {'ratio':>7s}  bytes/party (Confide)")
    for op, c in confide.items():
        cs = c.get("median_s")
        s = spu.get(op, {}).get("median_s")
        ratio = f"{cs / s:7.3f}" if cs is not None and s else "    n/a"
        spu_s = f"{s:10.4f}" if s else "       n/a"
        conf_s = f"{cs:10.4f}" if cs is not None else "       n/a"
        print(f"{op:16s} {conf_s} {spu_s} {ratio}  {c.get('bytes_per_party', 'n/a')}")


if __name__ == "__main__":
    main()
