#!/usr/bin/env bash
# Load test of `fulcrum serve` on both store backends (SQLite file,
# PostgreSQL) with the default demo (60 people, 13 weeks). Per backend:
# times a cold `fulcrum import` and a second one (all unchanged), adds an
# administrator with an API token and a member signed in with curl, serves,
# and runs `wrk -t2 -c100 -d${BENCH_SECONDS}s --latency` from a second process
# against
#   /dashboard                        (the member's session cookie)
#   /api/v1/teams/<team>/report       (the administrator's bearer token)
#   /healthz
# and the async workflow's pages and lists, after seeding the member's team
# through the API with 300 asks, 60 proposals, 60 meeting records, 20
# incidents and the member's written update (the member's token):
#   /asks, /decisions, /meetings, /incidents, /updates, /waits (?team=),
#   /me (the member's session), /api/v1/teams/<team>/asks and
#   /api/v1/me/waits (the member's token)
# then prints one table: requests/s, p50, p99, and the non-2xx answers
# counted from the server's own log (one line per request), which must be
# 0. Then the overload: `wrk -c1000` on the team report (the server runs
# with an open-file limit of 1,024, as many systems default to), counting
# what it answered (2xx, 503 "busy", 503 over the connection limit, any
# other), and after it: a valid request's status and how long `fulcrum
# user add` takes against the same store while the server runs. Last, `fulcrum report` against `fulcrum report --store`: the median
# of 3 runs each (wall seconds, peak RSS).
#
#   scripts/bench-server.sh                 # both backends
#   BENCH_BACKENDS=sqlite BENCH_SECONDS=10 scripts/bench-server.sh
#
# Builds nothing: expects target/release/fulcrum built with
# `--features server`. PostgreSQL comes from scripts/postgres-for-tests;
# the database fulcrum_bench is created and dropped on it. Needs wrk
# (apt-get install wrk), curl and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
bin="$repo/target/release/fulcrum"
seconds="${BENCH_SECONDS:-20}"
backends="${BENCH_BACKENDS:-sqlite postgres}"

die() { echo "bench-server: $*" >&2; exit 1; }
# psql without its NOTICE lines.
pg() { PGOPTIONS='-c client_min_messages=warning' psql "$@"; }
[ -x "$bin" ] || die "no $bin: run cargo build --release first"
"$bin" serve --help >/dev/null 2>&1 || die "$bin is a lean build without the server"
for tool in wrk curl psql; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"

tmp="$(mktemp -d)"
server_pid=""
pg_admin_url=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  if [ -n "$pg_admin_url" ]; then
    pg "$pg_admin_url" -qAt -c 'DROP DATABASE IF EXISTS fulcrum_bench WITH (FORCE)' >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# "12.34 s 56789 KB" of a command, its output thrown away.
timed() { /usr/bin/time -f '%e s %M KB' -o "$tmp/time.txt" "$@" >/dev/null 2>"$tmp/cmd.err" || { cat "$tmp/cmd.err" >&2; die "failed: $*"; }; cat "$tmp/time.txt"; }
# The median of 3 timed runs (by seconds).
median3() { for _ in 1 2 3; do timed "$@"; done | sort -n | sed -n 2p; }
# Milliseconds from wrk's "1.23ms" / "456.00us" / "1.20s".
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

# Seeds the member's team through the JSON API with the member's token
# (sets member_token): asks to a teammate and to the team, proposals,
# meeting records, incidents and the member's written update.
member_token=""
seed_workflow() { # base ws member team [--database URL]
  local base="$1" ws="$2" member="$3" team="$4"
  shift 4
  member_token="$("$bin" user token "$member" --name bench-member --workspace "$ws" "$@" 2>/dev/null)"
  [ -n "$member_token" ] || die "no API token for the member"
  local mate
  mate="$(awk -F, -v t="$team" -v m="$member" 'NR > 1 && $3 == t && $1 != m { print $1; exit }' "$ws/people.csv")"
  [ -n "$mate" ] || die "the member's team has no other member"
  post() { # path json
    local code
    code="$(curl -s -o "$tmp/post.json" -w '%{http_code}' -H "Authorization: Bearer $member_token" \
      -H 'Content-Type: application/json' --data "$2" "$base$1")"
    [ "$code" = 201 ] || [ "$code" = 200 ] || { cat "$tmp/post.json" >&2; die "POST $1 answered $code"; }
  }
  local i to
  for i in $(seq 1 300); do
    if [ $((i % 3)) = 0 ]; then to=null; else to="\"$mate\""; fi
    post "/api/v1/teams/$team/asks" "{\"to\": $to, \"context\": \"Release $i needs a date.\", \"needed\": \"Which date for release $i?\", \"respond_in\": \"this ask\", \"sla\": \"normal\"}"
  done
  for i in $(seq 1 60); do
    post "/api/v1/teams/$team/decisions" "{\"title\": \"Ship release $i on Thursday\", \"context\": \"Thursday or the next Monday.\", \"closes_at\": \"2099-01-$(printf %02d $((i % 28 + 1)))T12:00:00Z\"}"
    post "/api/v1/teams/$team/meetings" "{\"title\": \"Planning $i\", \"held_at\": \"2026-01-0$((i % 9 + 1))T15:00:00Z\", \"desired_outcome\": \"A date for release $i.\"}"
  done
  for i in $(seq 1 20); do
    post "/api/v1/teams/$team/incidents" "{\"title\": \"Sign-in fails ($i)\", \"severity\": \"sev2\", \"description\": \"Call in the incident room.\"}"
  done
  post "/api/v1/teams/$team/updates" '{"answers": {"status": "On track.", "blockers": "Waiting for the release date."}}'
}

