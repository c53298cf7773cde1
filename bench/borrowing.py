#!/usr/bin/env python3
"""Can a minority group's first two moments be learnt better by borrowing from the majority?

On the paper's data (../shared/data/patient-treatment.csv, not ours to copy) with the fidelity
benchmark's protocol: 70% of the rows for training, 10% of the women of those kept, the rest held
out. For each women's group (SOURCE in/out) and feature, three estimates of the held-out women's
mean and standard deviation are compared:

- own: the kept women of that group, what a generator trained on them inherits;
- pooled: the kept men of the same label, shifted by the women's average offset and scaled by
  their average SD ratio (averaged over both labels);
- rule: pooled where the two labels' sex differences agree within 2 standard errors (an
  empirical-Bayes test for a sex-by-label interaction), own elsewhere.

Prints the mean absolute error of each, in held-out SDs for means and as |log ratio| for SDs,
averaged over the groups and the splits, and per feature. Needs numpy only:
    python3 bench/borrowing.py --splits 30
"""
import argparse
import csv

import numpy as np

FEATURES = ["HAEMATOCRIT", "HAEMOGLOBINS", "ERYTHROCYTE", "LEUCOCYTE", "THROMBOCYTE", "MCH",
            "MCHC", "MCV", "AGE"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default="../shared/data/patient-treatment.csv")
    parser.add_argument("--splits", type=int, default=30)
    args = parser.parse_args()
    with open(args.csv) as f:
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[c]) for c in FEATURES] for r in rows])
    sex = np.array([r["SEX"] for r in rows])
    label = np.array([r["SOURCE"] for r in rows])

    errors = {name: [] for name in
              ["mean own", "mean pooled", "mean rule", "sd own", "sd pooled", "sd rule"]}
    pooled_share = []
    for seed in range(args.splits):
        rng = np.random.default_rng(seed)
        training = rng.random(len(x)) < 0.7
        kept = training & ((sex == "M") | (rng.random(len(x)) < 0.1))
        stats = {}
        for value in ["in", "out"]:
            women = kept & (sex == "F") & (label == value)
            men = kept & (sex == "M") & (label == value)
            stats[value] = dict(n=women.sum(), wm=x[women].mean(0), ws=x[women].std(0, ddof=1),
                                mm=x[men].mean(0), ms=x[men].std(0, ddof=1))
        total = sum(s["n"] for s in stats.values())
        offset = sum(s["n"] * (s["wm"] - s["mm"]) for s in stats.values()) / total
        log_ratio = sum(s["n"] * np.log(s["ws"] / s["ms"]) for s in stats.values()) / total
        interaction = ((stats["in"]["wm"] - stats["in"]["mm"])
                       - (stats["out"]["wm"] - stats["out"]["mm"]))
        standard_error = np.sqrt(sum(s["ws"] ** 2 / s["n"] for s in stats.values()))
        pool = np.abs(interaction) < 2 * standard_error
        pooled_share.append(pool)
        for value, s in stats.items():
            held = x[~kept & (sex == "F") & (label == value)]
            mean, sd = held.mean(0), held.std(0, ddof=1)
            pooled_mean = s["mm"] + offset
            pooled_sd = s["ms"] * np.exp(log_ratio)
            for name, estimate in [("own", s["wm"]), ("pooled", pooled_mean),
                                   ("rule", np.where(pool, pooled_mean, s["wm"]))]:
                errors["mean " + name].append(np.abs(estimate - mean) / sd)
            for name, estimate in [("own", s["ws"]), ("pooled", pooled_sd),
                                   ("rule", np.where(pool, pooled_sd, s["ws"]))]:
                errors["sd " + name].append(np.abs(np.log(estimate / sd)))

    print("features: " + " ".join(FEATURES))
    print("share of splits pooling each feature: "
          + " ".join(f"{v:.2f}" for v in np.mean(pooled_share, 0)))
    for name, values in errors.items():
        per_feature = " ".join(f"{v:.3f}" for v in np.mean(values, 0))
        print(f"{name:12s} {np.mean(values):.3f}   per feature: {per_feature}")


if __name__ == "__main__":
    main()
