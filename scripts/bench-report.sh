#!/usr/bin/env bash
# Times `fulcrum report` (whole process: wall, user + system CPU, peak RSS)
# for two builds on the same workspaces in the same run, alternating
# builds so both see the same machine load, and checks that their JSON
# reports are byte-identical.
#
#   scripts/bench-report.sh OLD_BINARY NEW_BINARY [RUNS] WORKSPACE...
#
# Workspaces are made with `fulcrum demo --out DIR --people N --weeks W`.
# Extra report flags can be given in REPORT_ARGS (e.g. "--jobs 1").
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
        "$bin" ${REPORT_ARGS:-} report "$ws" --format json --out "$out/$which.json"
      read -r wall user sys rss < "$out/time"
      cpu=$(echo "$user + $sys" | bc)
      printf '%-28s %-4s %3s %8s %8s %8s %9s\n' "$(basename "$ws")" "$which" "$run" \
        "$wall" "$cpu" "$user" "$((rss / 1024))"
    done
    cmp -s "$out/old.json" "$out/new.json" || { echo "reports differ on $ws" >&2; exit 1; }
  done
done
echo "reports identical"