rows=()
overload=()
imports=()
reports=()

bench_backend() { # sqlite|postgres
  local backend="$1" ws="$tmp/$1/demo" db=()
  mkdir -p "$tmp/$backend"
  if [ "$backend" = postgres ]; then
    local url
    url="$("$repo/scripts/postgres-for-tests")"
    pg_admin_url="$url"
    pg "$url" -qAt -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS fulcrum_bench WITH (FORCE)' -c 'CREATE DATABASE fulcrum_bench' >/dev/null
    local base_url="${url%%\?*}" query=""
    [ "$base_url" != "$url" ] && query="?${url#*\?}"
    db=(--database "${base_url%/*}/fulcrum_bench$query")
  fi
  "$bin" demo --out "$ws" >/dev/null
  local cold warm
  cold="$(timed "$bin" import "$ws" "${db[@]}")"
  warm="$(timed "$bin" import "$ws" "${db[@]}")"
  "$bin" import "$ws" "${db[@]}" | grep -q ': unchanged' || die "the second import changed something"
  imports+=("$backend | $cold | $warm")

  local member admin=bench-admin@fulcrum.test team
  member="$(awk -F, 'NR == 2 { print $1 }' "$ws/people.csv")"
  team="$(awk -F, 'NR == 2 { print $3 }' "$ws/people.csv")"
  echo "bench admin password 1" | "$bin" user add "$admin" --role admin --password-stdin --workspace "$ws" "${db[@]}" >/dev/null
  echo "bench member password 1" | "$bin" user add "$member" --role member --password-stdin --workspace "$ws" "${db[@]}" >/dev/null
  local token
  token="$("$bin" user token "$admin" --name bench --workspace "$ws" "${db[@]}" 2>/dev/null)"

  local log="$tmp/$backend/server.log"
  # The open-file limit many systems default to: the connection bound
  # must keep the server reachable under it.
  (ulimit -n 1024 && exec "$bin" serve "$ws" --listen 127.0.0.1:0 --insecure-cookies "${db[@]}") 2>"$log" &
  server_pid=$!
  local addr=""
  for _ in $(seq 1 1200); do
    addr="$(sed -n 's/.*serving on http:\/\/\([0-9.:]*\).*/\1/p' "$log" | head -n 1)"
    [ -n "$addr" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; die "the $backend server stopped"; }
    sleep 0.1
  done
  [ -n "$addr" ] || die "the $backend server did not say where it listens"
  local base="http://$addr"

  # Sign the member in like a browser: the form's CSRF token and cookie,
  # then the form.
  local jar="$tmp/$backend/cookies" csrf session
  csrf="$(curl -sf -c "$jar" "$base/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
  [ -n "$csrf" ] || die "no CSRF token on /signin"
  curl -sf -o /dev/null -b "$jar" -c "$jar" --data-urlencode "email=$member" \
    --data-urlencode "password=bench member password 1" --data-urlencode "csrf=$csrf" "$base/signin"
  session="$(awk '$6 == "fulcrum_session" { print $7 }' "$jar")"
  [ -n "$session" ] || die "signing in gave no session cookie"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: fulcrum_session=$session" "$base/dashboard")" = 200 ] ||
    die "/dashboard with the member's session is not 200"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/teams/$team/report")" = 200 ] ||
    die "the team report with the admin's token is not 200"

  seed_workflow "$base" "$ws" "$member" "$team" "${db[@]}"

  local name path header cookie="Cookie: fulcrum_session=$session"
  for name in dashboard report healthz asks decisions meetings incidents updates waits me api-asks api-me-waits; do
    case "$name" in
      dashboard) path=/dashboard; header="$cookie" ;;
      report) path="/api/v1/teams/$team/report"; header="Authorization: Bearer $token" ;;
      healthz) path=/healthz; header="Accept: application/json" ;;
      asks | decisions | meetings | incidents | updates | waits) path="/$name?team=$team"; header="$cookie" ;;
      me) path=/me; header="$cookie" ;;
      api-asks) path="/api/v1/teams/$team/asks"; header="Authorization: Bearer $member_token" ;;
      api-me-waits) path=/api/v1/me/waits; header="Authorization: Bearer $member_token" ;;
    esac
    local before out="$tmp/$backend/wrk-$name.txt"
    before="$(wc -l <"$log")"
    wrk -t2 -c100 -d"${seconds}s" --latency -H "$header" "$base$path" >"$out"
    sleep 0.5
    local rps p50 p99 served bad socket
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    # The log names the path without its query.
    local logged="${path%%\?*}"
    served="$(tail -n +"$((before + 1))" "$log" | grep -c " path=$logged status=" || true)"
    bad="$(tail -n +"$((before + 1))" "$log" | grep " path=$logged status=" | grep -vc 'status=2[0-9][0-9]' || true)"
    socket="$(sed -n 's/^ *Socket errors: //p' "$out")"
    [ "$served" -gt 0 ] || { tail -n 5 "$log" >&2; cat "$out" >&2; die "the server logged no request to $path"; }
    rows+=("$backend | $path | $rps | $p50 | $p99 | $bad | ${socket:-none}")
    [ "$bad" = 0 ] || { grep " path=$logged status=" "$log" | grep -v 'status=2' | head >&2; die "$bad non-2xx answers to $path"; }
  done

  # Overload: 1,000 connections on the team report, then a valid request
  # and a CLI write while the server still runs.
  local before out="$tmp/$backend/wrk-1000.txt" path="/api/v1/teams/$team/report"
  before="$(wc -l <"$log")"
  wrk -t2 -c1000 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base$path" >"$out" 2>&1 || true
  sleep 1
  local rps p99 ok busy refused other after write_s socket
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  ok="$(tail -n +"$((before + 1))" "$log" | grep " path=$path " | grep -c 'status=2[0-9][0-9]' || true)"
  busy="$(tail -n +"$((before + 1))" "$log" | grep " path=$path " | grep -c 'status=503' || true)"
  other="$(tail -n +"$((before + 1))" "$log" | grep " path=$path status=" | grep -v 'status=2[0-9][0-9]' | grep -vc 'status=503' || true)"
  refused="$(tail -n +"$((before + 1))" "$log" | grep 'connection limit reached' | sed -n 's/.*refused=\([0-9]*\).*/\1/p' | awk '{ n += $1 } END { print n + 0 }')"
  socket="$(sed -n 's/^ *Socket errors: //p' "$out")"
  after="$(curl -s -o /dev/null -m 10 -w '%{http_code}' -H "Authorization: Bearer $token" "$base$path")"
  local started_ns
  started_ns="$(date +%s%N)"
  echo "bench after password 1" | "$bin" user add "after-$backend@fulcrum.test" --role member --password-stdin --workspace "$ws" "${db[@]}" >/dev/null ||
    die "fulcrum user add failed after the overload"
  write_s="$(awk -v ns="$(($(date +%s%N) - started_ns))" 'BEGIN { printf "%.2f", ns / 1e9 }')"
  overload+=("$backend | $rps | $p99 | $ok | $busy | $refused | $other | ${socket:-none} | $after | $write_s s")
  [ "$after" = 200 ] || die "after the overload a valid request got $after"
  [ "$other" = 0 ] || { tail -n +"$((before + 1))" "$log" | grep " path=$path status=" | grep -v 'status=2' | grep -v 'status=503' | head >&2; die "$other answers neither 2xx nor 503 under overload"; }
  stop_server

  local files stored
  files="$(median3 "$bin" report "$ws")"
  stored="$(median3 "$bin" report "$ws" --store "${db[@]}")"
  reports+=("$backend | $files | $stored")
  if [ "$backend" = postgres ]; then
    pg "$pg_admin_url" -qAt -c 'DROP DATABASE IF EXISTS fulcrum_bench WITH (FORCE)' >/dev/null
    pg_admin_url=""
  fi
}

