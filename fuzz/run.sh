#!/bin/sh
# Run one fuzz target for a while: ./fuzz/run.sh TARGET [SECONDS] [extra
# libFuzzer flags]. New inputs go to fuzz/generated/TARGET (not kept in
# git); the hand-written seeds in fuzz/corpus/TARGET are only read.
# RUSTC_BOOTSTRAP=1 lets the stable toolchain take the -Z sanitizer flags
# cargo-fuzz passes; -a keeps overflow checks on, so an overflow is a crash.
set -eu
target=$1
seconds=${2:-600}
[ $# -ge 2 ] && shift 2 || shift $#
cd "$(dirname "$0")/.."
mkdir -p "fuzz/generated/$target"
RUSTC_BOOTSTRAP=1 exec cargo fuzz run -a "$target" \
    "fuzz/generated/$target" "fuzz/corpus/$target" -- \
    -dict="fuzz/dict/$target.dict" -max_total_time="$seconds" "$@"
