#!/usr/bin/env bash
# ASVS-5.0-1.2.4: scans a local Convene with sqlmap for SQL injection in the sign-in form, the
# team page's filters, the auditors' search and the API's list filters. Not run in CI (slow);
# run it before a release:  bash scripts/sqlmap.sh
# It builds nothing: run `swift build` first. It starts its own server on 127.0.0.1 with the
# demonstration data and a throw-away SQLite file, and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlmap >/dev/null || { apt-get install -y -qq sqlmap >/dev/null; }
PORT=${PORT:-8095}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/convene-sqlmap-XXXXXX)
CONVENE_BCRYPT_COST=4 CONVENE_THROTTLE_PER_ADDRESS=1000000 \
  .build/debug/convene serve --demo --port "$PORT" --database "sqlite:$WORK/db.sqlite" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 1; done

COMMON=(--batch --level=3 --risk=2 --flush-session --disable-coloring --output-dir="$WORK/out" --technique=BEUST --timeout=10)

echo "== sign-in form (email, password)"
sqlmap -u "$BASE/sign-in" --data "email=nobody%40example.org&password=not-the-password&_csrf=x" \
  --csrf-token=_csrf --csrf-url="$BASE/sign-in" -p email,password "${COMMON[@]}" | tee "$WORK/signin.txt"

signin() { # $1 email -> prints the session cookie header
  local jar="$WORK/jar-$1"
  curl -s -c "$jar" -b "$jar" "$BASE/sign-in" >"$WORK/page.html"
  local csrf; csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$WORK/page.html" | head -1 | sed 's/.*value="//;s/"$//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=$1" \
    --data-urlencode "password=Strategy-Demo-2026" "$BASE/sign-in"
  awk '$6 ~ /convene/ {printf "%s=%s; ", $6, $7}' "$jar"
}

echo "== team page filters (stage, team, page)"
COOKIE=$(signin sara.service@northtown.example)
sqlmap -u "$BASE/team?stage=booked&team=00000000-0000-0000-0000-000000000000&page=1" --cookie="$COOKIE" \
  -p stage,team,page "${COMMON[@]}" | tee "$WORK/team.txt"

echo "== auditors' search (childName, action, dates)"
COOKIE=$(signin audrey.auditor@northtown.example)
sqlmap -u "$BASE/audit" --data "childName=Amira&action=view&from.day=1&from.month=1&from.year=2026&_csrf=x" \
  --csrf-token=_csrf --csrf-url="$BASE/audit" --cookie="$COOKIE" -p childName,action "${COMMON[@]}" | tee "$WORK/audit.txt"

echo "== API list filters (stage, page, per), with a bearer token"
JAR="$WORK/jar-api"
curl -s -c "$JAR" -o /dev/null "$BASE/api/v1/openapi.json"
CSRF=$(awk '$6 == "convene-csrf" {print $7}' "$JAR")
TOKEN=$(curl -s -b "$JAR" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  -d '{"email":"sara.service@northtown.example","password":"Strategy-Demo-2026","name":"sqlmap"}' "$BASE/api/v1/tokens" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
sqlmap -u "$BASE/api/v1/discussions?stage=booked&page=1&per=10" --headers="Authorization: Bearer $TOKEN" \
  -p stage,page,per "${COMMON[@]}" | tee "$WORK/api.txt"

# sqlmap reports a finding as "sqlmap identified the following injection point(s)" and
# "parameter '…' is '…' injectable"; its "does not seem to be injectable" is the all-clear.
if grep -qiE "identified the following injection point|parameter '[^']+' (is|appears to be) '[^']+' injectable|is vulnerable" \
  "$WORK"/signin.txt "$WORK"/team.txt "$WORK"/audit.txt "$WORK"/api.txt; then
  echo "sqlmap found a possible injection: see $WORK"
  exit 1
fi
echo "sqlmap found no injection. Logs: $WORK"
