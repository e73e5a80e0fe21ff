#!/bin/sh
# Runs mf's `mf train` and LIBMF's `mf-train` side by side, in one run on one
# machine, on the same synthetic files, and prints per-epoch time, reading
# time, peak memory and test RMSE for each, with mf's ratio to LIBMF.
#
#   benchmarks/compare_libmf.sh --libmf DIR [--build DIR] [--work DIR]
#                               [--epochs N] [--threads "1 2"] [--runs N]
#
#   --libmf DIR    folder holding LIBMF's mf-train and mf-predict, built by the
#                  user from LIBMF's own sources (this script never builds it)
#   --build DIR    mf build folder, configured here with -march=native, as
#                  LIBMF's Makefile builds, unless it exists; `mf` is (re)built
#                  in it (default: build-native)
#   --work DIR     where the data and models go (default: /tmp/mf-vs-libmf)
#   --epochs N     epochs per run (default: 10)
#   --threads L    thread counts to run (default: "1 2")
#   --runs N       runs of each program; the best time of each is kept (default: 3)
#
# The data: `mf generate --users 200000 --items 20000 --ratings 10000000
# --test-fraction 0.1 --seed 7`, 9M training and 1M test ratings in LIBMF's
# text form. Both programs train k = 32 for the same epochs. LIBMF runs with
# its defaults (AdaGrad, learning rate 0.1, l2 0.1 on P and Q) and --quiet;
# mf twice: AdaGrad with those settings (plus its biases), and its defaults
# (learning rate 0.1 shrinking by a fifth each epoch, λ 0.1, biases).
#
# How each figure is taken, the same way for both programs:
#   read      from the training file's first open to its last close, as strace
#             timestamps them (only open, close and clone are traced)
#   epoch     LIBMF: from its training threads' start (its last clone before
#             the model is written) to the model file's open, over the epochs;
#             mf: the mean of its JSON `epoch_seconds`
#   peak RSS  GNU time's maximum resident set size of the program; mf holds the
#             test file as well, so a last run of each program on the training
#             file alone (mf with --epochs 1, LIBMF as above) compares memory
#   RMSE      on the test file after the last epoch: LIBMF's mf-predict,
#             mf's JSON `test_rmse`
# Needs strace and GNU time (Debian packages strace and time).
set -eu

usage() {
    sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'
    exit "$1"
}

root=$(cd "$(dirname "$0")/.." && pwd)
libmf=""
build="$root/build-native"
work=/tmp/mf-vs-libmf
epochs=10
thread_counts="1 2"
runs=3
while [ $# -gt 0 ]; do
    case $1 in
        --libmf) libmf=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --threads) thread_counts=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "compare_libmf.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
done
[ -n "$libmf" ] || { echo "compare_libmf.sh: --libmf DIR is required" >&2; exit 2; }
for program in "$libmf/mf-train" "$libmf/mf-predict"; do
    [ -x "$program" ] || { echo "compare_libmf.sh: no program $program" >&2; exit 2; }
done
for tool in strace /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "compare_libmf.sh: needs $tool (apt-get install strace time)" >&2; exit 2; }
done

mf="$build/examples/cli/mf"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-march=native \
        -DMF_BUILD_TESTS=OFF -DMF_DOWNLOAD_MOVIELENS=OFF >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)" --target mf_tool >/dev/null

mkdir -p "$work"
train="$work/train.txt"
test="$work/test.txt"
if [ ! -f "$train" ] || [ ! -f "$test" ]; then
    "$mf" generate --users 200000 --items 20000 --ratings 10000000 --test-fraction 0.1 \
        --seed 7 --out-train "$train" --out-test "$test"
fi

# traced FILE PROGRAM ARGS...: runs the program under strace and GNU time;
# the trace goes to $work/trace, the peak RSS in KiB to $work/rss, stdout to $work/out.
traced() {
    strace -f --seccomp-bpf -ttt -e trace=openat,close,clone,clone3 -o "$work/trace" \
        /usr/bin/time -f %M -o "$work/rss" "$@" >"$work/out"
}

