#!/usr/bin/env bash
# Calendar ingest benchmark: `fulcrum ics expand` against Python's
# icalendar + x-wr-timezone + recurring-ical-events, whole process against
# whole process, on generated Google-style exports.
#
#   scripts/bench-ics.sh [EVENTS...]        (default: 2000 20000 100000)
#
# For each size it generates a calendar (crates/fulcrum-ics/examples/
# gen_calendar.rs, seed 1), then runs, with /usr/bin/time -v, stdout to
# /dev/null:
#   fulcrum ics expand FILE --from 2024-01-01 --to 2025-01-01 --format jsonl --include-cancelled
#   python3 scripts/bench_ics_python.py FILE 2024-01-01 2025-01-01
# (--include-cancelled because Python keeps cancelled instances: both print
# the same set) and prints wall time (median of the runs), user+sys CPU,
# peak RSS (max resident set size) and the ratio Python / fulcrum.
# Then it checks the occurrences agree: for sizes up to COMPARE_MAX events it
# runs both once more, untimed, and compares (uid, start, end) of every
# occurrence, listing differences by UID; a second comparison puts back the
# RANGE=THISANDFUTURE parameter that x-wr-timezone drops from UTC
# RECURRENCE-IDs (bench_ics_python.py --restore-range), so that what remains
# are differences between fulcrum and recurring-ical-events themselves. Last, the largest file is expanded
# over 1 month, 1 year and 3 years to show peak RSS against the window.
#
# Environment: RUNS (fulcrum runs per size, 5), PY_RUNS (Python runs, 1),
# REPORT_ONLY=1 (print the tables of the last run in WORK again),
# PY_MAX (largest size Python runs on, 100000), COMPARE_MAX (20000),
# WINDOW_PY=1 (also run Python over the three windows), SEED (1),
# WORK (scratch directory, /tmp/fulcrum-bench-ics).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
PY_RUNS=${PY_RUNS:-1}
PY_MAX=${PY_MAX:-100000}
COMPARE_MAX=${COMPARE_MAX:-20000}
WINDOW_PY=${WINDOW_PY:-0}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/fulcrum-bench-ics}
FROM=2024-01-01
TO=2025-01-01
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(2000 20000 100000)

mkdir -p "$WORK"
echo "building (release)..." >&2
cargo build --release -q -p fulcrum
cargo build --release -q -p fulcrum-ics --example gen_calendar
FULCRUM="$ROOT/target/release/fulcrum"
GEN="$ROOT/target/release/examples/gen_calendar"
PY="python3 $ROOT/scripts/bench_ics_python.py"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "versions: $($FULCRUM --version 2>/dev/null || echo fulcrum), $(python3 --version), $(python3 -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("icalendar", "recurring-ical-events", "x-wr-timezone")))')"
echo

# measure OUT CMD...: runs CMD under /usr/bin/time -v with stdout to
# $STDOUT (/dev/null unless set); appends "wall cpu rss_kb" to OUT.
measure() {
    local out=$1
    shift
    local tv="$WORK/time.txt"
    /usr/bin/time -v -o "$tv" "$@" >"${STDOUT:-/dev/null}"
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
        END { printf "%.3f %.3f %d\n", w, u + s, r }' "$tv" >>"$out"
}

