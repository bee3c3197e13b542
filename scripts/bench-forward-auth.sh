#!/usr/bin/env bash
# Forward-auth under load, on loopback in one run (wrk, 64 connections by default):
#   1. bare Kestrel answering 200 (the baseline: what ASP.NET Core itself costs here)
#   2. forward-auth with a signed-in session in the memory store
#   3. forward-auth with a signed-in session in Redis (a real redis-server)
#   4. forward-auth, anonymous, on a bypass rule
# and each figure's ratio to bare Kestrel, p99 and the number of non-2xx answers (must be 0: every request carries
# a valid session or hits a bypass rule). Run by hand (not CI): bash scripts/bench-forward-auth.sh [seconds] [connections] [rounds]
# The four are measured in turn, ROUNDS times (default 3); each ratio is taken against the bare Kestrel run of the
# same round and the median of the rounds is printed, so a slow moment of the machine does not decide a figure.
# Needs: wrk redis-server curl (apt-get install wrk redis-server). Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-64}
ROUNDS=${3:-3}
for tool in wrk redis-server curl; do
  command -v "$tool" >/dev/null || { echo "bench-forward-auth: '$tool' is missing (apt-get install wrk redis-server)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench-forward-auth: nothing listens on $1 ($2)" >&2; exit 1; }

BARE=$(free_port); MEM=$(free_port); RED=$(free_port); REDIS=$(free_port)

echo "bench-forward-auth: building (Release)…" >&2
dotnet build tests/Portal.Benchmarks -c Release -v q -nologo >/dev/null
redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 & pids+=($!)
dotnet tests/Portal.Benchmarks/bin/Release/net10.0/Portal.Benchmarks.dll kestrel "$BARE" >"$work/bare.log" 2>&1 & pids+=($!)

cp src/Portal/Demo/users_database.yml "$work/users.yml"
portal_config() { # port dir extra
  mkdir -p "$2"
  cat > "$2/portal.yml" <<CONF
server: { address: 'tcp://127.0.0.1:$1/' }
log: { level: error }
authentication_backend: { file: { path: '$work/users.yml' } }
session:
  secret: 'bench-session-secret-0123456789abcdef'
  cookies: [ { domain: example.com, authelia_url: 'https://auth.example.com/' } ]
$3
storage: { encryption_key: 'bench-encryption-key-0123456789', local: { path: '$2/db.sqlite3' } }
notifier: { filesystem: { filename: '$2/notification.txt' } }
access_control:
  default_policy: deny
  rules:
    - { domain: 'bypass.example.com', policy: bypass }
    - { domain: 'app.example.com', policy: one_factor }
CONF
}
portal_config "$MEM" "$work/mem" ""
portal_config "$RED" "$work/red" "  redis: { host: '127.0.0.1', port: $REDIS }"
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/mem/portal.yml" >"$work/mem/log" 2>&1 & pids+=($!)
wait_port "$REDIS" redis
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/red/portal.yml" >"$work/red/log" 2>&1 & pids+=($!)
wait_port "$BARE" kestrel; wait_port "$MEM" "portal (memory)"; wait_port "$RED" "portal (redis)"

login() { # port
  curl -s -D - -o /dev/null "http://127.0.0.1:$1/api/firstfactor" -H 'Host: auth.example.com' \
    -H 'X-Forwarded-Proto: https' -H 'Content-Type: application/json' -d '{"username":"demo","password":"portal-demo"}' \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: authelia_session=\([^;]*\).*/\1/p' | head -1
}
mem_cookie=$(login "$MEM"); red_cookie=$(login "$RED")
[ -n "$mem_cookie" ] && [ -n "$red_cookie" ] || { echo "bench-forward-auth: login failed" >&2; cat "$work/mem/log" "$work/red/log" >&2; exit 1; }

