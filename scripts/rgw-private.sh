#!/usr/bin/env bash
# A private S3 endpoint for fault tests: a second radosgw (client.rgw.faults) on the cluster and zone of
# scripts/rgw.sh, serving the same buckets and S3 user on 127.0.0.1:PORT, which a test may kill and start
# again while the shared one on RBDSTACK_RGW_PORT serves everyone else. Needs rgw.sh started first (the
# pools and the S3 user are its). Its key, log and sockets live in DIR; nothing goes to services.properties.
# usage: rgw-private.sh start DIR PORT   (ready on return; restarts what runs in DIR)
#        rgw-private.sh kill DIR         (SIGKILL: the gateway dies as in a crash)
#        rgw-private.sh stop DIR         (the same, for the end of a test)
source "$(dirname "$0")/common.sh"

C="$RBDSTACK_STATE_DIR/ceph"
CEPH_CONF="$C/ceph.conf"
ADMIN_KEYRING="$C/ceph.client.admin.keyring"
NAME=faults

kill_pidfile() {
  local pidfile=$1 pid
  if pid_alive "$pidfile"; then
    pid=$(tr -dc '0-9' < "$pidfile")
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -f "$pidfile"
}

start() {
  local dir=$1 port=$2 t0
  t0=$(now_ms)
  command -v radosgw >/dev/null || die "radosgw is missing: run scripts/install-packages.sh"
  [[ -f $CEPH_CONF ]] || die "no Ceph cluster at $C: run scripts/ceph.sh start first"
  kill_pidfile "$dir/radosgw.pid"
  ss -Hltn "sport = :$port" | grep -q . && die "port $port is taken"
  mkdir -p "$dir/data"
  chmod 700 "$dir"
  ceph --conf "$CEPH_CONF" --name client.admin --keyring "$ADMIN_KEYRING" --connect-timeout 10 \
    --admin-socket "$dir/ceph-cli.asok" auth get-or-create "client.rgw.$NAME" mon 'allow rw' osd 'allow rwx' \
    -o "$dir/keyring" 2>>"$dir/radosgw.log"
  chmod 600 "$dir/keyring"
  setsid radosgw -f --conf "$CEPH_CONF" -n "client.rgw.$NAME" -k "$dir/keyring" \
    --rgw-frontends "beast endpoint=127.0.0.1:$port" --rgw-data "$dir/data" --log-file "$dir/radosgw.log" \
    --admin-socket "$dir/radosgw.asok" --pid-file "$dir/radosgw.daemon.pid" --rgw-thread-pool-size 16 \
    </dev/null >>"$dir/radosgw.log" 2>&1 &
  echo $! > "$dir/radosgw.pid"
  WATCH_PIDFILE=$dir/radosgw.pid wait_for "private radosgw serving http://127.0.0.1:$port" 30 "$dir/radosgw.log" \
    curl -fsS -o /dev/null "http://127.0.0.1:$port/"
  log "private radosgw up: http://127.0.0.1:$port (pid $(cat "$dir/radosgw.pid")) in $(elapsed "$t0")"
}

case "${1:-}" in
  start) (( $# == 3 )) || die "usage: $0 start DIR PORT"; start "$(realpath -m "$2")" "$3" ;;
  kill | stop) (( $# == 2 )) || die "usage: $0 $1 DIR"; kill_pidfile "$(realpath -m "$2")/radosgw.pid" ;;
  *) die "usage: $0 start DIR PORT | kill DIR | stop DIR" ;;
esac
