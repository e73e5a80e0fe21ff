#!/usr/bin/env python3
"""The NumPy notebook that mf reproduces, as a script: the yardstick for the
speed and the accuracy of mf's `notebook` preset.

MovieLens 100k u.data, split 80/20 per user (each user's ratings shuffled,
round(0.2 n) of them to test); 5 factors, P and Q uniform in [0, 1), no biases,
no regularisation; plain SGD over the shuffled training set, one rating at a
time, with e = p_u . q_i - r, p_u <- p_u - 0.001 2e q_i, q_i <- q_i - 0.001 2e p_u
(old p_u); the training MSE after each epoch; the test MSE at the end.

usage: notebook_reference.py [--data DIR] [--epochs N] [--seed N] [--json]
"""
import argparse
import json
import os
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("notebook_reference.py needs NumPy: apt-get install python3-numpy "
             "(and run it with /usr/bin/python3)")


def per_user_split(ratings, fraction, rng):
    test = np.zeros(len(ratings), dtype=bool)
    for user in np.unique(ratings[:, 0]):
        rows = np.flatnonzero(ratings[:, 0] == user)
        rng.shuffle(rows)
        test[rows[:int(round(fraction * len(rows)))]] = True
    return ratings[~test], ratings[test]


def mse(P, Q, ratings):
    users, items, values = ratings[:, 0], ratings[:, 1], ratings[:, 2]
    return float(np.mean((np.sum(P[users] * Q[items], axis=1) - values) ** 2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.environ.get("MF_DATA_DIR", "data/ml-100k"))
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    raw = np.loadtxt(os.path.join(args.data, "u.data"), dtype=np.int64)
    # MovieLens 100k ids run from 1 without gaps, so id - 1 is a dense index.
    ratings = np.column_stack([raw[:, 0] - 1, raw[:, 1] - 1, raw[:, 2]])
    rng = np.random.default_rng(args.seed)
    train, test = per_user_split(ratings, 0.2, rng)
    n_users, n_items, k, lr = ratings[:, 0].max() + 1, ratings[:, 1].max() + 1, 5, 0.001
    P = rng.random((n_users, k))
    Q = rng.random((n_items, k))

    train_start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        for u, i, r in train[rng.permutation(len(train))]:
            e = P[u] @ Q[i] - r
            p_old = P[u].copy()
            P[u] -= lr * 2 * e * Q[i]
            Q[i] -= lr * 2 * e * p_old
        print(f"epoch {epoch:3d}  train MSE {mse(P, Q, train):.6f}", flush=True)
    train_seconds = time.perf_counter() - train_start

    test_mse = mse(P, Q, test)
    total_seconds = time.perf_counter() - start
    print(f"test MSE {test_mse:.6f}; training {train_seconds:.1f} s, in all {total_seconds:.1f} s")
    if args.json:
        print(json.dumps({"epochs": args.epochs, "train_ratings": len(train),
                          "test_ratings": len(test), "test_mse": test_mse,
                          "train_seconds": train_seconds, "total_seconds": total_seconds}))


if __name__ == "__main__":
    main()
