#!/usr/bin/env bash
# Whole-process benchmarks: each read command against its parse floor
# (examples/parse_floor.rs: process start, read and parse the same files),
# `done`, a 1M-row `ingest`, and the PyYAML peer (bench/peer.py), over three
# inputs: the bundled plan; 10k items with 200 metrics x 1,825 days; 100k
# items with 1,000 metrics x 1,000 days (skipped with --quick).
# `--portfolio` instead runs `portfolio` over 200 copies of the bundled
# plan, and over one.
#
# Needs hyperfine (Debian: apt-get install hyperfine), GNU time
# (/usr/bin/time) for peak memory, and python3 with PyYAML for the peer.
# Prints a Markdown table: input, command, median, peak memory, and the
# ratio to the floor. Run it on an idle machine; say which one with the
# figures.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
portfolio=false
[ "${1:-}" = "--quick" ] && quick=true
[ "${1:-}" = "--portfolio" ] && portfolio=true
for tool in hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool" >&2; exit 2; }
done

cargo build --release --locked --quiet --bin roadmap --example gen --example parse_floor
bin="$PWD/target/release"
roadmap="$bin/roadmap"
floor="$bin/examples/parse_floor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
as_of=2026-08-15
declare -A status_ms

inputs=("bundled:$PWD/roadmap")
if ! $portfolio; then
  "$bin/examples/gen" --items 10000 --metrics 200 --days 1825 "$work/10k" >/dev/null
  inputs+=("10k:$work/10k")
fi
if ! $quick && ! $portfolio; then
  "$bin/examples/gen" --items 100000 --metrics 1000 --days 1000 "$work/100k" >/dev/null
  inputs+=("100k:$work/100k")
fi

# The median of a hyperfine run, in milliseconds.
median_ms() {
  # -i: `check` exits 1 when a gate fails, which is its answer, not an error.
  hyperfine --warmup 2 --runs "${runs:-10}" -N -i --export-json "$work/h.json" "$@" >"$work/h.log" 2>&1 || { cat "$work/h.log" >&2; exit 1; }
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$work/h.json"
}
# CPU time (user + system, mean) of the last hyperfine run, in
# milliseconds: on two cores a command that reads on two threads takes
# more CPU than wall time, and CPU time varies less on a shared machine.
cpu_ms() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % ((r["user"]+r["system"])*1000))' "$work/h.json"
}
# Peak resident memory of one run, in MB.
peak_mb() {
  /usr/bin/time -f %M "$@" >/dev/null 2>"$work/t.log" || true
  tail -1 "$work/t.log" | awk '{printf "%.0f", $1/1024}'
}

