#!/usr/bin/env python3
"""The NumPy notebook that mf reproduces, as a script: the yardstick for the
speed and the accuracy of movielens_100k --preset notebook.

MovieLens 100k u.data, split 80/20 per user (each user's ratings shuffled,
round(0.2 n) of them to test); 5 factors, P and Q uniform in [0, 1), no biases,
no regularisation; plain SGD over the training set, shuffled each epoch, one
rating at a time:
    e = p_u . q_i - r,  p_u <- p_u - 0.001 2e q_i,  q_i <- q_i - 0.001 2e p_u (old p_u)
the training MSE after each epoch, the test MSE at the end.

The loop over ratings stays in Python, with NumPy doing each rating's vector
arithmetic, because that is how the notebook was written and what is timed.

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
    sys.exit("notebook_reference.py needs NumPy: apt-get install python3-numpy, and run the "
             "script with the python3 that has it (/usr/bin/python3 for Debian's)")

FACTORS = 5
STEP = 0.001
TEST_FRACTION = 0.2


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def per_user_split(ratings, fraction, rng):
    """Each user's ratings in file order, shuffled; the first round(fraction n) go to test."""
    # round() takes halves to even where mf takes them away from zero; 0.2 n is never a half.
    test = np.zeros(len(ratings), dtype=bool)
    for user in np.unique(ratings[:, 0]):
        rows = np.flatnonzero(ratings[:, 0] == user)
        rng.shuffle(rows)
        test[rows[:round(fraction * len(rows))]] = True
    return ratings[~test], ratings[test]


def mse(P, Q, ratings):
    users, items, values = ratings[:, 0], ratings[:, 1], ratings[:, 2]
    return float(np.mean((np.sum(P[users] * Q[items], axis=1) - values) ** 2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", metavar="DIR",
                        default=os.environ.get("MF_DATA_DIR") or "data/ml-100k",
                        help="the ml-100k folder (default: $MF_DATA_DIR, else data/ml-100k)")
    parser.add_argument("--epochs", metavar="N", type=positive_int, default=100,
                        help="passes over the training set (default 100)")
    parser.add_argument("--seed", metavar="N", type=int, default=42,
                        help="seeds the split, the initial factors and the shuffles")
    parser.add_argument("--json", action="store_true",
                        help="end with one line of JSON holding the results")
    args = parser.parse_args()

    u_data = os.path.join(args.data, "u.data")
    if not os.path.isfile(u_data):
        sys.exit(f"notebook_reference.py: {u_data} not found; name the ml-100k folder "
                 "with --data DIR or MF_DATA_DIR=DIR")

    start = time.perf_counter()
    raw = np.loadtxt(u_data, dtype=np.int64, usecols=(0, 1, 2))
    # MovieLens 100k ids run from 1 without gaps, so id - 1 is a dense index.
    ratings = np.column_stack([raw[:, 0] - 1, raw[:, 1] - 1, raw[:, 2]])
    rng = np.random.default_rng(args.seed)
    train, test = per_user_split(ratings, TEST_FRACTION, rng)
    P = rng.random((ratings[:, 0].max() + 1, FACTORS))
    Q = rng.random((ratings[:, 1].max() + 1, FACTORS))

    train_start = time.perf_counter()
    history = []
    for epoch in range(1, args.epochs + 1):
        for u, i, r in train[rng.permutation(len(train))]:
            e = P[u] @ Q[i] - r
            p_old = P[u].copy()
            P[u] -= STEP * 2 * e * Q[i]
            Q[i] -= STEP * 2 * e * p_old
        history.append(mse(P, Q, train))
        print(f"epoch {epoch:3d}  train MSE {history[-1]:.6f}", flush=True)
    train_seconds = time.perf_counter() - train_start

    test_mse = mse(P, Q, test)
    total_seconds = time.perf_counter() - start
    print(f"test MSE {test_mse:.6f} on {len(test)} ratings; training {train_seconds:.2f} s "
          f"({train_seconds / args.epochs:.3f} s an epoch), in all {total_seconds:.2f} s")
    if args.json:
        print(json.dumps({"epochs": args.epochs, "seed": args.seed,
                          "train_ratings": len(train), "test_ratings": len(test),
                          "test_mse": test_mse, "train_mse": history,
                          "train_seconds": train_seconds, "total_seconds": total_seconds}))


if __name__ == "__main__":
    main()
