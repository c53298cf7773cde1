#!/usr/bin/env python3
"""imbalanced-learn's SMOTE on the workload of `bin/mcrage bench smote`, for side-by-side ratios.

The same distribution as SmoteBenchmarks (a blood count: 9 numeric features, 4 groups of 55%,
25%, 15% and 5% of the rows, k = 5), drawn with numpy rather than Java's generator. Prints one
JSON line per size and input: `raw` (imbalanced-learn's own use, units as they come) and
`standardised` (each feature divided by its standard deviation, as our SMOTE measures distance).
Data generation is not timed. Run it right after the Java benchmark on the same machine and
compare within that pair; the machine's load moves both.

Needs python3-imblearn (Debian bookworm: imbalanced-learn 0.10.0, scikit-learn 1.2.1):
    apt-get install python3-imblearn
    /usr/bin/python3 bench/smote-imblearn.py 100000 1000000 --reps 3
"""
import argparse
import json
import time

import numpy as np
from imblearn.over_sampling import SMOTE

SHARES = [0.55, 0.25, 0.15, 0.05]


def generate(rows, seed=17):
    """Returns the features and groups (0 out-patient men, 1 out-patient women, 2 and 3 in-)."""
    rng = np.random.default_rng(seed)
    group = rng.choice(4, size=rows, p=SHARES)
    female = group % 2
    inpatient = group // 2
    hb = np.maximum(3, np.round(rng.normal(14.6 - 1.6 * female - 1.2 * inpatient, 1.6), 1))
    hct = np.maximum(10, np.round(rng.normal(hb * 2.95, 1.3), 1))
    ery = np.maximum(1, np.round(rng.normal(hb / 2.9, 0.35), 2))
    leu = np.round(np.exp(rng.normal(np.log(7.5) + 0.3 * inpatient, 0.4)), 1)
    thr = np.maximum(5, np.rint(rng.normal(260 + 20 * female - 25 * inpatient, 80)))
    mch = np.round(hb / ery * 10, 1)
    mchc = np.round(hb / hct * 100, 1)
    mcv = np.round(hct / ery * 10, 1)
    age = rng.integers(1, 100, rows)
    features = np.column_stack([hct, hb, ery, leu, thr, mch, mchc, mcv, age]).astype(float)
    return features, group


def measure(name, features, group, reps):
    seconds = []
    for rep in range(reps):
        start = time.perf_counter()
        SMOTE(k_neighbors=5, random_state=rep).fit_resample(features, group)
        seconds.append(time.perf_counter() - start)
    rows = len(group)
    median = float(np.median(seconds))
    print(json.dumps({"workload": name, "size": rows, "median": median, "unit": "s",
                      "repetitions": seconds, "rows_per_s": rows / median}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    for rows in args.rows:
        features, group = generate(rows)
        measure("smote.imblearn.raw", features, group, args.reps)
        measure("smote.imblearn.standardised", features / features.std(axis=0), group, args.reps)


if __name__ == "__main__":
    main()
