#!/bin/sh
# Builds mf on Debian or Ubuntu and runs its MovieLens 100k example or its tests,
# first installing any missing build dependency with apt-get (through sudo
# when not run as root).
#
#   cmake/quickstart.sh example [OPTIONS...]   the example; OPTIONS go to the program
#   cmake/quickstart.sh test                   every test, through CTest
#
# The build goes to build/ (or $MF_BUILD_DIR) in Release mode. The MovieLens
# tests and the example read the data from $MF_DATA_DIR when it is set.
set -eu

usage() {
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit "$1"
}

[ $# -ge 1 ] || usage 2
mode=$1
shift
case $mode in
    example | test) ;;
    -h | --help) usage 0 ;;
    *) echo "quickstart.sh: unknown mode '$mode'; expected 'example' or 'test'" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=${MF_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

packages="cmake make g++ xtensor-dev xtl-dev libxsimd-dev zlib1g-dev"
# The packaging tests compile a consumer with the flags of pkg-config.
[ "$mode" = test ] && packages="$packages doctest-dev pkg-config"

missing=""
for package in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $package"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "quickstart.sh: missing packages:$missing; install them as root (sudo is not available)" >&2
        exit 1
    fi
    echo "quickstart.sh: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    # A machine whose package lists are stale or absent needs an update first.
    # shellcheck disable=SC2086
    $sudo apt-get install -y --no-install-recommends $missing ||
        { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends $missing; }
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
if [ "$mode" = example ]; then
    cmake --build "$build" --parallel "$jobs" --target movielens_100k
    exec "$build/examples/movielens_100k" "$@"
else
    cmake --build "$build" --parallel "$jobs"
    cd "$build"
    exec ctest --output-on-failure --parallel "$jobs"
fi
