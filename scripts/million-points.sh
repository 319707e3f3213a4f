#!/usr/bin/env bash
# Time `roadmap status` on the bundled roadmap with a metric history of one
# million points (29 MB of CSV), as reported in the README. Needs a release
# build: cargo build --release
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r roadmap "$work/roadmap"
# Plain POSIX awk: one day after another from 2026-01-01, eight metrics a
# day, until a million rows. Values stay inside each metric's range (churn
# is a percentage, NPS runs from -100 to 100).
awk 'BEGIN {
  split("revenue cac leads active_users churn_rate nps_score beta_users customers", m, " ")
  split("31 28 31 30 31 30 31 31 30 31 30 31", days, " ")
  print "date,metric,value,source,note"
  srand(1); n = 0; y = 2026; mo = 1; d = 1
  while (n < 1000000) {
    date = sprintf("%04d-%02d-%02d", y, mo, d)
    for (i = 1; i <= 8; i++) {
      top = (m[i] == "churn_rate" || m[i] == "nps_score") ? 90 : 990
      printf "%s,%s,%.2f,,\n", date, m[i], 10 + rand() * top; n++
    }
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    if (++d > days[mo] + (mo == 2 && leap)) { d = 1; if (++mo > 12) { mo = 1; y++ } }
  }
}' > "$work/roadmap/metrics.csv"
ls -l "$work/roadmap/metrics.csv"
for i in 1 2 3; do
  /usr/bin/time -f "%e s, %M KB max RSS" ./target/release/roadmap --dir "$work/roadmap" status --as-of 2026-08-15 > /dev/null
done
