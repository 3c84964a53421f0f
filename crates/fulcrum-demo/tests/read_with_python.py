"""Reads the demo's calendars with Python's icalendar (plus x-wr-timezone and
recurring-ical-events, the reference stack of scripts/requirements-test.txt)
as an independent check that the files are valid for third-party readers.

usage: read_with_python.py FROM TO FILE...

For each file prints `== FILE VEVENTS`, then one line per occurrence in
[FROM, TO): `uid start end`, instants in UTC (`2026-09-01T07:00:00Z`) and
dates as `YYYY-MM-DD`. Any file icalendar cannot read makes the script
exit with status 1.
"""
import datetime as dt
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


def main():
    a = dt.date.fromisoformat(sys.argv[1])
    b = dt.date.fromisoformat(sys.argv[2])
    for path in sys.argv[3:]:
        with open(path, "rb") as f:
            cal = icalendar.Calendar.from_ical(f.read())
        events = len(cal.walk("VEVENT"))
        cal = x_wr_timezone.to_standard(cal)
        lines = []
        for ev in recurring_ical_events.of(cal).between(a, b):
            s = first(ev.get("DTSTART")).dt
            e = first(ev.get("DTEND")).dt if ev.get("DTEND") is not None else s
            lines.append(f"{ev.get('UID')} {fmt(s)} {fmt(e)}")
        print(f"== {path} {events}")
        for line in sorted(lines):
            print(line)


if __name__ == "__main__":
    main()