# summarize FILE of "wall cpu rss" lines -> "median_wall median_cpu max_rss"
summarize() {
    local m w c r
    m=$((($(wc -l <"$1") + 1) / 2))
    w=$(cut -d' ' -f1 "$1" | sort -g | sed -n "${m}p")
    c=$(cut -d' ' -f2 "$1" | sort -g | sed -n "${m}p")
    r=$(cut -d' ' -f3 "$1" | sort -g | tail -1)
    echo "$w $c $r"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", a / b; else printf "-" }'; }

fmt_mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

# The whole run is one function, read before it starts: editing this file
# while it runs cannot derail it.
main() {
    RESULTS="$WORK/results.txt"
    [ "${REPORT_ONLY:-0}" = 1 ] || measure_sizes
    report
}

# Times both sides on each size and compares their occurrences.
measure_sizes() {
    : >"$RESULTS"
    for n in "${SIZES[@]}"; do
        f="$WORK/cal-$n.ics"
        "$GEN" --events "$n" --seed "$SEED" --out "$f" 2>"$WORK/gen-$n.txt"
        mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
        occ=$("$FULCRUM" ics expand "$f" --from $FROM --to $TO --format jsonl --include-cancelled | wc -l)
        echo "== $n events, $mb MB, $occ occurrences in [$FROM, $TO)" >&2

        : >"$WORK/f-$n.txt"
        for _ in $(seq "$RUNS"); do
            measure "$WORK/f-$n.txt" "$FULCRUM" ics expand "$f" --from $FROM --to $TO --format jsonl --include-cancelled
        done
        read -r fw fc fr <<<"$(summarize "$WORK/f-$n.txt")"
        echo "   fulcrum: ${fw} s wall, ${fc} s cpu, $(fmt_mb "$fr")" >&2

        pw=- pc=- pr=0 pocc=-
        if [ "$n" -le "$PY_MAX" ]; then
            : >"$WORK/p-$n.txt"
            for _ in $(seq "$PY_RUNS"); do
                # Python's stdout is its count only; its JSON lines go to /dev/null.
                STDOUT="$WORK/python-count.txt" measure "$WORK/p-$n.txt" $PY "$f" $FROM $TO
            done
            read -r pw pc pr <<<"$(summarize "$WORK/p-$n.txt")"
            pocc=$(tail -1 "$WORK/python-count.txt")
            echo "   python:  ${pw} s wall, ${pc} s cpu, $(fmt_mb "$pr")" >&2
        fi

        if [ "$n" -le "$COMPARE_MAX" ] && [ "$n" -le "$PY_MAX" ]; then
            "$FULCRUM" ics expand "$f" --from $FROM --to $TO --format jsonl --include-cancelled >"$WORK/fulcrum-$n.jsonl"
            $PY "$f" $FROM $TO --compare "$WORK/fulcrum-$n.jsonl" >"$WORK/compare-$n.txt" || true
            $PY "$f" $FROM $TO --restore-range --compare "$WORK/fulcrum-$n.jsonl" >"$WORK/compare-range-$n.txt" || true
            sed -n '3p' "$WORK/compare-$n.txt" | sed 's/^/   stock python: /' >&2
            sed -n '3p' "$WORK/compare-range-$n.txt" | sed 's/^/   python with RANGE restored: /' >&2
        fi
        echo "$n $mb $occ $pocc $fw $fc $fr $pw $pc $pr" >>"$RESULTS"
    done
}

# Prints the tables (and measures peak RSS against the window).
report() {

    echo "### Parse + expand over one year ($FROM to $TO), whole process"
    echo
    echo "| events | file | occurrences (fulcrum / python) | fulcrum wall | fulcrum CPU | fulcrum peak RSS | python wall | python CPU | python peak RSS | ratio wall | ratio CPU | ratio RSS |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    while read -r n mb occ pocc fw fc fr pw pc pr; do
        if [ "$pw" = - ]; then
            printf "| %s | %s MB | %s / - | %s s | %s s | %s | - | - | - | - | - | - |\n" "$n" "$mb" "$occ" "$fw" "$fc" "$(fmt_mb "$fr")"
        else
            printf "| %s | %s MB | %s / %s | %s s | %s s | %s | %s s | %s s | %s | **%sx** | **%sx** | %sx |\n" \
                "$n" "$mb" "$occ" "$pocc" "$fw" "$fc" "$(fmt_mb "$fr")" "$pw" "$pc" "$(fmt_mb "$pr")" \
                "$(ratio "$pw" "$fw")" "$(ratio "$pc" "$fc")" "$(ratio "$pr" "$fr")"
        fi
    done <"$RESULTS"
    echo

    for n in "${SIZES[@]}"; do
        for kind in "" range; do
            c="$WORK/compare${kind:+-$kind}-$n.txt"
            [ -f "$c" ] || continue
            if [ -z "$kind" ]; then
                echo "### Occurrences compared, $n events: fulcrum against stock Python"
            else
                echo "### Occurrences compared, $n events: fulcrum against Python with RANGE=THISANDFUTURE restored"
            fi
            echo
            echo '```'
            sed -n '2,61p' "$c"
            [ "$(wc -l <"$c")" -le 61 ] || echo "... ($(($(wc -l <"$c") - 61)) more lines in $c)"
            echo '```'
            echo
        done
    done

    big=${SIZES[${#SIZES[@]} - 1]}
    f="$WORK/cal-$big.ics"
    echo "### Peak RSS against the window, $big events ($(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.0f", b / 1e6 }') MB)"
    echo
    echo "| window | occurrences | fulcrum wall | fulcrum peak RSS | python wall | python peak RSS |"
    echo "|---|---:|---:|---:|---:|---:|"
    for w in "1 month:2024-03-01:2024-04-01" "1 year:2024-01-01:2025-01-01" "3 years:2023-01-01:2026-01-01"; do
        IFS=: read -r label from to <<<"$w"
        occ=$("$FULCRUM" ics expand "$f" --from "$from" --to "$to" --format jsonl --include-cancelled | wc -l)
        : >"$WORK/w.txt"
        for _ in 1 2 3; do
            measure "$WORK/w.txt" "$FULCRUM" ics expand "$f" --from "$from" --to "$to" --format jsonl --include-cancelled
        done
        read -r fw _ fr <<<"$(summarize "$WORK/w.txt")"
        pw=- prs=-
        if [ "$WINDOW_PY" = 1 ]; then
            : >"$WORK/wp.txt"
            measure "$WORK/wp.txt" $PY "$f" "$from" "$to"
            read -r pw _ pr <<<"$(summarize "$WORK/wp.txt")"
            pw="$pw s"
            prs=$(fmt_mb "$pr")
        fi
        printf "| %s (%s to %s) | %s | %s s | %s | %s | %s |\n" "$label" "$from" "$to" "$occ" "$fw" "$(fmt_mb "$fr")" "$pw" "$prs"
    done
}

main
