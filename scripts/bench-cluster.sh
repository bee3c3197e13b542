#!/usr/bin/env bash
# The cost and gain of running several nodes (issue 15), on loopback in one run, Release build:
#   a. forward-auth through nginx (deploy/nginx: the snippets verbatim, the sites with local addresses) to ONE portal
#      node on PostgreSQL + Redis: a signed-in session asks for https://app.example.com/dashboard, nginx asks the
#      portal (auth_request), then proxies to a static app;
#   b. the same through nginx balancing over TWO nodes (same configuration, same PostgreSQL and Redis);
#   c. password sign-ins (POST /api/firstfactor, argon2id) straight to one node on PostgreSQL vs one on SQLite, both
#      with sessions in Redis: 64 users, each request from an address of its own (X-Forwarded-For from loopback,
#      trusted), so regulation's per-user and per-IP lines do not serialise the load.
# Prints requests/s, p99 and non-2xx per case and the ratios b/a and PostgreSQL/SQLite. Run by hand (not CI):
#   bash scripts/bench-cluster.sh [seconds] [forward-auth connections] [sign-in connections]
# Needs: wrk nginx redis-server postgresql curl openssl python3 (apt-get install wrk nginx redis-server postgresql).
# Everything binds 127.0.0.1; PostgreSQL runs from a temporary directory (as the postgres user under root).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-64}
SIGNIN_CONNECTIONS=${3:-4}
USERS=64
for tool in wrk nginx redis-server curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench-cluster: '$tool' is missing (apt-get install wrk nginx redis-server postgresql curl)" >&2; exit 1; }
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "bench-cluster: PostgreSQL is missing (apt-get install postgresql)" >&2; exit 1; }

# /tmp, not $TMPDIR: the postgres user must reach it and the socket path must stay short.
work=$(mktemp -d /tmp/bench-cluster.XXXXXX)
chmod 755 "$work"
pids=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/pg/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench-cluster: nothing listens on $1 ($2)" >&2; exit 1; }

PG=$(free_port); REDIS=$(free_port); NODE1=$(free_port); NODE2=$(free_port); LITE=$(free_port)
APP=$(free_port); ONE=$(free_port); TWO=$(free_port)

echo "bench-cluster: building (Release)…" >&2
dotnet build src/Portal -c Release -v q -nologo >/dev/null

echo "bench-cluster: starting PostgreSQL, Redis, three portal nodes and two nginx…" >&2
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work/pg"
as_pg "$PG_BIN/initdb" -D "$work/pg/data" -A trust -U portal -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$work/initdb.log" 2>&1
as_pg "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PG -k $work/pg -c max_connections=200" -w -t 60 start >/dev/null
redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 & pids+=($!)

hash=$(sed -n "s/^ *password: '\(.*\)'$/\1/p" src/Portal/Demo/users_database.yml | head -1)
{
  echo "users:"
  for i in $(seq 1 "$USERS"); do
    printf "  user%s:\n    displayname: 'User %s'\n    password: '%s'\n    email: 'user%s@example.com'\n    groups: []\n" "$i" "$i" "$hash" "$i"
  done
} > "$work/users.yml"

portal_config() { # port dir storage
  mkdir -p "$2"
  cat > "$2/portal.yml" <<CONF
server: { address: 'tcp://127.0.0.1:$1/', trusted_proxies: ['127.0.0.0/8'] }
log: { level: error }
authentication_backend: { file: { path: '$work/users.yml' } }
session:
  secret: 'bench-session-secret-0123456789abcdef'
  cookies: [ { domain: example.com, authelia_url: 'https://auth.example.com/' } ]
  redis: { host: '127.0.0.1', port: $REDIS }
storage:
  encryption_key: 'bench-encryption-key-0123456789'
$3
notifier: { filesystem: { filename: '$2/notification.txt' } }
access_control:
  default_policy: deny
  rules:
    - { domain: 'app.example.com', policy: one_factor }
CONF
}
postgres="  postgres: { address: 'tcp://127.0.0.1:$PG', database: postgres, schema: bench, username: portal }"
portal_config "$NODE1" "$work/node1" "$postgres"
portal_config "$NODE2" "$work/node2" "$postgres"
portal_config "$LITE" "$work/lite" "  local: { path: '$work/lite/db.sqlite3' }"
wait_port "$REDIS" redis
# One node first: it migrates the schema; the second then finds it done.
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/node1/portal.yml" >"$work/node1/log" 2>&1 & pids+=($!)
wait_port "$NODE1" "portal node 1"
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/node2/portal.yml" >"$work/node2/log" 2>&1 & pids+=($!)
dotnet src/Portal/bin/Release/net10.0/portal.dll serve --config "$work/lite/portal.yml" >"$work/lite/log" 2>&1 & pids+=($!)
wait_port "$NODE2" "portal node 2"; wait_port "$LITE" "portal on SQLite"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=example.com \
  -addext 'subjectAltName=DNS:*.example.com,DNS:example.com' -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1

