"""Reference expansion with Python's icalendar + recurring-ical-events.

For each file, prints `== FILE`, then one line per occurrence,
`uid start end`, where start/end are UTC instants (`2024-01-02T09:00:00Z`)
for zoned values, `YYYY-MM-DD` for dates and naive `YYYY-MM-DDTHH:MM:SS`
for floating times; or `!! error` when the reference cannot read the file.
Used by the cross-check test as an independent implementation.

usage: reference_expand.py FROM TO FILE...
"""
import datetime as dt
import multiprocessing
import sys

import icalendar
import recurring_ical_events
import x_wr_timezone


def first(v):
    return v[0] if isinstance(v, list) else v


def fmt(v):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            return v.strftime("%Y-%m-%dT%H:%M:%S")
        return v.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v.strftime("%Y-%m-%d")


def expand(path, a, b):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    cal = x_wr_timezone.to_standard(cal)
    lines = []
    for ev in recurring_ical_events.of(cal).between(a, b):
        s = first(ev.get("DTSTART")).dt
        if ev.get("DTEND") is not None:
            e = first(ev.get("DTEND")).dt
        elif ev.get("DURATION") is not None:
            e = s + first(ev.get("DURATION")).dt
        else:
            e = s
        lines.append(f"{ev.get('UID')} {fmt(s)} {fmt(e)}")
    return sorted(lines)


def one(args):
    path, a, b = args
    try:
        return [f"== {path}"] + expand(path, a, b)
    except Exception as e:  # noqa: BLE001 - any failure means "cannot read"
        return [f"== {path}", f"!! {type(e).__name__}: {e}".replace("\n", " ")]


def main():
    a = dt.date.fromisoformat(sys.argv[1])
    b = dt.date.fromisoformat(sys.argv[2])
    # icalendar caches VTIMEZONE definitions per process by TZID, so one
    # file's zone would leak into the next: each file gets a fresh process.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2, maxtasksperchild=1) as pool:
        for lines in pool.imap(one, [(p, a, b) for p in sys.argv[3:]]):
            print("\n".join(lines))


main()
