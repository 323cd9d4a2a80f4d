#!/usr/bin/env bash
# Start-up benchmark of the management server: time from `java -jar` to the first API answer, and
# from SIGTERM to exit, on a fresh schema (every upgrade applied) and on the existing schema, with
# the harness MariaDB and with the embedded one. Needs scripts/services.sh start mariadb.
# usage: scripts/bench-startup.sh [runs per case, default 3]
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-3}
jar="$here/../engine/server/target/rbdstack-server.jar"
root_cnf="$RBDSTACK_STATE_DIR/mariadb/root-client.cnf"
[[ -f $root_cnf ]] || die "the harness MariaDB is not running: scripts/services.sh start mariadb"
(cd "$here/.." && flock /tmp/rbdstack-mvn.lock mvn -B -q package -DskipTests -pl engine/server -am) || die "build failed"

work=$(mktemp -d /tmp/rbdstack-bench.XXXXXX)
port=18080
schema="cloud_test_bench_$$"
trap 'mariadb --defaults-file="$root_cnf" -e "DROP DATABASE IF EXISTS $schema"; rm -rf "$work"' EXIT

# one_run CONFIG_DIR -> prints "<start ms> <stop ms>"
one_run() {
  local conf=$1 t0 t1 t2 pid
  t0=$(now_ms)
  java -jar "$jar" --config-dir "$conf" > "$work/server.log" 2>&1 &
  pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/client/api?command=listZones") == 401 ]]; do
    kill -0 "$pid" 2>/dev/null || die_with_log "the server exited during start-up" "$work/server.log"
    sleep 0.02
  done
  t1=$(now_ms)
  kill -TERM "$pid"
  wait "$pid" || true
  t2=$(now_ms)
  echo "$((t1 - t0)) $((t2 - t1))"
}

service_property() { grep "^$1=" "$SERVICES_FILE" | cut -d= -f2-; }

prepare() { # prepare NAME [db] -> config dir
  local conf="$work/$1"
  mkdir -p "$conf"
  printf 'benchmark-admin-password\n' > "$conf/admin.password"
  printf 'http.address=127.0.0.1\nhttp.port=%s\nagent.address=127.0.0.1\nagent.port=18250\nadmin.password.file=%s\nembedded.db.dir=%s\nshutdown.grace.seconds=5\n' \
    "$port" "$conf/admin.password" "$conf/db" > "$conf/server.properties"
  if [[ ${2:-} == db ]]; then
    umask 077
    printf 'db.cloud.host=127.0.0.1\ndb.cloud.port=%s\ndb.cloud.name=%s\ndb.cloud.username=%s\ndb.cloud.password=%s\ndb.cloud.url.params=serverTimezone=UTC\ndb.cloud.encrypt.secret=bench\n' \
      "$(service_property db.port)" "$schema" "$(service_property db.username)" \
      "$(cat "$(service_property db.password.file)")" > "$conf/db.properties"
  fi
  echo "$conf"
}

printf '%-44s %12s %12s\n' "case (median of $runs)" "start ms" "stop ms"
bench() { # bench LABEL CONFIG_DIR FRESH_CMD
  local label=$1 conf=$2 fresh=$3 starts=() stops=() i s
  for ((i = 0; i < runs; i++)); do
    [[ -n $fresh ]] && eval "$fresh"
    read -r s t < <(one_run "$conf")
    starts+=("$s"); stops+=("$t")
  done
  printf '%-44s %12s %12s\n' "$label" \
    "$(printf '%s\n' "${starts[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")" \
    "$(printf '%s\n' "${stops[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")"
}

conf=$(prepare mariadb db)
bench "MariaDB 10.11, fresh schema (V1..Vn applied)" "$conf" \
  "mariadb --defaults-file='$root_cnf' -e 'DROP DATABASE IF EXISTS $schema; CREATE DATABASE $schema'"
bench "MariaDB 10.11, existing schema" "$conf" ""
conf=$(prepare embedded)
bench "embedded MariaDB, fresh data dir" "$conf" "rm -rf '$conf/db' '$conf/db.encrypt.secret'"
bench "embedded MariaDB, existing data dir" "$conf" ""