# name|port|path|forwarded host|cookie
targets=(
  "bare Kestrel 200|$BARE|/||"
  "forward-auth, memory session|$MEM|/api/authz/forward-auth|app.example.com|$mem_cookie"
  "forward-auth, Redis session|$RED|/api/authz/forward-auth|app.example.com|$red_cookie"
  "forward-auth, anonymous bypass|$MEM|/api/authz/forward-auth|bypass.example.com|"
)
wrk_args() { # host cookie
  local args=(-t2 "-c$CONNECTIONS" --latency)
  if [ -n "$1" ]; then
    args+=(-H "X-Forwarded-Proto: https" -H "X-Forwarded-Host: $1" -H "X-Forwarded-Uri: /dashboard?x=1" -H "X-Forwarded-Method: GET" -H "Accept: text/html")
  fi
  [ -n "$2" ] && args+=(-H "Cookie: authelia_session=$2")
  printf '%s\n' "${args[@]}"
}
# Each target must answer 200 before it is measured: a benchmark of redirects is no benchmark.
for t in "${targets[@]}"; do
  IFS='|' read -r name port path host c <<<"$t"
  mapfile -t args < <(wrk_args "$host" "$c")
  hdr=(); for ((i = 3; i < ${#args[@]}; i += 2)); do [ "${args[i]}" = "-H" ] && hdr+=(-H "${args[i+1]}"); done
  code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "http://127.0.0.1:$port$path")
  [ "$code" = 200 ] || { echo "bench-forward-auth: $name answers $code, not 200" >&2; exit 1; }
done
# .NET's tiered JIT needs several seconds of load before its code is final: warm every path first.
echo "bench-forward-auth: warming up…" >&2
for t in "${targets[@]}"; do
  IFS='|' read -r name port path host c <<<"$t"
  mapfile -t args < <(wrk_args "$host" "$c")
  wrk "${args[@]}" "-d${DURATION}s" "http://127.0.0.1:$port$path" >/dev/null 2>&1 || true
done
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else printf "%.3f", v * 1000 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A rps_of p99_of ratio_of p99_ratio_of errors_of
for round in $(seq 1 "$ROUNDS"); do
  echo "bench-forward-auth: round $round of $ROUNDS…" >&2
  bare_rps=""; bare_p99=""
  for t in "${targets[@]}"; do
    IFS='|' read -r name port path host c <<<"$t"
    mapfile -t args < <(wrk_args "$host" "$c")
    out=$(wrk "${args[@]}" "-d${DURATION}s" "http://127.0.0.1:$port$path")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
    socket=$(awk '/Socket errors:/ {print $0}' <<<"$out")
    [ -z "$bare_rps" ] && { bare_rps=$rps; bare_p99=$p99; }
    rps_of[$name]+="$rps "
    p99_of[$name]+="$p99 "
    ratio_of[$name]+="$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", a / b }') "
    p99_ratio_of[$name]+="$(awk -v a="$p99" -v b="$bare_p99" 'BEGIN { printf "%.2f", a / b }') "
    errors_of[$name]=$(( ${errors_of[$name]:-0} + ${errors:-0} ))
    [ -n "$socket" ] && echo "bench-forward-auth: $name: $socket" >&2
  done
done

echo
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on $(nproc) cores, loopback, $ROUNDS rounds; medians, ratios to bare Kestrel of the same round"
printf '%-32s %10s %10s %8s %10s %10s   %s\n' "path" "req/s" "p99 ms" "ratio" "p99 ratio" "non-2xx" "(each round's ratio / p99 ratio)"
for t in "${targets[@]}"; do
  IFS='|' read -r name _ _ _ _ <<<"$t"
  printf '%-32s %10s %10s %8s %10s %10s   %s / %s\n' "$name" \
    "$(tr ' ' '\n' <<<"${rps_of[$name]}" | grep . | median)" "$(tr ' ' '\n' <<<"${p99_of[$name]}" | grep . | median)" \
    "$(tr ' ' '\n' <<<"${ratio_of[$name]}" | grep . | median)" "$(tr ' ' '\n' <<<"${p99_ratio_of[$name]}" | grep . | median)" \
    "${errors_of[$name]}" "${ratio_of[$name]% }" "${p99_ratio_of[$name]% }"
done
