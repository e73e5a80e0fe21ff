#!/bin/sh
# Runs the `notebook` preset of movielens_100k and the NumPy notebook it
# reproduces (notebook_reference.py) one after the other on the same data, and
# prints each one's wall time, test MSE and the ratio of the times.
#
#   benchmarks/compare_notebook.sh [BUILD_DIR] [--reference-epochs N]
#
# BUILD_DIR (default build) holds a Release build of the example. The data come
# from $MF_DATA_DIR. With --reference-epochs N the reference runs N of its 100
# epochs and its time is scaled to 100, as the output then says.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
epochs=100
while [ $# -gt 0 ]; do
    case $1 in
        --reference-epochs) epochs=$2; shift 2 ;;
        *) build=$1; shift ;;
    esac
done
: "${MF_DATA_DIR:?set MF_DATA_DIR to the ml-100k folder}"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
last_json() { tail -n 1 "$1"; }
field() { "$python" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

start=$(now)
"$build/examples/movielens_100k" --preset notebook --split per-user --data "$MF_DATA_DIR" \
    --json --out "$out/plots" >"$out/mf.txt"
mf_wall=$(calc "$(now) - $start")

start=$(now)
"$python" "$root/benchmarks/notebook_reference.py" --data "$MF_DATA_DIR" --epochs "$epochs" \
    --json >"$out/numpy.txt"
numpy_wall=$(calc "($(now) - $start) * 100 / $epochs")

mf_json=$(last_json "$out/mf.txt")
numpy_json=$(last_json "$out/numpy.txt")
printf '%-36s %12s %10s\n' program "wall s" "test MSE"
printf '%-36s %12.3f %10.4f\n' "mf movielens_100k --preset notebook" "$mf_wall" \
    "$(field "$mf_json" test_mse)"
label="NumPy reference"
[ "$epochs" -eq 100 ] || label="NumPy reference ($epochs epochs x $((100 / epochs)))"
printf '%-36s %12.3f %10.4f\n' "$label" "$numpy_wall" "$(field "$numpy_json" test_mse)"
[ "$epochs" -eq 100 ] || echo "(the reference's time is scaled to 100 epochs; its MSE is after $epochs)"
printf 'mf is %.0f times as fast\n' "$(calc "$numpy_wall / $mf_wall")"
