#!/bin/sh
# Builds the libFuzzer targets of fuzz/ with Clang, writes the seed corpus that
# the tests hold, and runs each target on a copy of it for a while, as many at
# once as there are cores. Fails when any target finds a crash, a sanitizer
# report, a broken invariant, a hang (10 s) or a run past 2 GiB.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [BUILD_DIR]
#
# SECONDS_PER_TARGET defaults to 60 and BUILD_DIR to build-fuzz; the compiler
# is $CXX when it is a Clang, else clang++. Each target's log, corpus and
# findings (crash-*, timeout-*, oom-*) go to BUILD_DIR/fuzz-out/TARGET/.
set -eu

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit "$1"
}

case ${1:-} in
    -h | --help) usage 0 ;;
esac
[ $# -le 2 ] || usage 2
seconds=${1:-60}
case $seconds in
    '' | *[!0-9]*) echo "run.sh: SECONDS_PER_TARGET must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)

case ${CXX:-} in
    *clang++*) ;;
    *) CXX=clang++ ;;
esac
export CXX

targets="fuzz_movielens fuzz_movielens_dat fuzz_movielens_csv fuzz_libmf fuzz_delimited
         fuzz_automatic fuzz_titles fuzz_model fuzz_libmf_model"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMF_BUILD_FUZZERS=ON \
    -DMF_BUILD_TESTS=ON -DMF_BUILD_EXAMPLES=OFF -DMF_DOWNLOAD_MOVIELENS=OFF -DMF_INSTALL=OFF
# shellcheck disable=SC2086
cmake --build "$build" --parallel "$jobs" --target mf_fuzz_seeds $targets

seeds=$build/fuzz-seeds
out=$build/fuzz-out
rm -rf "$seeds" "$out"
MF_FUZZ_CORPUS_DIR=$seeds "$build/tests/mf_fuzz_seeds"

run_target() {
    work=$out/$1
    mkdir -p "$work/corpus"
    cp "$seeds/$1"/* "$work/corpus/"
    status=0
    (cd "$work" && "$build/fuzz/$1" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/" corpus >log 2>&1) || status=$?
    echo "$status" >"$work/status"
}

# In batches of one target per core.
set -- $targets
while [ $# -gt 0 ]; do
    batch=0
    while [ $# -gt 0 ] && [ "$batch" -lt "$jobs" ]; do
        run_target "$1" &
        shift
        batch=$((batch + 1))
    done
    wait
done

failed=""
for target in $targets; do
    work=$out/$target
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
    status=$(cat "$work/status")
    printf 'fuzz: %-20s %10s executions in %s s\n' "$target" "${executions:-?}" "$seconds"
    findings=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
        -o -name 'leak-*' \) -print)
    if [ "$status" -ne 0 ] || [ -n "$findings" ]; then
        failed="$failed $target"
        echo "fuzz: $target failed (exit status $status); the end of $work/log:"
        tail -n 40 "$work/log"
        [ -z "$findings" ] || echo "fuzz: reproduce with $build/fuzz/$target $findings"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed" >&2
    exit 1
fi
