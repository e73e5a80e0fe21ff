#!/bin/sh
# Trains with each learning-rate schedule of mf, in one run on one machine, and
# prints after how many epochs and how many seconds of SGD each first reaches
# a looser and a tighter test RMSE, and where it ends.
#
#   benchmarks/compare_schedules.sh --mf PROGRAM --data ML100K_DIR [--synthetic DIR]
#
#   --mf PROGRAM     the `mf` tool (build/examples/cli/mf)
#   --data DIR       MovieLens 100k: trains on u1.base, tests on u1.test, k = 100
#   --synthetic DIR  also the 10M synthetic set of compare_libmf.sh, train.txt and
#                    test.txt in DIR, k = 32
#
# Seconds are the sum of the tool's per-epoch SGD times (evaluation excluded).
set -eu

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit "$1"
}

mf=""
data=""
synthetic=""
while [ $# -gt 0 ]; do
    case $1 in
        --mf) mf=$2; shift 2 ;;
        --data) data=$2; shift 2 ;;
        --synthetic) synthetic=$2; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "compare_schedules.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
done
[ -x "$mf" ] || { echo "compare_schedules.sh: --mf PROGRAM is required" >&2; exit 2; }
[ -f "$data/u1.base" ] || { echo "compare_schedules.sh: no u1.base in '$data'" >&2; exit 2; }

# run NAME LOOSE TIGHT ARGS...: one training run, summarised as a table row.
run() {
    name=$1
    loose=$2
    tight=$3
    shift 3
    "$mf" train "$@" | awk -v name="$name" -v loose="$loose" -v tight="$tight" '
        function first(target, epoch, at) {
            return at != "" ? at : ($5 <= target ? sprintf("%d epochs, %.3f s", epoch, seconds) : "")
        }
        $1 ~ /^[0-9]+$/ && NF == 5 {
            seconds += $3
            loose_at = first(loose, $1, loose_at)
            tight_at = first(tight, $1, tight_at)
            last = $5; epochs = $1
        }
        END {
            printf "| %s | %s | %s | %.4f after %d epochs, %.3f s |\n", name,
                   loose_at == "" ? "not reached" : loose_at,
                   tight_at == "" ? "not reached" : tight_at, last, epochs, seconds
        }'
}

schedules() {
    set_name=$1
    loose=$2
    tight=$3
    epochs=$4
    shift 4
    echo
    echo "$set_name: the first epoch with a test RMSE of at most $loose, and of $tight"
    echo
    echo "| schedule | RMSE <= $loose | RMSE <= $tight | end |"
    echo "|---|---|---|---|"
    run "decay, η 0.1 −20 %/epoch (default)" "$loose" "$tight" "$@" --epochs "$epochs"
    run "decay, η 0.05 −10 %/epoch" "$loose" "$tight" "$@" --epochs "$epochs" --lr 0.05 \
        --decay 0.1
    run "decay, η 0.02 −5 %/epoch" "$loose" "$tight" "$@" --epochs "$epochs" --lr 0.02 \
        --decay 0.05
    run "AdaGrad, η 0.05" "$loose" "$tight" "$@" --epochs "$epochs" --schedule adagrad \
        --lr 0.05
    run "AdaGrad, η 0.1" "$loose" "$tight" "$@" --epochs "$epochs" --schedule adagrad --lr 0.1
    run "constant, η 0.02" "$loose" "$tight" "$@" --epochs "$epochs" --lr 0.02 --decay 0
}

schedules "MovieLens 100k u1, k = 100" 0.925 0.92 40 "$data/u1.base" --test "$data/u1.test"
if [ -n "$synthetic" ]; then
    schedules "synthetic 9M/1M, k = 32" 0.90 0.89 15 "$synthetic/train.txt" \
        --test "$synthetic/test.txt" --format libmf -k 32
fi