# Bytes of every file a command reads: the plan's YAML and its history.
input_mb() {
  { cat "$1"/*.yaml "$1"/tests/*.yaml "$1"/metrics.csv 2>/dev/null || true; } | wc -c | awk '{printf "%.1f", $1/1048576}'
}
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

# The share of CPU time the host took from this virtual machine during
# the run ("steal"): on a shared host, figures from a run with much of it
# are slower throughout.
steal_since() {
  python3 - "$1" <<'PY'
import sys
a = [int(x) for x in sys.argv[1].split()[1:]]
b = [int(x) for x in open("/proc/stat").readline().split()[1:]]
d = [y - x for x, y in zip(a, b)]
print("%.0f%%" % (100 * d[7] / max(1, sum(d[:8]))))
PY
}
stat_start=$(head -1 /proc/stat)
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr); $(date -u +%F)"
echo

# `bench/run.sh --portfolio`: only `portfolio` over 200 copies of the
# bundled plan (target: under 1 s on 2 cores), against one copy, with peak
# memory for both: members load in parallel and are dropped as they are
# summed up, so 200 should need about what one does.
if $portfolio; then
  mkdir -p "$work/p"
  for i in $(seq -w 1 200); do
    mkdir -p "$work/p/team-$i" && cp -r roadmap "$work/p/team-$i/roadmap"
  done
  printf 'members: ["team-*/roadmap"]\n' >"$work/p/portfolio.yaml"
  echo "| input | command | median | CPU | peak memory |"
  echo "|---|---|---|---|---|"
  runs=20
  t=$(median_ms "$roadmap portfolio $work/p/team-001/roadmap --as-of $as_of")
  echo "| 1 bundled plan | portfolio | $t ms | $(cpu_ms) ms | $(peak_mb "$roadmap" portfolio "$work/p/team-001/roadmap" --as-of "$as_of") MB |"
  runs=10
  t=$(median_ms "$roadmap portfolio --config $work/p/portfolio.yaml --as-of $as_of")
  echo "| 200 bundled plans | portfolio | $t ms | $(cpu_ms) ms | $(peak_mb "$roadmap" portfolio --config "$work/p/portfolio.yaml" --as-of "$as_of") MB |"
  echo
  echo "- CPU time stolen by the host during the run: $(steal_since "$stat_start")"
  exit 0
fi

echo "| input | command | median | CPU | peak memory | ratio to floor |"
echo "|---|---|---|---|---|---|"
summary=()
for entry in "${inputs[@]}"; do
  name="${entry%%:*}"; dir="${entry#*:}"
  # Short runs vary most on a shared machine: more of them.
  runs=10
  [ "$name" = bundled ] && runs=40
  [ "$name" = 100k ] && runs=5
  size=$(input_mb "$dir")
  base=$(median_ms "$floor $dir")
  echo "| $name ($size MB) | parse floor | $base ms | $(cpu_ms) ms | $(peak_mb "$floor" "$dir") MB | 1.00 |"
  for cmd in status check kpis items validate; do
    t=$(median_ms "$roadmap --dir $dir $cmd --as-of $as_of")
    cpu=$(cpu_ms)
    mem=$(peak_mb "$roadmap" --dir "$dir" "$cmd" --as-of "$as_of")
    echo "| $name | $cmd | $t ms | $cpu ms | $mem MB | $(ratio "$t" "$base") |"
    if [ "$cmd" = status ]; then
      status_ms[$name]=$t
      summary+=("$name: status peak memory is $(ratio "$mem" "$size")x the input bytes")
    fi
  done
  t=$(median_ms "python3 bench/peer.py $dir $as_of")
  echo "| $name | PyYAML peer (item counts only) | $t ms | $(cpu_ms) ms | – | – |"
  summary+=("$name: status is $(ratio "$t" "${status_ms[$name]}")x faster than the PyYAML peer")
done
if [ -n "${status_ms[100k]:-}" ]; then
  summary+=("scaling 10k -> 100k: status takes $(ratio "${status_ms[100k]}" "${status_ms[10k]}")x as long")
fi

# `done` and `reopen` on 10k items, in turn, on a copy.
cp -r "$work/10k" "$work/edit"
item=$(grep -m1 -o 't0-i[0-9]*' "$work/edit/tracks-0.yaml")
"$roadmap" --dir "$work/edit" reopen "$item" >/dev/null
runs=10
t=$(median_ms --prepare "$roadmap --dir $work/edit reopen $item --as-of $as_of" \
  "$roadmap --dir $work/edit done $item --as-of $as_of")
echo "| 10k | done | $t ms | $(cpu_ms) ms | – | – |"

# Ingest a million rows into a plan without history.
if ! $quick; then
  mkdir -p "$work/ingest"
  cp "$work/100k/metrics.csv" "$work/rows.csv"
  rows=$(($(wc -l <"$work/rows.csv") - 1))
  runs=3
  t=$(median_ms --prepare "sh -c 'rm -rf $work/ingest && cp -r $work/100k $work/ingest && rm $work/ingest/metrics.csv'" \
    "$roadmap --dir $work/ingest ingest $work/rows.csv --as-of 2030-01-01")
  cpu=$(cpu_ms)
  rm -rf "$work/ingest" && cp -r "$work/100k" "$work/ingest" && rm "$work/ingest/metrics.csv"
  mem=$(peak_mb "$roadmap" --dir "$work/ingest" ingest "$work/rows.csv" --as-of 2030-01-01)
  echo "| 100k | ingest of $rows rows | $t ms | $cpu ms | $mem MB | – |"
fi

summary+=("CPU time stolen by the host during the run: $(steal_since "$stat_start")")
echo
printf -- "- %s\n" "${summary[@]}"
