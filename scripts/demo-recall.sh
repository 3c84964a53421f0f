#!/usr/bin/env bash
# Recall and precision of `fulcrum report` against the demo's answer key:
# writes N demo workspaces of one preset (seeds FIRST..FIRST+N-1), runs
# `fulcrum report --format json` on each, and compares the findings per
# team with truth.json: `expected_findings` must fire (a miss otherwise),
# `expected_silent` must not (a false alarm otherwise). Prints every miss
# and false alarm with the finding's window value and threshold, the
# values of the near misses planted just under a threshold, and the totals.
#
#   scripts/demo-recall.sh [FULCRUM] [N] [DIFFICULTY] [PEOPLE] [WEEKS] [FIRST]
#
# Defaults: target/release/fulcrum, 20 seeds, realistic, 60 people, 13
# weeks, first seed 1. Workspaces are written to a temporary folder that is
# removed at the end (KEEP=1 keeps it and prints where).
set -euo pipefail
bin=${1:-target/release/fulcrum}
n=${2:-20}
difficulty=${3:-realistic}
people=${4:-60}
weeks=${5:-13}
first=${6:-1}
bin=$(realpath "$bin")
work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then
  echo "workspaces in $work"
else
  trap 'rm -rf "$work"' EXIT
fi
export FULCRUM_REPORT_KEY=000102030405060708090a0b0c0d0e0f
for seed in $(seq "$first" $((first + n - 1))); do
  dir="$work/seed-$seed"
  "$bin" demo --out "$dir" --people "$people" --weeks "$weeks" --seed "$seed" \
    --difficulty "$difficulty" > /dev/null
  "$bin" report "$dir" --format json --out "$dir/report.json" 2> /dev/null || true
  # Keep only what the comparison reads: the key and the report.
  find "$dir" -mindepth 1 -maxdepth 1 ! -name truth.json ! -name report.json \
    -exec rm -rf {} +
done
python3 - "$work" <<'EOF'
import json, os, sys

work = sys.argv[1]
tp = fn = fp = tn = 0
misses, alarms, near = [], [], []
by_finding = {}
for name in sorted(os.listdir(work), key=lambda s: int(s.split("-")[1])):
    seed = name.split("-")[1]
    truth = json.load(open(os.path.join(work, name, "truth.json")))
    report = json.load(open(os.path.join(work, name, "report.json")))
    fired = {}
    for f in report["findings"]:
        fired.setdefault(f["team"], {})[f["id"]] = f
    trends = {t["team"]: {x["signal"]: x["value"] for x in t["trends"]} for t in report["teams"]}
    for team in truth["teams"]:
        slug = team["team"]
        got = fired.get(slug, {})
        where = f"seed {seed:>3} {slug:<14} {team['pattern']:<34}"
        for f in team["expected_findings"]:
            stats = by_finding.setdefault(f, [0, 0, 0])
            if f in got:
                tp += 1
                stats[0] += 1
            else:
                fn += 1
                stats[1] += 1
                misses.append(f"{where} missed {f}")
        for f in team["expected_silent"]:
            if f in got:
                fp += 1
                by_finding.setdefault(f, [0, 0, 0])[2] += 1
                checks = "; ".join(
                    f"{c['signal']} {c['value']} {c['op']} {c['threshold']} in {c['weeks_past']}/{c['weeks_with_data']} weeks"
                    for c in got[f]["evidence"]["checks"] if c["fired"])
                alarms.append(f"{where} false alarm {f}: {checks}")
            else:
                tn += 1
        for m in team.get("near_misses", []):
            v = trends.get(slug, {}).get(m["signal"])
            near.append(f"{where} {m['finding']:<18} {m['signal']} {v} (threshold {m['threshold']})"
                        + (" FIRED" if m["finding"] in got else ""))
recall = tp / (tp + fn) if tp + fn else float("nan")
precision = tp / (tp + fp) if tp + fp else float("nan")
print("misses (expected to fire, did not):")
print("\n".join("  " + m for m in misses) or "  none")
print("false alarms (expected silent, fired):")
print("\n".join("  " + a for a in alarms) or "  none")
print("near misses planted just under a threshold (window value):")
print("\n".join("  " + x for x in near) or "  none")
print("per finding: found / missed / false alarms")
for f in sorted(by_finding):
    s = by_finding[f]
    print(f"  {f:<32} {s[0]:>4} {s[1]:>4} {s[2]:>4}")
print(f"expected to fire: {tp + fn}, found {tp}; expected silent: {fp + tn}, fired {fp}")
print(f"recall {recall:.3f}  precision {precision:.3f}")
EOF
