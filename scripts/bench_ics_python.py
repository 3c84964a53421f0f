#!/usr/bin/env python3
"""Python baseline for the calendar ingest benchmark (scripts/bench-ics.sh).

    python3 scripts/bench_ics_python.py FILE FROM TO [--jsonl OUT] [--restore-range] [--compare OURS.jsonl]

Does what `fulcrum ics expand FILE --from FROM --to TO --format jsonl` does,
with the reference Python stack (scripts/requirements-test.txt):
icalendar.Calendar.from_ical, x_wr_timezone.to_standard, then
recurring_ical_events.of(cal).between(FROM, TO). FROM and TO are dates
(YYYY-MM-DD), read in each event's own zone as fulcrum reads them.

Every occurrence is formatted as a JSON line (uid, recurrence_id, start,
end, summary, status), as fulcrum prints it, so both sides do comparable
work; the lines go to OUT (default: discarded). The count is printed.

--restore-range puts back the RANGE=THISANDFUTURE parameter that
x_wr_timezone.to_standard (2.0.1) drops from RECURRENCE-IDs written in UTC,
so that recurring-ical-events sees those edits (off for timing runs: the
stock pipeline is measured).

--compare OURS.jsonl compares the occurrences with fulcrum's JSON lines
(run fulcrum with --include-cancelled: Python keeps cancelled instances) by
(uid, start, end) and prints every difference grouped by UID. Exit code 0
when they agree, 1 when they do not.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import re
import sys

import icalendar
import recurring_ical_events
import x_wr_timezone


def iso(value) -> str | None:
    """The value as fulcrum prints it: RFC 3339, a date, or naive."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value.isoformat()


def occurrence_record(ev) -> dict:
    """One occurrence as fulcrum's JSON line."""
    start = ev.get("DTSTART").dt
    end_prop = ev.get("DTEND")
    end = end_prop.dt if end_prop is not None else None
    if end is None:
        duration = ev.get("DURATION")
        if duration is not None:
            end = start + duration.dt
        elif isinstance(start, dt.datetime):
            end = start
        else:
            end = start + dt.timedelta(days=1)
    rid = ev.get("RECURRENCE-ID")
    return {
        "uid": str(ev.get("UID")),
        "recurrence_id": iso(rid.dt) if rid is not None else None,
        "start": iso(start),
        "end": iso(end),
        "summary": str(ev.get("SUMMARY", "")),
        "status": str(ev.get("STATUS", "CONFIRMED")),
    }


def expand(path: str, start: dt.date, stop: dt.date, restore_range: bool = False) -> list[dict]:
    with open(path, "rb") as f:
        data = f.read()
    cal = icalendar.Calendar.from_ical(data)
    if restore_range:
        ranges = [
            ev["RECURRENCE-ID"].params.get("RANGE") if "RECURRENCE-ID" in ev else None
            for ev in cal.walk("VEVENT")
        ]
    cal = x_wr_timezone.to_standard(cal)
    if restore_range:
        # x-wr-timezone 2.0.1 rewrites a UTC RECURRENCE-ID without its
        # RANGE=THISANDFUTURE parameter; put it back.
        for ev, rng in zip(cal.walk("VEVENT"), ranges, strict=True):
            if rng is not None and "RANGE" not in ev["RECURRENCE-ID"].params:
                ev["RECURRENCE-ID"].params["RANGE"] = rng
    events = recurring_ical_events.of(cal).between(start, stop)
    return [occurrence_record(ev) for ev in events]


def raw_components(path: str, uids: set[str]) -> dict[str, list[list[str]]]:
    """The time lines of the VEVENTs of some UIDs, as written in the file."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    text = re.sub(r"\r?\n[ \t]", "", text)
    out: dict[str, list[list[str]]] = collections.defaultdict(list)
    for block in re.findall(r"BEGIN:VEVENT\r?\n(.*?)END:VEVENT", text, re.S):
        lines = block.splitlines()
        uid = next((line[4:] for line in lines if line.startswith("UID:")), None)
        if uid in uids:
            keep = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS")
            out[uid].append([line for line in lines if line.startswith(keep)])
    return out


def compare(ics_path: str, ours_path: str, theirs: list[dict], shown: int = 6) -> int:
    with open(ours_path, encoding="utf-8") as f:
        ours = [json.loads(line) for line in f if line.strip()]

    def key(r):
        return (r["uid"], r["start"], r["end"])

    a = collections.Counter(key(r) for r in ours)
    b = collections.Counter(key(r) for r in theirs)
    only_ours = a - b
    only_theirs = b - a
    by_uid: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)
    for (uid, s, e), n in only_ours.items():
        by_uid[uid].extend([("fulcrum", s, e)] * n)
    for (uid, s, e), n in only_theirs.items():
        by_uid[uid].extend([("python", s, e)] * n)
    print(f"fulcrum: {len(ours)} occurrences, python: {len(theirs)} occurrences")
    print(
        f"only in fulcrum: {sum(only_ours.values())}, only in python: {sum(only_theirs.values())}, "
        f"in {len(by_uid)} UID(s)"
    )
    raw = raw_components(ics_path, set(by_uid))
    for uid in sorted(by_uid):
        diffs = sorted(by_uid[uid], key=lambda x: (x[1], x[0]))
        n_ours = sum(1 for d in diffs if d[0] == "fulcrum")
        print(f"UID {uid}: {n_ours} only in fulcrum, {len(diffs) - n_ours} only in python")
        for comp in raw.get(uid, []):
            print("  component: " + " | ".join(comp))
        for who, s, e in diffs[:shown]:
            print(f"  only {who:7}  {s} -> {e}")
        if len(diffs) > shown:
            print(f"  ... {len(diffs) - shown} more")
    return 0 if not by_uid else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("start", type=dt.date.fromisoformat)
    ap.add_argument("stop", type=dt.date.fromisoformat)
    ap.add_argument("--jsonl", help="write the JSON lines here (default: discard)")
    ap.add_argument("--compare", metavar="OURS_JSONL", help="compare with fulcrum's JSON lines")
    ap.add_argument(
        "--restore-range",
        action="store_true",
        help="work around x-wr-timezone dropping RANGE=THISANDFUTURE from UTC RECURRENCE-IDs",
    )
    args = ap.parse_args()

    records = expand(args.file, args.start, args.stop, args.restore_range)
    with open(args.jsonl or os.devnull, "w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False))
            out.write("\n")
    print(len(records))
    if args.compare:
        return compare(args.file, args.compare, records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
