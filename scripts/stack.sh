#!/usr/bin/env bash
# The local stack: PostgreSQL 15, Redis 7, the S3 emulator and Azurite, on 127.0.0.1 only,
# with data in .stack/<name>/ (git-ignored).
#
#   scripts/stack.sh up [services...]     install what is missing, start, wait, write .stack/<name>/env
#   scripts/stack.sh down [services...]   stop only what this stack started (by pid)
#   scripts/stack.sh status               what runs
#   scripts/stack.sh env                  print the settings the apps need
#   scripts/stack.sh install-browser      install Debian's chromium (the web console's browser tests)
#   scripts/stack.sh install-prometheus   install Debian's prometheus 2.42 with promtool (the monitoring tests);
#                                         nothing is started: the tests run their own Prometheus on a free port
#
# Services: postgres redis s3 azurite (default: all). STACK_NAME picks the instance (default dev);
# ports come from PG_PORT, REDIS_PORT, S3_PORT, AZURITE_BLOB_PORT (queue and table follow it),
# so tests can run a second stack beside a developer's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_NAME="${STACK_NAME:-dev}"
STACK_DIR="$ROOT/.stack/$STACK_NAME"
TOOLS_DIR="$ROOT/.stack/tools"
HOST=127.0.0.1

if [[ "$STACK_NAME" == "test" ]]; then
  PG_PORT="${PG_PORT:-55433}"; REDIS_PORT="${REDIS_PORT:-56380}"; S3_PORT="${S3_PORT:-4569}"; AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10010}"
else
  PG_PORT="${PG_PORT:-55432}"; REDIS_PORT="${REDIS_PORT:-56379}"; S3_PORT="${S3_PORT:-4568}"; AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
fi
AZURITE_QUEUE_PORT=$((AZURITE_BLOB_PORT + 1))
AZURITE_TABLE_PORT=$((AZURITE_BLOB_PORT + 2))
PG_DB=ffmpegfunctions
S3_BUCKET=ffmpegfunctions
PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '[stack:%s] %s\n' "$STACK_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_port() { # name port seconds [pidfile]
  local deadline=$((SECONDS + $3))
  until port_open "$2"; do
    (( SECONDS < deadline )) || die "$1 did not answer on $HOST:$2 within $3 s (see $STACK_DIR/$1.log)"
    [[ -z "${4:-}" ]] || pid_alive "$4" || die "$1 exited at start (see $STACK_DIR/$1.log)"
    sleep 0.2
  done
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

