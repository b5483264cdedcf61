#!/usr/bin/env python3
"""Writes examples/customers.csv: subscription records of a made-up B2B service, seeded, so the
main job has customers to report beside the survey. One row per subscription: the customer's id,
its start date, its end date (blank: still active) and its monthly value in cents. Some
customers hold two subscriptions, some upgrade (one ends the day the next starts), some leave.

    python3 examples/make_customers.py [OUT]
"""

import datetime as dt
import pathlib
import random
import sys

# Another path as the one argument: to check the bundled file against.
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent / "customers.csv"
rng = random.Random(20261201)
first, last = dt.date(2024, 1, 1), dt.date(2026, 9, 30)
span = (last - first).days

rows = []
for customer in range(1, 601):
    start = first + dt.timedelta(days=rng.randrange(span))
    value = rng.choice([4900, 9900, 19900, 49900])
    # About 2% a month leave: the end, if any, is an exponential time after the start.
    lifetime = int(rng.expovariate(0.02 / 30.44))
    end = start + dt.timedelta(days=lifetime) if start + dt.timedelta(days=lifetime) <= last else None
    if end is not None and rng.random() < 0.25:  # an upgrade, not a loss: a new, dearer plan
        rows.append((customer, start, end, value))
        rows.append((customer, end, None, value * 2))
        continue
    rows.append((customer, start, end, value))
    if rng.random() < 0.15:  # a second, smaller subscription, sometimes cancelled
        extra_start = start + dt.timedelta(days=rng.randrange(1, 200))
        extra_end = extra_start + dt.timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.5 else None
        if extra_start <= last:
            rows.append((customer, extra_start, extra_end if extra_end and extra_end <= last else None, 2900))

with OUT.open("w") as f:
    f.write("customer,start,end,value\n")
    for customer, start, end, value in rows:
        f.write(f"C{customer:04d},{start.isoformat()},{'' if end is None else end.isoformat()},{value}\n")
print(f"wrote {len(rows)} records to {OUT}")
