#!/usr/bin/env python3
"""The peer `roadmap status` is measured against: a plain script with
PyYAML's C loader (libyaml) that computes the same per-phase item counts
(done, total, overdue) as of a date. It reads only what those counts need,
so it is a generous peer: no KPIs, alerts, validation or positions.

usage: peer.py DIR YYYY-MM-DD
"""
import calendar
import datetime
import os
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def month_end(start, month):
    m0 = start.month - 1 + month - 1
    y, m = start.year + m0 // 12, m0 % 12 + 1
    return datetime.date(y, m, calendar.monthrange(y, m)[1])


def window(text):
    first, _, last = str(text).partition("-")
    return int(first), int(last or first)


def main(folder, as_of):
    as_of = datetime.date.fromisoformat(as_of)
    with open(os.path.join(folder, "roadmap.yaml"), encoding="utf-8") as f:
        plan = yaml.load(f, Loader=Loader)
    start = plan["start"]
    if isinstance(start, str):
        start = datetime.date.fromisoformat(start)
    tracks = list(plan.get("tracks") or [])
    for name in plan.get("include") or []:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            tracks += yaml.load(f, Loader=Loader).get("tracks") or []
    phases = [(p["id"], *window(p["months"])) for p in plan["phases"]]
    counts = {pid: [0, 0, 0] for pid, _, _ in phases}
    for track in tracks:
        for period in track.get("periods") or []:
            _, last = window(period["months"])
            phase = next((pid for pid, a, b in phases if a <= last <= b), None)
            if phase is None:
                continue
            due = month_end(start, last)
            for item in period.get("items") or []:
                c = counts[phase]
                c[1] += 1
                done = item.get("done")
                if done is not None and str(done) <= as_of.isoformat():
                    c[0] += 1
                elif due < as_of:
                    c[2] += 1
    for pid, _, _ in phases:
        done, total, overdue = counts[pid]
        print(f"{pid}: {done}/{total} done, {overdue} overdue")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
