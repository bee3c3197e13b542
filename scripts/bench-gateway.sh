#!/usr/bin/env bash
# Throughput and p99 latency, on loopback in one run, of:
#   1. the upstream alone (nginx returning a small body)
#   2. the YARP gateway on a bypass rule ("bare YARP": the decision is a table lookup, no session)
#   3. the gateway with a logged-in one_factor session (in-process decision)
#   4. nginx auth_request -> portal -> upstream   (deploy/nginx snippets)
#   5. Caddy forward_auth  -> portal -> upstream   (deploy/caddy snippet)
# and each figure's ratio to bare YARP. Run by hand (not CI): bash scripts/bench-gateway.sh [seconds] [connections]
# Needs: wrk nginx caddy openssl curl (apt-get install wrk nginx caddy). Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-32}
for tool in wrk nginx caddy openssl curl; do
  command -v "$tool" >/dev/null || { echo "bench-gateway: '$tool' is missing (apt-get install wrk nginx caddy)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench-gateway: nothing listens on $1 ($2)" >&2; exit 1; }

UP=$(free_port); PORTAL=$(free_port); GW=$(free_port); NGX=$(free_port); CADDY=$(free_port)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=bench \
  -addext "subjectAltName=DNS:example.com,DNS:*.example.com,DNS:localhost" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# 1. Upstream: a one-worker nginx answering 200 "ok".
mkdir -p "$work/up"
cat > "$work/up/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1; pid $work/up/nginx.pid; error_log $work/up/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/up/body; proxy_temp_path $work/up/proxy;
  fastcgi_temp_path $work/up/fcgi; uwsgi_temp_path $work/up/uwsgi; scgi_temp_path $work/up/scgi;
  server { listen 127.0.0.1:$UP; location / { return 200 "ok\n"; } } }
CONF
nginx -e "$work/up/error.log" -p "$work/up" -c "$work/up/nginx.conf" & pids+=($!)

# 2. Portal + gateway in one process (Release build).
echo "bench-gateway: building (Release)…" >&2
dotnet build src/Portal -c Release -v q -nologo >/dev/null
cp src/Portal/Demo/users_database.yml "$work/users.yml"
cat > "$work/portal.yml" <<CONF
server: { address: 'tcp://127.0.0.1:$PORTAL/' }
log: { level: error }
authentication_backend: { file: { path: '$work/users.yml' } }
session: { cookies: [ { domain: example.com, authelia_url: 'https://auth.example.com/' } ] }
storage: { encryption_key: 'bench-encryption-key-0123456789', local: { path: '$work/db.sqlite3' } }
notifier: { filesystem: { filename: '$work/notification.txt' } }
access_control:
  default_policy: deny
  rules:
    - { domain: 'bypass.example.com', policy: bypass }
    - { domain: 'app.example.com', policy: one_factor }
gateway:
  address: 'tcp://127.0.0.1:$GW/'
  tls: { certificate: '$work/cert.pem', key: '$work/key.pem' }
  routes:
    - { hosts: ['bypass.example.com', 'app.example.com'], upstreams: ['http://127.0.0.1:$UP/'] }
CONF
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/portal.yml" >"$work/portal.log" 2>&1 & pids+=($!)