nginx_front() { # dir port portal-servers
  local dir=$1
  mkdir -p "$dir/snippets" "$dir/conf.d" "$dir/sites" "$dir/tmp"
  cp deploy/nginx/snippets/proxy.conf deploy/nginx/snippets/portal-location.conf deploy/nginx/snippets/portal-authrequest.conf "$dir/snippets/"
  sed -e "s|server portal:9091;|$3|" -e "s|server app:8080;|server 127.0.0.1:$APP;|" deploy/nginx/conf.d/portal-upstreams.conf > "$dir/conf.d/portal-upstreams.conf"
  for site in auth.example.com app.example.com; do
    sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$2 ssl;|" -e "s|/etc/ssl/example.com/fullchain.pem|$work/cert.pem|" \
      -e "s|/etc/ssl/example.com/privkey.pem|$work/key.pem|" "deploy/nginx/sites/$site.conf" > "$dir/sites/$site.conf"
  done
  # Foreground, one worker, every writable path in the directory (as the proxy tests run it).
  cat > "$dir/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include conf.d/portal-upstreams.conf;
    include sites/auth.example.com.conf;
    include sites/app.example.com.conf;
    # The protected app: a static answer, so the figures are the proxy's and the portal's.
    server { listen 127.0.0.1:$APP; location / { return 200 "app\n"; } }
}
CONF
}
nginx_front "$work/nginx-one" "$ONE" "server 127.0.0.1:$NODE1;"
# The app server is declared once; the second nginx only fronts the portal nodes.
nginx_front "$work/nginx-two" "$TWO" "server 127.0.0.1:$NODE1; server 127.0.0.1:$NODE2;"
sed -i '/# The protected app/,+1d' "$work/nginx-two/nginx.conf"
nginx -p "$work/nginx-one" -c "$work/nginx-one/nginx.conf" -e "$work/nginx-one/error.log" >"$work/nginx-one/out.log" 2>&1 & pids+=($!)
nginx -p "$work/nginx-two" -c "$work/nginx-two/nginx.conf" -e "$work/nginx-two/error.log" >"$work/nginx-two/out.log" 2>&1 & pids+=($!)
wait_port "$ONE" "nginx (one node)"; wait_port "$TWO" "nginx (two nodes)"; wait_port "$APP" "app"

login() { # nginx port
  curl -sk --resolve "auth.example.com:$1:127.0.0.1" -D - -o /dev/null "https://auth.example.com:$1/api/firstfactor" \
    -H 'Content-Type: application/json' -d '{"username":"user1","password":"portal-demo"}' \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: authelia_session=\([^;]*\).*/\1/p' | head -1
}
one_cookie=$(login "$ONE"); two_cookie=$(login "$TWO")
[ -n "$one_cookie" ] && [ -n "$two_cookie" ] || { echo "bench-cluster: login through nginx failed" >&2; cat "$work"/node*/log "$work"/nginx-*/error.log >&2; exit 1; }

# Each case must answer 200 before it is measured: a benchmark of redirects is no benchmark.
check_app() { # port cookie
  local code
  code=$(curl -sk -o /dev/null -w '%{http_code}' --resolve "app.example.com:$1:127.0.0.1" -H "Cookie: authelia_session=$2" "https://app.example.com:$1/dashboard")
  [ "$code" = 200 ] || { echo "bench-cluster: the app through nginx on $1 answers $code, not 200" >&2; exit 1; }
}
check_app "$ONE" "$one_cookie"; check_app "$TWO" "$two_cookie"
# Both nodes must know the session made through either: ask each directly.
for node in "$NODE1" "$NODE2"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$node/api/authz/forward-auth" -H 'X-Forwarded-Proto: https' \
    -H 'X-Forwarded-Host: app.example.com' -H 'X-Forwarded-Uri: /dashboard' -H 'X-Forwarded-Method: GET' -H "Cookie: authelia_session=$two_cookie")
  [ "$code" = 200 ] || { echo "bench-cluster: node on $node answers $code for the session, not 200" >&2; exit 1; }
