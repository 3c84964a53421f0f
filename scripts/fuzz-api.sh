#!/usr/bin/env bash
# Fuzzes the JSON API of `fulcrum serve` with schemathesis against its own
# /openapi.json: once as a member, once as an administrator (bearer
# tokens), every check on. Fails when a check fails or the server answered
# any request with a 5xx (counted from the server's own log). Builds
# nothing: expects target/release/fulcrum built with the default features (the server included).
#
#   scripts/fuzz-api.sh            # 300 examples per operation, seed 20261122 (about 2.5 min)
#   FUZZ_EXAMPLES=200 FUZZ_SEED=7 scripts/fuzz-api.sh
#
# Needs schemathesis 4 (pip install schemathesis) and curl. The server's
# log and schemathesis' JUnit reports stay in the printed folder when a run
# fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/release/fulcrum"
examples="${FUZZ_EXAMPLES:-300}"
seed="${FUZZ_SEED:-20261122}"

die() { echo "fuzz-api: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no $bin: run cargo build --release first"
"$bin" serve --help >/dev/null 2>&1 || die "$bin is a lean build without the server"
command -v schemathesis >/dev/null || die "schemathesis is not installed (pip install schemathesis)"
command -v curl >/dev/null || die "curl is not installed"

tmp="$(mktemp -d)"
server_pid=""
failed=1
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$failed" = 0 ]; then rm -rf "$tmp"; else echo "fuzz-api: files kept in $tmp" >&2; fi
}
trap cleanup EXIT

ws="$tmp/demo"
"$bin" demo --out "$ws" --people 16 --weeks 6 >/dev/null
"$bin" import "$ws" >/dev/null
member="$(awk -F, 'NR == 2 { print $1 }' "$ws/people.csv")"
admin="fuzz-admin@fulcrum.test"
user() { "$bin" user "$@" --workspace "$ws"; }
echo "fuzz admin password 1" | user add "$admin" --role admin --password-stdin >/dev/null
echo "fuzz member password 1" | user add "$member" --role member --password-stdin >/dev/null

"$bin" serve "$ws" --listen 127.0.0.1:0 --insecure-cookies 2>"$tmp/server.log" &
server_pid=$!
addr=""
for _ in $(seq 1 600); do
  addr="$(sed -n 's/.*serving on http:\/\/\([0-9.:]*\).*/\1/p' "$tmp/server.log" | head -n 1)"
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; die "the server stopped"; }
  sleep 0.1
done
[ -n "$addr" ] || die "the server did not say where it listens"
base="http://$addr"

# Either account may revoke its own tokens (an administrator any token),
# and the fuzzer tries small ids first: give each account 100 tokens
# before the one it fuzzes with, so that a run keeps its credentials (and
# revoking finds real tokens).
# (An API token cannot create tokens, so they are made with the CLI.)
fuzz_token() { # EMAIL
  local i
  for i in $(seq 1 100); do
    user token "$1" --name "pad $i" >/dev/null 2>&1 || die "cannot create a token for $1"
  done
  user token "$1" --name fuzz 2>/dev/null
}
member_token="$(fuzz_token "$member")"
admin_token="$(fuzz_token "$admin")"

# Real team names and ids half of the time, so that the fuzzer gets past
# the 404s into the handlers: accounts 1 (the administrator) and 2 (the
# member), and tokens of both, but never the two tokens fuzzing.
teams="$(awk -F, 'NR > 1 { print "\"" $3 "\"" }' "$ws/people.csv" | sort -u | paste -sd, -)"
token_id() { curl -sf -H "Authorization: Bearer $1" "$base/api/v1/tokens?limit=1" | sed -n 's/.*"id":\([0-9]*\).*/\1/p'; }
keep="$(token_id "$member_token") $(token_id "$admin_token")"
[ "$(echo "$keep" | wc -w)" = 2 ] || die "cannot read the ids of the fuzzing tokens"
ids="$(for i in 1 2 3 4 50 100 101 102 103 104 150 200 201 202 203 204 205; do
  case " $keep " in *" $i "*) ;; *) echo "$i" ;; esac
done | paste -sd, -)"
cat >"$tmp/schemathesis.toml" <<EOF
[dictionaries.teams]
values = [$teams, "nobody"]
[dictionaries.ids]
values = [$ids]
# A schema-valid body can still break a rule no schema states (a deadline
# before the ask, a question the team's template does not ask, a closing
# time in the past): the API answers those 422 naming the field, as
# docs/server.md says, which is an accepted answer to positive data.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
[parameters]
"path.team" = { dictionary = "teams", probability = 0.5 }
"path.id" = { dictionary = "ids", probability = 0.5 }
EOF

summary=()
run() { # NAME TOKEN
  local name="$1" token="$2" out="$tmp/$1.txt" status=0
  echo "== schemathesis as $name" >&2
  local before
  before="$(wc -l <"$tmp/server.log")"
  # From the temporary folder: schemathesis keeps a cache (.schemathesis/)
  # in the current one.
  (cd "$tmp" && schemathesis --config-file "$tmp/schemathesis.toml" run "$base/openapi.json" \
    --checks all \
    --header "Authorization: Bearer $token" \
    --max-examples "$examples" --seed "$seed" \
    --workers 2 --request-timeout 30 --no-color \
    --report junit --report-junit-path "$tmp/$name.junit.xml" \
    >"$out" 2>&1) || status=$?
  tail -n 40 "$out" >&2
  local requests server_errors
  requests="$(tail -n +"$((before + 1))" "$tmp/server.log" | grep -c ' request ' || true)"
  server_errors="$(tail -n +"$((before + 1))" "$tmp/server.log" | grep -cE 'status=5[0-9]{2}' || true)"
  # The caller's token must have survived, or the rest of the run
  # was unauthenticated.
  local me
  me="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/me")"
  local statuses
  statuses="$(tail -n +"$((before + 1))" "$tmp/server.log" | sed -n 's/.* status=\([0-9]*\) .*/\1/p' | sort | uniq -c | awk '{ printf "%s%s x%s", (n++ ? ", " : ""), $2, $1 }')"
  local cases
  cases="$(grep -E '^ *[0-9]+ generated' "$out" | tail -n 1 | sed 's/^ *//')"
  summary+=("$name: schemathesis exit $status, test cases: ${cases:-?}; the server logged $requests requests, $server_errors 5xx (statuses: $statuses); token still valid: $me")
  [ "$status" = 0 ] && [ "$server_errors" = 0 ] && [ "$me" = 200 ]
}

ok=0
# The member first: the administrator's run may change or delete the
# member's account.
run member "$member_token" || ok=1
run admin "$admin_token" || ok=1
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
printf '%s\n' "${summary[@]}"
if grep -E 'status=5[0-9]{2}' "$tmp/server.log" >&2; then ok=1; fi
grep -F 'internal error' "$tmp/server.log" >&2 || true
if [ "$ok" = 0 ]; then
  failed=0
  echo "fuzz-api: no failure, no 5xx"
else
  die "failures (see above; the reports and server.log are in $tmp)"
fi
