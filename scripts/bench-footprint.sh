#!/usr/bin/env bash
# Footprint of a portal on the embedded defaults (SQLite, memory sessions, file notifier), Release build, loopback:
#   time from start to a 200 on /api/health, idle RSS, peak RSS under 64-connection forward-auth load, RSS after
#   a burst of sign-ins (each argon2id check allocates its 64 MiB memory cost) and once they are over; and, as the
#   floor, the idle RSS of a bare Kestrel app answering 200 on the same runtime.
# Run by hand (not CI): bash scripts/bench-footprint.sh [load seconds]. Needs: wrk curl (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench-footprint: '$tool' is missing (apt-get install wrk curl)" >&2; exit 1; }
done
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
rss() { awk '/^VmRSS:/ {printf "%.1f MB", $2 / 1024}' "/proc/$pid/status"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }

echo "bench-footprint: building (Release)…" >&2
dotnet build src/Portal -c Release -v q -nologo >/dev/null
dotnet build tests/Portal.Benchmarks -c Release -v q -nologo >/dev/null
BARE=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
dotnet tests/Portal.Benchmarks/bin/Release/net10.0/Portal.Benchmarks.dll kestrel "$BARE" >/dev/null 2>&1 & pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$BARE/"; do sleep 0.02; done
sleep 10
bare=$(rss)
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
cp src/Portal/Demo/users_database.yml "$work/users.yml"
cat > "$work/portal.yml" <<CONF
server: { address: 'tcp://127.0.0.1:$PORT/' }
log: { level: error }
authentication_backend: { file: { path: '$work/users.yml' } }
session: { cookies: [ { domain: example.com, authelia_url: 'https://auth.example.com/' } ] }
storage: { encryption_key: 'bench-encryption-key-0123456789', local: { path: '$work/db.sqlite3' } }
notifier: { filesystem: { filename: '$work/notification.txt' } }
access_control: { default_policy: deny, rules: [ { domain: 'app.example.com', policy: one_factor } ] }
CONF
start=$(date +%s.%N)
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/portal.yml" >"$work/log" 2>&1 & pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/health"; do sleep 0.02; done
healthy=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f s", e - s }')
sleep 10
idle=$(rss)

login() {
  curl -s -D - -o /dev/null "http://127.0.0.1:$PORT/api/firstfactor" -H 'Host: auth.example.com' -H 'X-Forwarded-Proto: https' \
    -H 'Content-Type: application/json' -d '{"username":"demo","password":"portal-demo"}' \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: authelia_session=\([^;]*\).*/\1/p' | head -1
}
cookie=$(login)
# The sign-in's argon2id memory (64 MiB) is returned 5 s after the last hash (Crypto/MemoryTrim); wait for that, so
# the peak below is the forward-auth load's and not the sign-in's.
sleep 8
peak=0
wrk -t2 -c64 "-d${DURATION}s" -H "X-Forwarded-Proto: https" -H "X-Forwarded-Host: app.example.com" -H "X-Forwarded-Uri: /" \
  -H "Cookie: authelia_session=$cookie" "http://127.0.0.1:$PORT/api/authz/forward-auth" >/dev/null &
load=$!
while kill -0 "$load" 2>/dev/null; do now=$(rss_kb); [ "$now" -gt "$peak" ] && peak=$now; sleep 0.2; done
for _ in 1 2 3 4 5 6 7 8; do login >/dev/null & done; wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
after_logins=$(rss)
sleep 10
settled=$(rss)

echo
echo "portal footprint on $(nproc) cores (Release, embedded defaults)"
printf '%-42s %s\n' "time to healthy" "$healthy" "idle RSS (10 s after start)" "$idle" "bare Kestrel idle RSS (the floor)" "$bare" \
  "peak RSS under 64-connection forward-auth" "$(awk -v k="$peak" 'BEGIN { printf "%.1f MB", k / 1024 }')" \
  "RSS right after 8 parallel sign-ins" "$after_logins" "RSS 10 s later" "$settled"
