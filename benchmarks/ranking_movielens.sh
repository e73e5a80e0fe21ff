#!/bin/sh
# Ranking metrics of mf's default model beside a popularity baseline on the five
# MovieLens 100k folds u1..u5: each fold's model is trained on uN.base with the
# tool's defaults and saved, then `mf evaluate` measures both rankers on
# uN.test by the same code (top-k lists without training items, relevance:
# rating >= 4). Prints each fold and the mean over folds.
#
#   benchmarks/ranking_movielens.sh --mf PROGRAM --data ML100K_DIR [-k N]
#
#   --mf PROGRAM   the `mf` tool (build/examples/cli/mf)
#   --data DIR     the unzipped ml-100k folder
#   -k N           the list length (default 10)
set -eu

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit "$1"
}

mf=""
data=""
k=10
while [ $# -gt 0 ]; do
    case $1 in
        --mf) mf=$2; shift 2 ;;
        --data) data=$2; shift 2 ;;
        -k) k=$2; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "ranking_movielens.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
done
[ -n "$mf" ] && [ -n "$data" ] || usage 2
[ -x "$mf" ] || { echo "ranking_movielens.sh: '$mf' is not a program" >&2; exit 2; }
[ -f "$data/u1.base" ] || { echo "ranking_movielens.sh: '$data' holds no u1.base" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The value of "key": in a JSON line of numbers.
value() {
    sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

echo "fold  model P@$k  model NDCG@$k  popularity P@$k  popularity NDCG@$k"
for fold in u1 u2 u3 u4 u5; do
    "$mf" train "$data/$fold.base" --model "$work/$fold.model" >/dev/null
    "$mf" evaluate --model "$work/$fold.model" "$data/$fold.test" --train "$data/$fold.base" \
        -k "$k" --json | tail -n 1 >"$work/$fold.json"
    line=$(cat "$work/$fold.json")
    printf '%s  %10.4f  %13.4f  %15.4f  %18.4f\n' "$fold" \
        "$(echo "$line" | value precision_at_k)" "$(echo "$line" | value ndcg_at_k)" \
        "$(echo "$line" | value popularity_precision_at_k)" \
        "$(echo "$line" | value popularity_ndcg_at_k)"
done | tee "$work/table"
awk 'NR > 0 { for (c = 2; c <= 5; ++c) sum[c] += $c; ++n }
     END { printf "mean  %10.4f  %13.4f  %15.4f  %18.4f\n",
           sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n }' "$work/table"
