#!/usr/bin/env python3
"""Writes the synthetic tables of Examples/ad-conversions (deterministic: seed 2026).

A retailer's 20000 customers with their spend in cents, and an ad platform's 15000 users with the
impressions it showed them; 9000 customers are in both tables, keyed by the same customer id.
"""
import os
import random

rng = random.Random(2026)
ids = rng.sample(range(1, 50_000_000), 20000 + 15000 - 9000)
retailer = ids[:20000]
platform = ids[20000 - 9000:]
rng.shuffle(retailer)
rng.shuffle(platform)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Examples", "ad-conversions")
with open(os.path.join(root, "party0", "purchases.csv"), "w") as f:
    f.write("customer_id,spend_cents\n")
    for c in retailer:
        f.write(f"{c},{int(rng.lognormvariate(8, 1.2))}\n")
with open(os.path.join(root, "party1", "impressions.csv"), "w") as f:
    f.write("customer_id,impressions\n")
    for c in platform:
        f.write(f"{c},{0 if rng.random() < 0.2 else rng.randint(1, 12)}\n")
