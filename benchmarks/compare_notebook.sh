#!/bin/sh
# Runs movielens_100k --preset notebook and the NumPy notebook it reproduces
# (notebook_reference.py) one after the other on the same MovieLens 100k folder,
# and prints each one's wall time, its own total and training time, its test
# MSE, and how many times as long the NumPy reference takes.
#
#   benchmarks/compare_notebook.sh [BUILD_DIR] [--data DIR] [--reference-epochs N]
#
# BUILD_DIR (default: build/ in the repository) holds a Release build of the
# examples. The data folder is --data, else $MF_DATA_DIR. The reference takes
# 80 s or more for its 100 epochs; --reference-epochs N runs N of them and
# scales its training time to the full count, as the output then says.
# The NumPy side runs under $PYTHON, else the first python3 that has NumPy.
set -eu

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit "$1"
}

fail() {
    echo "compare_notebook.sh: $*" >&2
    exit 1
}

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
data=${MF_DATA_DIR:-}
reference_epochs=""
while [ $# -gt 0 ]; do
    case $1 in
        -h | --help) usage 0 ;;
        --data) [ $# -ge 2 ] || usage 2; data=$2; shift 2 ;;
        --reference-epochs) [ $# -ge 2 ] || usage 2; reference_epochs=$2; shift 2 ;;
        -*) echo "compare_notebook.sh: unknown option '$1'" >&2; usage 2 ;;
        *) build=$1; shift ;;
    esac
done

program=$build/examples/movielens_100k
[ -x "$program" ] || fail "$program not found; build the examples in Release mode first"
# movielens_100k quietly falls back to synthetic data when it finds none, which
# would make the comparison meaningless: insist on the real file.
[ -n "$data" ] || fail "name the ml-100k folder with --data DIR or MF_DATA_DIR=DIR"
[ -f "$data/u.data" ] || fail "$data/u.data not found"
case ${reference_epochs:-1} in
    *[!0-9]* | 0*)
        fail "--reference-epochs expects a whole number of at least 1, not '$reference_epochs'" ;;
esac

python=${PYTHON:-}
if [ -z "$python" ]; then
    for candidate in python3 /usr/bin/python3; do
        if "$candidate" -c 'import numpy' >/dev/null 2>&1; then
            python=$candidate
            break
        fi
    done
fi
# With no NumPy anywhere, the reference itself says how to install it.
python=${python:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# A value from the JSON object on the last line of a program's output.
field() {
    tail -n 1 "$1" | "$python" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}
# Runs a program with its output in a file; on failure, shows the end of it.
timed() {
    output=$1
    shift
    start=$(now)
    if ! "$@" >"$output"; then
        tail -n 20 "$output" >&2
        fail "failed: $*"
    fi
    calc "$(now) - $start"
}

echo "MovieLens 100k from $data."
echo "Both programs seed 42, but each with its own generator: their splits and shuffles"
echo "differ, so their test MSEs agree only to within noise."
echo "Running movielens_100k --preset notebook ..."
mf_wall=$(timed "$work/mf.txt" "$program" --preset notebook --split per-user --data "$data" \
    --json --out "$work/out")
epochs=$(field "$work/mf.txt" epochs)

echo "Running notebook_reference.py for ${reference_epochs:-$epochs} epochs under $python ..."
ran=${reference_epochs:-$epochs}
numpy_wall=$(timed "$work/numpy.txt" "$python" "$root/benchmarks/notebook_reference.py" \
    --data "$data" --epochs "$ran" --json)

mf_total=$(field "$work/mf.txt" total_seconds)
mf_train=$(field "$work/mf.txt" train_seconds)
mf_mse=$(field "$work/mf.txt" test_mse)
numpy_total=$(field "$work/numpy.txt" total_seconds)
numpy_train=$(field "$work/numpy.txt" train_seconds)
numpy_mse=$(field "$work/numpy.txt" test_mse)
label="NumPy reference"
if [ "$ran" -ne "$epochs" ]; then
    # Loading and splitting happen once; only the training grows with the epochs.
    extra=$(calc "$numpy_train * ($epochs / $ran - 1)")
    numpy_train=$(calc "$numpy_train + $extra")
    numpy_total=$(calc "$numpy_total + $extra")
    numpy_wall=$(calc "$numpy_wall + $extra")
    label="NumPy reference (scaled)"
fi

echo
printf '%-28s %10s %12s %10s %10s\n' "" "wall s" "own total s" "train s" "test MSE"
printf '%-28s %10.3f %12.3f %10.3f %10.4f\n' "mf movielens_100k" "$mf_wall" "$mf_total" \
    "$mf_train" "$mf_mse"
printf '%-28s %10.3f %12.3f %10.3f %10.4f\n' "$label" "$numpy_wall" "$numpy_total" \
    "$numpy_train" "$numpy_mse"
printf '%-28s %10.1f %12.1f %10.1f\n' "ratio NumPy / mf" "$(calc "$numpy_wall / $mf_wall")" \
    "$(calc "$numpy_total / $mf_total")" "$(calc "$numpy_train / $mf_train")"
echo
echo "wall s: measured here around each process (start-up and loading included);"
echo "own total s and train s: from each program's JSON (training includes the MSEs"
echo "computed after every epoch)."
if [ "$ran" -ne "$epochs" ]; then
    echo "The reference ran $ran of $epochs epochs: its times are scaled, its training time"
    echo "by $epochs/$ran and the rest kept; its test MSE is after $ran epochs, not comparable."
fi