# 3. nginx front with the shipped snippets (same substitutions as the proxy tests).
mkdir -p "$work/ngx/snippets" "$work/ngx/sites" "$work/ngx/conf.d" "$work/ngx/tmp"
cp deploy/nginx/snippets/*.conf "$work/ngx/snippets/"
sed -e "s#server portal:9091;#server 127.0.0.1:$PORTAL;#" -e "s#server app:8080;#server 127.0.0.1:$UP;#" \
  deploy/nginx/conf.d/portal-upstreams.conf > "$work/ngx/conf.d/portal-upstreams.conf"
sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$NGX ssl;#" -e "s#/etc/ssl/example.com/fullchain.pem#$work/cert.pem#" \
  -e "s#/etc/ssl/example.com/privkey.pem#$work/key.pem#" deploy/nginx/sites/app.example.com.conf > "$work/ngx/sites/app.conf"
cat > "$work/ngx/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1; pid $work/ngx/nginx.pid; error_log $work/ngx/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/ngx/tmp/body; proxy_temp_path $work/ngx/tmp/proxy;
  fastcgi_temp_path $work/ngx/tmp/fcgi; uwsgi_temp_path $work/ngx/tmp/uwsgi; scgi_temp_path $work/ngx/tmp/scgi;
  include conf.d/portal-upstreams.conf; include sites/app.conf; }
CONF
nginx -e "$work/ngx/error.log" -p "$work/ngx" -c "$work/ngx/nginx.conf" & pids+=($!)

# 4. Caddy front with the shipped snippet.
mkdir -p "$work/caddy"
sed -e "s#forward_auth portal:9091 {#forward_auth 127.0.0.1:$PORTAL {#" deploy/caddy/portal.caddy > "$work/caddy/portal.caddy"
cat > "$work/caddy/Caddyfile" <<CONF
{
	admin off
	auto_https off
	default_sni app.example.com
	storage file_system $work/caddy/data
}
import $work/caddy/portal.caddy
# wrk sends the URL host as SNI, so it connects as "localhost" with "Host: app.example.com".
https://app.example.com:$CADDY, https://localhost:$CADDY {
	tls $work/cert.pem $work/key.pem
	import portal_auth
	reverse_proxy 127.0.0.1:$UP
}
CONF
HOME="$work/caddy" XDG_DATA_HOME="$work/caddy" XDG_CONFIG_HOME="$work/caddy" \
  caddy run --config "$work/caddy/Caddyfile" --adapter caddyfile >"$work/caddy/log" 2>&1 & pids+=($!)

wait_port "$UP" upstream; wait_port "$PORTAL" portal; wait_port "$GW" gateway; wait_port "$NGX" nginx; wait_port "$CADDY" caddy

cookie=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PORTAL/api/firstfactor" -H 'Host: auth.example.com' \
  -H 'X-Forwarded-Proto: https' -H 'Content-Type: application/json' -d '{"username":"demo","password":"portal-demo"}' \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: authelia_session=\([^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "bench-gateway: login failed" >&2; cat "$work/portal.log" >&2; exit 1; }

# Each target must answer 200 with the upstream's body before it is measured: a benchmark of redirects is no benchmark.
check() { # url host
  local body; body=$(curl -sk --resolve "$2:${1##*:}:127.0.0.1" -H "Cookie: authelia_session=$cookie" "https://$2:${1##*:}/" || true)
  [ "$body" = "ok" ] || { echo "bench-gateway: $2 on port ${1##*:} does not reach the upstream (got '$body')" >&2; exit 1; }
}
check "x:$GW" bypass.example.com; check "x:$GW" app.example.com; check "x:$NGX" app.example.com; check "x:$CADDY" app.example.com

targets=(
  "upstream alone|http://127.0.0.1:$UP/|app.example.com|"
  "gateway, bypass rule (bare YARP)|https://localhost:$GW/|bypass.example.com|"
  "gateway, one_factor session|https://localhost:$GW/|app.example.com|$cookie"
  "nginx auth_request -> portal|https://localhost:$NGX/|app.example.com|$cookie"
  "caddy forward_auth -> portal|https://localhost:$CADDY/|app.example.com|$cookie"
)
wrk_args() { # host cookie
  local args=(-t2 "-c$CONNECTIONS" --latency -H "Host: $1")
  [ -n "$2" ] && args+=(-H "Cookie: authelia_session=$2")
  printf '%s\n' "${args[@]}"
}
# Warm every path first: .NET's tiered JIT needs several seconds of load before its code is final, and a short
# warm-up made the first gateway figure look half as fast as the second.
echo "bench-gateway: warming up…" >&2
for t in "${targets[@]}"; do
  IFS='|' read -r name url host c <<<"$t"
  mapfile -t args < <(wrk_args "$host" "$c")
  wrk "${args[@]}" "-d${DURATION}s" "$url" >/dev/null 2>&1 || true
done
results=()
for t in "${targets[@]}"; do
  IFS='|' read -r name url host c <<<"$t"
  mapfile -t args < <(wrk_args "$host" "$c")
  out=$(wrk "${args[@]}" "-d${DURATION}s" "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  results+=("$name|$rps|$p99|${errors:-0}")
done

echo
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on $(nproc) cores, loopback; ratio = throughput / bare YARP"
bare=$(cut -d'|' -f2 <<<"${results[1]}")
printf '%-36s %12s %10s %8s %10s\n' "path" "req/s" "p99" "ratio" "non-2xx"
for r in "${results[@]}"; do
  IFS='|' read -r name rps p99 errors <<<"$r"
  printf '%-36s %12s %10s %8s %10s\n' "$name" "$rps" "$p99" "$(awk -v a="$rps" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')" "$errors"
done