for b in $backends; do
  case "$b" in
    sqlite | postgres) echo "== $b" >&2; bench_backend "$b" ;;
    *) die "unknown backend $b (sqlite, postgres)" ;;
  esac
done

echo
echo "wrk -t2 -c100 -d${seconds}s --latency; $(nproc) CPUs, load before the last run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| backend | endpoint | requests/s | p50 ms | p99 ms | non-2xx | wrk socket errors |"
echo "|---|---|---|---|---|---|---|"
for r in "${rows[@]}"; do echo "| $r |"; done
echo
echo "wrk -t2 -c1000 -d${seconds}s on the team report (admin's token); server open-file limit 1,024; answers counted from the server's log"
echo
echo "| backend | requests/s | p99 ms | 2xx | 503 busy | 503 over the connection limit | other | wrk socket errors | after: a valid request | after: fulcrum user add |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for r in "${overload[@]}"; do echo "| $r |"; done
echo
echo "| backend | import, cold | import again (unchanged) |"
echo "|---|---|---|"
for r in "${imports[@]}"; do echo "| $r |"; done
echo
echo "| backend | fulcrum report (files), median of 3 | fulcrum report --store, median of 3 |"
echo "|---|---|---|"
for r in "${reports[@]}"; do echo "| $r |"; done
