#!/usr/bin/env python3
"""Coarser copies of the ETT training splits, for the shipped zero-shot forecaster.

The default forecaster uses segments of 12 points. Hourly and 15-minute ETT data have a
daily period of 24 and 96 points, so no training series repeats every 12 points, which is
exactly what monthly data (yearly period 12) does. Averaging the ETT *training rows* into
2-hour steps gives series with a 12-point daily period. Only the training split is read
(ETT: the first 12 months, rows [0, 8640) hourly and [0, 34560) at 15 minutes), so the
validation and test splits of the shared data sets stay unseen.

    scripts/resample-training-splits.py data OUT_DIR    # data/ as laid out by scripts/fetch-data
"""
import csv
import os
import sys

SOURCES = [  # (file, training rows, rows averaged into one 2-hour step)
    ("ett/ETTh1.csv", 8640, 2),
    ("ett/ETTh2.csv", 8640, 2),
    ("ett/ETTm1.csv", 34560, 8),
]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: resample-training-splits.py SHARED_DATA_DIR OUT_DIR")
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, training_rows, step in SOURCES:
        with open(os.path.join(data, name), newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1 : 1 + training_rows]
        stem = os.path.splitext(os.path.basename(name))[0]
        # Not "ETT..." : forecast would apply the ETT row split to a file this short.
        target = os.path.join(out, f"resampled-{stem.lower()}-2h-train.csv")
        with open(target + ".tmp", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for start in range(0, len(body) - step + 1, step):
                group = body[start : start + step]
                means = [sum(float(r[c]) for r in group) / step for c in range(1, len(header))]
                writer.writerow([group[0][0]] + [f"{v:.6g}" for v in means])
        os.replace(target + ".tmp", target)
        print(f"{target}: {len(body) // step} rows from {len(body)} training rows of {name}")


if __name__ == "__main__":
    main()
