#!/usr/bin/env bash
# Times `fulcrum report` (whole process: wall, user + system CPU, peak RSS)
# for two builds on the same workspaces in the same run, alternating
# builds so both see the same machine load, and checks that their JSON
# reports are byte-identical (or, across a schema version, equal but for
# the version and the form of the problems).
#
#   scripts/bench-report.sh OLD_BINARY NEW_BINARY [RUNS] WORKSPACE...
#
# Workspaces are made with `fulcrum demo --out DIR --people N --weeks W`.
# Extra report flags can be given in REPORT_ARGS (e.g. "--jobs 1").
# SKIP_COMPARE=1 times builds whose reports differ on purpose (a signal
# definition changed in between) without comparing them.
set -euo pipefail
old=$1 new=$2 runs=${3:-3}
shift 3
export FULCRUM_REPORT_KEY=000102030405060708090a0b0c0d0e0f
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-28s %-4s %3s %8s %8s %8s %9s\n' workspace bin run wall_s cpu_s user_s rss_MB
for ws in "$@"; do
  for run in $(seq 1 "$runs"); do
    for which in old new; do
      bin=$old
      [ "$which" = new ] && bin=$new
      # shellcheck disable=SC2086
      /usr/bin/time -f '%e %U %S %M' -o "$out/time" \
        "$bin" ${REPORT_ARGS:-} report "$ws" --format json --out "$out/$which.json" 2>/dev/null
      read -r wall user sys rss < "$out/time"
      cpu=$(echo "$user + $sys" | bc)
      printf '%-28s %-4s %3s %8s %8s %8s %9s\n' "$(basename "$ws")" "$which" "$run" \
        "$wall" "$cpu" "$user" "$((rss / 1024))"
    done
    if [ -z "${SKIP_COMPARE:-}" ] && ! cmp -s "$out/old.json" "$out/new.json"; then
      # Across a schema version the bytes differ; everything else must not.
      python3 - "$out/old.json" "$out/new.json" <<'PY' || { echo "reports differ on $ws" >&2; exit 1; }
import json, sys
old, new = (json.load(open(p)) for p in sys.argv[1:3])
if old.get("version") == new.get("version"):
    sys.exit(1)
for doc in (old, new):
    doc.pop("version")
    # Schema 2 writes each problem as an object; compare how many there are.
    doc["problems"] = len(doc["problems"])
sys.exit(0 if old == new else 1)
PY
    fi
  done
done
if [ -z "${SKIP_COMPARE:-}" ]; then echo "reports identical"; fi