as_postgres() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ---------- installs ----------
install_debian() { # packages...
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  (( ${#missing[@]} == 0 )) && return 0
  [[ $EUID -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})"
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_node_tools() {
  if [[ -f "$TOOLS_DIR/node_modules/.installed" ]] && cmp -s "$ROOT/scripts/stack/package-lock.json" "$TOOLS_DIR/package-lock.json"; then
    return 0
  fi
  command -v npm >/dev/null || die "npm is required for the S3 emulator and Azurite"
  log "installing the S3 emulator and Azurite into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  cp "$ROOT/scripts/stack/package.json" "$ROOT/scripts/stack/package-lock.json" "$TOOLS_DIR/"
  (cd "$TOOLS_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$TOOLS_DIR/npm.log") \
    || die "npm ci failed (see $TOOLS_DIR/npm.log)"
  touch "$TOOLS_DIR/node_modules/.installed"
}

# ---------- services ----------
# PostgreSQL runs as the postgres user when we are root; it must reach its data folder. A checkout
# under a private home (e.g. /root) is not traversable by it, so its files then live in /var/tmp.
pg_home() {
  if [[ $EUID -ne 0 ]] || runuser -u postgres -- test -x "$STACK_DIR" 2>/dev/null; then
    echo "$STACK_DIR"
  else
    echo "/var/tmp/ffmpegfunctions-pg/$(printf '%s' "$ROOT" | md5sum | cut -c1-12)/$STACK_NAME"
  fi
}

up_postgres() {
  mkdir -p "$STACK_DIR"
  local home; home="$(pg_home)"
  local data="$home/postgres" sock="$home/run" pglog="$home/postgres.log"
  if [[ "$home" != "$STACK_DIR" ]]; then mkdir -p "$home"; chown postgres:postgres "$home"; fi
  if [[ -f "$data/postmaster.pid" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "postgres already running on $PG_PORT"; return 0
  fi
  port_open "$PG_PORT" && die "port $PG_PORT is taken by something else (set PG_PORT)"
  mkdir -p "$data" "$sock"
  if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$data" "$sock"; chmod 700 "$data"; fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$STACK_DIR/postgres-init.log" 2>&1 \
      || die "initdb failed (see $STACK_DIR/postgres-init.log)"
  fi
  touch "$pglog"; [[ $EUID -eq 0 ]] && chown postgres:postgres "$pglog"
  as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$pglog" -w -t 30 \
    -o "-c listen_addresses=$HOST -p $PG_PORT -k $sock -c max_connections=200 -c fsync=off -c synchronous_commit=off" start >/dev/null \
    || die "postgres failed to start (see $pglog)"
  head -n1 "$data/postmaster.pid" >"$STACK_DIR/postgres.pid"
  as_postgres psql -h "$HOST" -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" | grep -q 1 \
    || as_postgres psql -h "$HOST" -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $PG_DB" >/dev/null
  log "postgres up on $HOST:$PG_PORT"
}

down_postgres() {
  local data; data="$(pg_home)/postgres"
  [[ -f "$data/postmaster.pid" ]] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 && log "postgres stopped" || true
  rm -f "$STACK_DIR/postgres.pid"
}

up_redis() {
  local pidf="$STACK_DIR/redis.pid"
  if pid_alive "$pidf"; then log "redis already running on $REDIS_PORT"; return 0; fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by something else (set REDIS_PORT)"
  mkdir -p "$STACK_DIR/redis"
  redis-server --port "$REDIS_PORT" --bind "$HOST" --daemonize yes --dir "$STACK_DIR/redis" \
    --pidfile "$pidf" --logfile "$STACK_DIR/redis.log" --save "" --appendonly no >/dev/null
  wait_port redis "$REDIS_PORT" 15
  log "redis up on $HOST:$REDIS_PORT"
}

down_redis() {
  local pidf="$STACK_DIR/redis.pid"
  pid_alive "$pidf" || { rm -f "$pidf"; return 0; }
  local pid; pid="$(head -n1 "$pidf")"
  redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  wait_gone "$pid" redis; rm -f "$pidf"
}

up_node_service() { # name port command...
  local name="$1" port="$2"; shift 2
  local pidf="$STACK_DIR/$name.pid" stamp="$STACK_DIR/$name.stamp"
  # A running emulator started by an older version of this script (other flags, other start code) is restarted.
  local fingerprint; fingerprint="$(printf '%s\n' "$@" | cat - "$ROOT/scripts/stack/s3rver.js" "$ROOT/scripts/stack/package-lock.json" | md5sum | cut -c1-32)"
  if pid_alive "$pidf"; then
    if [[ "$(cat "$stamp" 2>/dev/null)" == "$fingerprint" ]]; then log "$name already running on $port"; return 0; fi
    log "$name was started by an older configuration; restarting it"
    down_node_service "$name"
  fi
  port_open "$port" && die "port $port is taken by something else"
  nohup setsid "$@" >"$STACK_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$pidf"
  echo "$fingerprint" >"$stamp"
  wait_port "$name" "$port" 30 "$pidf"
  log "$name up on $HOST:$port"
}

wait_gone() { # pid name
  local deadline=$((SECONDS + 10))
  while kill -0 "$1" 2>/dev/null; do
    (( SECONDS < deadline )) || { kill -9 "$1" 2>/dev/null || true; break; }
    sleep 0.1
  done
  log "$2 stopped"
}

down_node_service() { # name
  local pidf="$STACK_DIR/$1.pid"
  pid_alive "$pidf" || { rm -f "$pidf"; return 0; }
  local pid; pid="$(head -n1 "$pidf")"
  # Azurite closes its ports on the first SIGTERM but keeps running: the group gets a second one.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  sleep 0.3
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait_gone "$pid" "$1"; rm -f "$pidf"
}

up_s3() {
  mkdir -p "$STACK_DIR/s3"
  # s3rver makes list continuation tokens with DES, which Node's OpenSSL 3 only offers as a legacy algorithm.
  NODE_PATH="$TOOLS_DIR/node_modules" up_node_service s3 "$S3_PORT" node --openssl-legacy-provider "$ROOT/scripts/stack/s3rver.js" "$HOST" "$S3_PORT" "$STACK_DIR/s3" "$S3_BUCKET"
}

up_azurite() {
  mkdir -p "$STACK_DIR/azurite"
  up_node_service azurite "$AZURITE_BLOB_PORT" "$TOOLS_DIR/node_modules/.bin/azurite" --silent --location "$STACK_DIR/azurite" \
    --blobHost "$HOST" --blobPort "$AZURITE_BLOB_PORT" --queueHost "$HOST" --queuePort "$AZURITE_QUEUE_PORT" \
    --tableHost "$HOST" --tablePort "$AZURITE_TABLE_PORT" --skipApiVersionCheck --loose
  wait_port azurite-queue "$AZURITE_QUEUE_PORT" 15
  wait_port azurite-table "$AZURITE_TABLE_PORT" 15
}

write_env() {
  local azurite_cs="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://$HOST:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://$HOST:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://$HOST:$AZURITE_TABLE_PORT/devstoreaccount1;"
  cat >"$STACK_DIR/env" <<EOF
# written by scripts/stack.sh for stack '$STACK_NAME'; source it before starting the Server or tests
export STACK_NAME='$STACK_NAME'
export PG_PORT='$PG_PORT' REDIS_PORT='$REDIS_PORT' S3_PORT='$S3_PORT' AZURITE_BLOB_PORT='$AZURITE_BLOB_PORT'
export ConnectionStrings__Postgres='Host=$HOST;Port=$PG_PORT;Username=postgres;Database=$PG_DB'
export ConnectionStrings__Redis='$HOST:$REDIS_PORT'
export S3__ServiceUrl='http://$HOST:$S3_PORT'
export S3__Bucket='$S3_BUCKET'
export S3__AccessKey='S3RVER'
export S3__SecretKey='S3RVER'
export S3__ForcePathStyle='true'
export AzureWebJobsStorage='$azurite_cs'
EOF
}

# ---------- commands ----------
ALL=(postgres redis s3 azurite)

cmd_up() {
  local services=("$@"); (( ${#services[@]} )) || services=("${ALL[@]}")
  mkdir -p "$STACK_DIR"
  local debs=(ffmpeg fonts-dejavu-core)
  for s in "${services[@]}"; do
    case "$s" in
      postgres) debs+=(postgresql) ;;
      redis) debs+=(redis-server) ;;
      s3|azurite) ;;
      *) die "unknown service '$s' (postgres redis s3 azurite)" ;;
    esac
  done
  install_debian "${debs[@]}"
  for s in "${services[@]}"; do [[ "$s" == s3 || "$s" == azurite ]] && { install_node_tools; break; }; done
  for s in "${services[@]}"; do "up_$s"; done
  write_env
  log "settings: $STACK_DIR/env"
}

cmd_down() {
  local services=("$@"); (( ${#services[@]} )) || services=(azurite s3 redis postgres)
  for s in "${services[@]}"; do
    case "$s" in
      postgres) down_postgres ;; redis) down_redis ;;
      s3|azurite) down_node_service "$s" ;;
      *) die "unknown service '$s'" ;;
    esac
  done
}

cmd_status() {
  printf 'postgres %s\nredis    %s\ns3       %s\nazurite  %s\n' \
    "$(port_open "$PG_PORT" && echo "up :$PG_PORT" || echo down)" \
    "$(pid_alive "$STACK_DIR/redis.pid" && echo "up :$REDIS_PORT" || echo down)" \
    "$(pid_alive "$STACK_DIR/s3.pid" && echo "up :$S3_PORT" || echo down)" \
    "$(pid_alive "$STACK_DIR/azurite.pid" && echo "up :$AZURITE_BLOB_PORT" || echo down)"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  install-browser) install_debian chromium fonts-dejavu-core ;;
  install-prometheus) install_debian prometheus ;;
  env) [[ -f "$STACK_DIR/env" ]] || die "no env yet: run '$0 up' first"; cat "$STACK_DIR/env" ;;
  *) echo "usage: $0 up|down|status|env|install-browser|install-prometheus [postgres redis s3 azurite]" >&2; exit 2 ;;
esac
