#!/usr/bin/env python3
"""Writes examples/survey.csv: a made-up relational NPS survey, seeded, so the README's main
command has something realistic to read. Regions and channels differ on purpose (EMEA's chat
channel is weak), about 3% of answers are missing, and each row has a survey weight."""

import csv
import pathlib
import random

rng = random.Random(20261123)
PROFILES = {  # probabilities of score 0..10
    "strong": [1, 1, 1, 2, 2, 4, 5, 9, 14, 25, 36],
    "average": [2, 2, 3, 3, 4, 6, 8, 14, 18, 20, 20],
    "weak": [5, 5, 6, 7, 8, 10, 11, 13, 12, 12, 11],
}
SEGMENTS = {
    ("EMEA", "phone"): "average", ("EMEA", "chat"): "weak", ("EMEA", "email"): "average",
    ("Americas", "phone"): "strong", ("Americas", "chat"): "average", ("Americas", "email"): "strong",
    ("APAC", "phone"): "average", ("APAC", "chat"): "strong", ("APAC", "email"): "average",
}

rows = []
for i in range(2400):
    region, channel = rng.choice(list(SEGMENTS))
    quarter = rng.choice(["2026-Q2", "2026-Q3"])
    score = rng.choices(range(11), weights=PROFILES[SEGMENTS[region, channel]])[0]
    if rng.random() < 0.03:
        score = ""
    weight = round(rng.uniform(0.6, 1.6), 3)
    rows.append([f"R{i + 1:05d}", quarter, region, channel, score, weight])

out = pathlib.Path(__file__).with_name("survey.csv")
with out.open("w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["respondent", "quarter", "region", "channel", "score", "weight"])
    writer.writerows(rows)