# Seconds from the training file's first open to the close of the last
# descriptor opened on it.
read_seconds() {
    awk -v file="\"$train\"" '
        $3 ~ /^openat\(/ && index($0, file) { split($0, r, "= "); fd[$1 " " r[2] + 0] = 1
                                              if (!first) first = $2 }
        $3 ~ /^close\(/ { d = $3; sub(/^close\(/, "", d); sub(/\).*/, "", d)
                          if (($1 " " d) in fd) { last = $2; delete fd[$1 " " d] } }
        END { printf "%.3f", last - first }' "$work/trace"
}

# LIBMF's seconds per epoch: its last thread start before the model file opens,
# to that open.
libmf_epoch_seconds() {
    awk -v model="\"$work/libmf.model\"" -v epochs="$epochs" '
        $3 ~ /^clone/ && !end { start = $2 }
        $3 ~ /^openat\(/ && index($0, model) { end = $2 }
        END { printf "%.4f", (end - start) / epochs }' "$work/trace"
}

json_number() {
    tail -n 1 "$work/out" | sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"
}

json_mean() {
    tail -n 1 "$work/out" | sed -n "s/.*\"$1\":\[\([^]]*\)\].*/\1/p" |
        awk -F, '{ for (i = 1; i <= NF; ++i) s += $i; printf "%.4f", s / NF }'
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

echo "data: $train (9M ratings), $test (1M); k = 32, $epochs epochs, best of $runs runs"
echo "cpu: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
echo
printf '| program | threads | read s | s/epoch | ratings/s | peak RSS MiB | test RMSE |\n'
printf '|---|---|---|---|---|---|---|\n'

for threads in $thread_counts; do
    libmf_read="" libmf_epoch="" libmf_rss=""
    for config in adagrad defaults; do
        eval "${config}_read='' ${config}_epoch='' ${config}_rss='' ${config}_rmse=''"
    done
    run=1
    while [ "$run" -le "$runs" ]; do
        traced "$libmf/mf-train" --quiet -k 32 -t "$epochs" -s "$threads" "$train" \
            "$work/libmf.model"
        libmf_read=$(min "$libmf_read" "$(read_seconds)")
        libmf_epoch=$(min "$libmf_epoch" "$(libmf_epoch_seconds)")
        libmf_rss=$(min "$libmf_rss" "$(cat "$work/rss")")

        for config in adagrad defaults; do
            case $config in
                adagrad) settings="--schedule adagrad --lr 0.1 --reg 0.1" ;;
                defaults) settings="" ;;
            esac
            # shellcheck disable=SC2086
            traced "$mf" train "$train" --test "$test" --format libmf -k 32 --epochs "$epochs" \
                --threads "$threads" $settings --json
            eval "${config}_read=\$(min \"\$${config}_read\" \"\$(read_seconds)\")"
            eval "${config}_epoch=\$(min \"\$${config}_epoch\" \"\$(json_mean epoch_seconds)\")"
            eval "${config}_rss=\$(min \"\$${config}_rss\" \"\$(cat \"\$work/rss\")\")"
            eval "${config}_rmse=\$(json_number test_rmse)"
        done
        run=$((run + 1))
    done
    libmf_rmse=$("$libmf/mf-predict" "$test" "$work/libmf.model" "$work/libmf.predictions" |
        sed -n 's/^RMSE = //p')

    row() {
        awk -v name="$1" -v t="$threads" -v r="$2" -v e="$3" -v m="$4" -v rmse="$5" 'BEGIN {
            printf "| %s | %s | %.3f | %.4f | %.1fM | %.0f | %.4f |\n",
                   name, t, r, e, 9 / e, m / 1024, rmse }'
    }
    row "LIBMF (AdaGrad, lr 0.1, l2 0.1)" "$libmf_read" "$libmf_epoch" "$libmf_rss" "$libmf_rmse"
    row "mf, AdaGrad, lr 0.1, λ 0.1" "$adagrad_read" "$adagrad_epoch" "$adagrad_rss" "$adagrad_rmse"
    row "mf, defaults (lr 0.1, −20 %/epoch, λ 0.1)" "$defaults_read" "$defaults_epoch" \
        "$defaults_rss" "$defaults_rmse"
    for config in adagrad defaults; do
        eval "read_=\$${config}_read epoch_=\$${config}_epoch rss_=\$${config}_rss"
        awk -v t="$threads" -v c="$config" -v lr="$libmf_read" -v le="$libmf_epoch" \
            -v mr="$read_" -v me="$epoch_" -v lm="$libmf_rss" -v mm="$rss_" 'BEGIN {
            printf "|  | %s thread(s), mf %s / LIBMF: | read %.2fx as fast | epoch %.2fx as fast | | memory %.2fx | |\n",
                   t, c, lr / mr, le / me, mm / lm }'
    done
    traced "$mf" train "$train" --format libmf -k 32 --epochs 1 --threads "$threads" \
        --schedule adagrad --lr 0.1 --reg 0.1
    awk -v t="$threads" -v m="$(cat "$work/rss")" -v l="$libmf_rss" 'BEGIN {
        printf "|  | %s thread(s), training file alone: | | | | mf %.0f, LIBMF %.0f: %.2fx | |\n",
               t, m / 1024, l / 1024, m / l }'
    eval "libmf_epoch_$threads=$libmf_epoch adagrad_epoch_$threads=$adagrad_epoch"
    eval "defaults_epoch_$threads=$defaults_epoch"
done

if [ -n "${adagrad_epoch_1:-}" ] && [ -n "${adagrad_epoch_2:-}" ]; then
    echo
    awk -v a1="$adagrad_epoch_1" -v a2="$adagrad_epoch_2" -v d1="$defaults_epoch_1" \
        -v d2="$defaults_epoch_2" -v l1="$libmf_epoch_1" -v l2="$libmf_epoch_2" 'BEGIN {
        printf "2 threads over 1: mf AdaGrad %.2fx, mf defaults %.2fx, LIBMF %.2fx\n",
               a1 / a2, d1 / d2, l1 / l2 }'
fi