done

cat > "$work/signin.lua" <<'LUA'
-- A sign-in of one of the bench users from an address of its own.
local users = tonumber(os.getenv("BENCH_USERS"))
math.randomseed(os.time())
request = function()
  local body = string.format('{"username":"user%d","password":"portal-demo"}', math.random(1, users))
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("POST", "/api/firstfactor", {
    ["Host"] = "auth.example.com", ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = ip,
    ["Content-Type"] = "application/json" }, body)
end
LUA
for node in "$NODE1" "$LITE"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$node/api/firstfactor" -H 'Host: auth.example.com' \
    -H 'X-Forwarded-Proto: https' -H 'Content-Type: application/json' -d '{"username":"user2","password":"portal-demo"}')
  [ "$code" = 200 ] || { echo "bench-cluster: sign-in on $node answers $code, not 200" >&2; exit 1; }
done

run_wrk() { # connections url args...
  local c=$1 url=$2; shift 2
  BENCH_USERS=$USERS wrk -t2 "-c$c" "-d${DURATION}s" --latency "$@" "$url"
}
forward_auth() { # port cookie
  run_wrk "$CONNECTIONS" "https://127.0.0.1:$1/dashboard" -H 'Host: app.example.com' -H 'Accept: text/html' -H "Cookie: authelia_session=$2"
}
sign_in() { # port
  # An argon2id check takes long on a busy machine: wait for it rather than count it as a timeout.
  run_wrk "$SIGNIN_CONNECTIONS" "http://127.0.0.1:$1/api/firstfactor" -s "$work/signin.lua" --timeout 30s
}
# .NET's tiered JIT needs several seconds of load before its code is final: warm every path first.
echo "bench-cluster: warming up…" >&2
forward_auth "$ONE" "$one_cookie" >/dev/null 2>&1 || true
forward_auth "$TWO" "$two_cookie" >/dev/null 2>&1 || true
sign_in "$NODE1" >/dev/null 2>&1 || true
sign_in "$LITE" >/dev/null 2>&1 || true

results=()
measure() { # name output
  local rps p99 errors socket
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$2")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$2")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$2")
  socket=$(awk '/Socket errors:/ {print $0}' <<<"$2")
  results+=("$1|$rps|$p99|${errors:-0}|$socket")
}
echo "bench-cluster: measuring…" >&2
measure "a. forward-auth, nginx -> 1 node" "$(forward_auth "$ONE" "$one_cookie")"
measure "b. forward-auth, nginx -> 2 nodes" "$(forward_auth "$TWO" "$two_cookie")"
measure "c. sign-in, PostgreSQL" "$(sign_in "$NODE1")"
measure "c. sign-in, SQLite" "$(sign_in "$LITE")"

to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else printf "%.3f", v * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
echo
echo "$(nproc) cores, loopback, Release; wrk -t2 -d${DURATION}s: forward-auth -c$CONNECTIONS over TLS to nginx (1 worker),"
echo "sign-ins -c$SIGNIN_CONNECTIONS straight to the node ($USERS users, one address per request); sessions in Redis"
printf '%-36s %10s %10s %10s %s\n' "case" "req/s" "p99" "non-2xx" ""
for r in "${results[@]}"; do
  IFS='|' read -r name rps p99 errors socket <<<"$r"
  printf '%-36s %10s %10s %10s %s\n' "$name" "$rps" "$p99" "$errors" "$socket"
done
IFS='|' read -r _ a_rps a_p99 _ _ <<<"${results[0]}"
IFS='|' read -r _ b_rps b_p99 _ _ <<<"${results[1]}"
IFS='|' read -r _ pg_rps pg_p99 _ _ <<<"${results[2]}"
IFS='|' read -r _ lite_rps lite_p99 _ _ <<<"${results[3]}"
echo
printf '%-36s %10s %10s\n' "ratio" "req/s" "p99"
printf '%-36s %10s %10s\n' "two nodes / one node (b / a)" "$(ratio "$b_rps" "$a_rps")" "$(ratio "$(to_ms "$b_p99")" "$(to_ms "$a_p99")")"
printf '%-36s %10s %10s\n' "sign-in PostgreSQL / SQLite" "$(ratio "$pg_rps" "$lite_rps")" "$(ratio "$(to_ms "$pg_p99")" "$(to_ms "$lite_p99")")"
