#!/usr/bin/env python3
"""Writes examples/contacts.csv: 1200 calls to the support line of the made-up service of
examples/customers.csv over 2025-Q4, seeded, so the main job has contact records to report. One
row per call: its id, the caller's customer id, when it came in, the seconds it waited before
being answered or abandoned, whether it was answered, the handle time, whether the issue was
resolved at this first contact, and the seconds until the case was resolved, with `open` true
for cases still open when the records were exported (2026-01-01): their time is the time open
so far. An abandoned call has no case: its last four cells are blank.

Customers who leave in 2026-Q1 (in customers.csv) had their issue resolved at the first contact
less often, so that the main job's FCR-linked churn lift has something to find.

    python3 examples/make_contacts.py [OUT]
"""

import csv
import datetime as dt
import pathlib
import random
import sys

HERE = pathlib.Path(__file__).resolve().parent
# Another path as the one argument: to check the bundled file against.
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "contacts.csv"
rng = random.Random(20261204)
first, export = dt.datetime(2025, 10, 1), dt.datetime(2026, 1, 1)
churn_from, churn_to = dt.date(2026, 1, 1), dt.date(2026, 4, 1)


def day(text):
    return dt.date.fromisoformat(text) if text else None


# The customers active during the quarter, and whether they leave in the next one.
spans = {}
with (HERE / "customers.csv").open() as f:
    for row in csv.DictReader(f):
        start, end = day(row["start"]), day(row["end"])
        spans.setdefault(row["customer"], []).append((start, end))
active = [c for c, s in spans.items() if any(a < export.date() and (b is None or b > first.date()) for a, b in s)]
leaving = {
    c
    for c, s in spans.items()
    if any(a <= churn_from and (b is None or b > churn_from) for a, b in s)
    and not any(a <= churn_to and (b is None or b > churn_to) for a, b in s)
}

rows = []
for number in range(1, 1201):
    customer = rng.choice(active)
    opened = first + dt.timedelta(seconds=rng.randrange(int((export - first).total_seconds())))
    # Callers queue for an exponential time (mean 35 s) and give up after an exponential
    # patience (mean 150 s): the call is answered when the queue is shorter.
    queue, patience = rng.expovariate(1 / 35), rng.expovariate(1 / 150)
    answered = queue <= patience
    wait = round(min(queue, patience))
    if not answered:
        rows.append((number, customer, opened, wait, "false", "", "", "", ""))
        continue
    handle = round(rng.lognormvariate(5.6, 0.5))
    resolved_first = rng.random() < (0.5 if customer in leaving else 0.85)
    if resolved_first:
        resolution, still_open = handle, False
    else:
        resolution = round(wait + handle + rng.expovariate(1 / (2.5 * 86_400)))
        so_far = (export - opened).total_seconds()
        still_open = resolution > so_far
        resolution = int(min(resolution, so_far))
    rows.append(
        (number, customer, opened, wait, "true", handle, str(resolved_first).lower(), resolution, str(still_open).lower())
    )

with OUT.open("w") as f:
    f.write(
        "contact,customer,opened,wait_seconds,answered,handle_seconds,first_contact_resolved,"
        "resolution_seconds,open\n"
    )
    for number, customer, opened, *rest in rows:
        cells = [f"K{number:05d}", customer, opened.isoformat(timespec="seconds"), *map(str, rest)]
        f.write(",".join(cells) + "\n")
print(f"wrote {len(rows)} contacts to {OUT}")
