#!/usr/bin/env bash
# Calibration of `fulcrum experiment` against the demo's answer key: writes
# N demo workspaces (seeds FIRST..FIRST+N-1), runs `fulcrum experiment show
# ID --format json` on each planted experiment (truth.json's
# `experiments`) as of the day after the data, and compares:
#
# - coverage: how often the 90% interval of each primary and guardrail
#   holds the true effect on the treated (truth.json's `true_effect`:
#   the treated team's weeks generated with and without the change);
# - the null experiment (`kind: null`): how often it is called `worked`
#   or `harmful` (target: at most 10%);
# - the planted effect (`known_effect`) and harm (`harms_guardrail`): how
#   often their expected verdicts come out.
#
#   scripts/experiment-calibration.sh [FULCRUM] [N] [PEOPLE] [WEEKS] [FIRST] [DIFFICULTY]
#
# Defaults: target/release/fulcrum, 40 seeds, 60 people (the fewest that
# hold every archetype), 13 weeks, first seed 1, easy. Workspaces are
# written to a temporary folder, one at a time, and removed (KEEP=1 keeps
# them and prints where). Exits 1 when coverage of the primaries is outside
# 85-95% or the null's false-verdict rate is above 10% (CHECK=0: report only).
set -euo pipefail
bin=${1:-target/release/fulcrum}
n=${2:-40}
people=${3:-60}
weeks=${4:-13}
first=${5:-1}
difficulty=${6:-easy}
bin=$(realpath "$bin")
work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then
  echo "workspaces in $work"
else
  trap 'rm -rf "$work"' EXIT
fi
for seed in $(seq "$first" $((first + n - 1))); do
  dir="$work/seed-$seed"
  "$bin" demo --out "$dir" --people "$people" --weeks "$weeks" --seed "$seed" \
    --difficulty "$difficulty" > /dev/null
  as_of=$(jq -r .end_exclusive "$dir/truth.json")
  for id in $(jq -r '.experiments[].id' "$dir/truth.json"); do
    "$bin" experiment show "$id" "$dir" --format json --as-of "$as_of" \
      > "$dir/$id.json" 2> "$dir/$id.err" || true
  done
  if [ "${KEEP:-0}" != 1 ]; then
    find "$dir" -mindepth 1 -maxdepth 1 ! -name truth.json ! -name '*.json' \
      ! -name '*.err' -exec rm -rf {} +
  fi
done
python3 - "$work" "${CHECK:-1}" <<'EOF'
import json, os, sys

work, check = sys.argv[1], sys.argv[2] == "1"
cover = {}      # (kind, role, signal) -> [covered, total]
verdicts = {}   # kind -> {verdict: count}
misses = []
errors = []
seeds = sorted(os.listdir(work), key=lambda s: int(s.split("-")[1]))
for name in seeds:
    seed = name.split("-")[1]
    d = os.path.join(work, name)
    truth = json.load(open(os.path.join(d, "truth.json")))
    for e in truth["experiments"]:
        path = os.path.join(d, e["id"] + ".json")
        try:
            got = json.load(open(path))
        except (OSError, ValueError):
            err = open(os.path.join(d, e["id"] + ".err")).read().strip()
            errors.append(f"seed {seed:>3} {e['id']}: {err[:200]}")
            continue
        verdicts.setdefault(e["kind"], {}).setdefault(got["verdict"], 0)
        verdicts[e["kind"]][got["verdict"]] += 1
        for r in got["results"]:
            true = e["true_effect"].get(r["signal"])
            if true is None or r["low"] is None or r["role"] == "secondary":
                continue
            key = (e["kind"], r["role"], r["signal"])
            c = cover.setdefault(key, [0, 0])
            c[1] += 1
            if r["low"] <= true <= r["high"]:
                c[0] += 1
            else:
                misses.append(
                    f"seed {seed:>3} {e['id']:<24} {r['signal']:<26} true {true:8.3f} "
                    f"estimate {r['effect']:8.3f} interval [{r['low']:.3f}, {r['high']:.3f}]")

def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "  n/a"

print(f"{len(seeds)} demos; 90% intervals holding the true effect on the treated:")
primary = [0, 0]
allc = [0, 0]
for (kind, role, signal), (c, t) in sorted(cover.items()):
    print(f"  {kind:<16} {role:<9} {signal:<26} {c:>3}/{t:<3} {pct(c, t)}")
    allc[0] += c; allc[1] += t
    if role == "primary":
        primary[0] += c; primary[1] += t
print(f"  primaries: {primary[0]}/{primary[1]} {pct(*primary)}; all: {allc[0]}/{allc[1]} {pct(*allc)}")
print("verdicts:")
for kind, v in sorted(verdicts.items()):
    print(f"  {kind:<16} " + ", ".join(f"{k}: {n}" for k, n in sorted(v.items())))
null = verdicts.get("null", {})
null_n = sum(null.values())
false = null.get("worked", 0) + null.get("harmful", 0)
print(f"null experiment called worked or harmful: {false}/{null_n} {pct(false, null_n)}")
if misses:
    print("intervals missing the true effect:")
    for m in misses:
        print("  " + m)
for e in errors:
    print("error: " + e)
ok = (primary[1] > 0 and 0.85 <= primary[0] / primary[1] <= 0.95
      and null_n > 0 and false / null_n <= 0.10 and not errors)
if check and not ok:
    print("FAIL: coverage of the primaries outside 85-95%, the null's false verdicts above 10%, or errors")
    sys.exit(1)
EOF
