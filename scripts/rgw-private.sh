#!/usr/bin/env bash
# A private S3 endpoint for fault tests: a second radosgw (client.rgw.faults) on the cluster and zone of
# scripts/rgw.sh, serving the same buckets and S3 user on 127.0.0.1:PORT, which a test may kill and start
# again while the shared one on RBDSTACK_RGW_PORT serves everyone else. Needs rgw.sh started first (the
# pools and the S3 user are its). Its key, log and sockets live in DIR; nothing goes to services.properties.
# usage: rgw-private.sh start DIR PORT   (ready on return; restarts what runs in DIR)
#        rgw-private.sh kill DIR         (SIGKILL: the gateway dies as in a crash)
#        rgw-private.sh fence DIR        (blocklists the Ceph clients of the gateway that ran in DIR)
#        rgw-private.sh stop DIR         (kill, fence, delete its cephx user: for the end of a test)
#
# Why fence: every radosgw watches the zone's control objects. A killed one's watches stay until the OSD
# times them out (osd_client_watch_timeout, 30 s), and until then each notify of the other gateways
# (a bucket created or deleted through the shared one) waits for the dead watcher: 30 s per bucket. As an
# admin fences a crashed gateway, `ceph osd blocklist add` of its client addresses (recorded at its start,
# from the monitor's sessions of its own cephx name client.rgw.faults-PORT) drops its watches at once.
source "$(dirname "$0")/common.sh"

C="$RBDSTACK_STATE_DIR/ceph"
CEPH_CONF="$C/ceph.conf"
ADMIN_KEYRING="$C/ceph.client.admin.keyring"
# Blocklist entries of dead clients' addresses (unique nonces) harm nobody; they expire after this.
FENCE_SECONDS=600

ceph_admin() {
  local dir=$1
  shift
  ceph --conf "$CEPH_CONF" --name client.admin --keyring "$ADMIN_KEYRING" --connect-timeout 10 \
    --admin-socket "$dir/ceph-cli.asok" "$@" 2>>"$dir/radosgw.log"
}

# record_clients DIR NAME: the client addresses of the monitor's sessions of cephx user NAME, one a line.
record_clients() {
  local dir=$1 name=$2
  ceph_admin "$dir" tell mon.a sessions -f json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s.get("entity_name") == sys.argv[1]:
        for a in s["addrs"]["addrvec"]:
            print("%s/%d" % (a["addr"], a["nonce"]))' "$name" | sort -u > "$dir/clients"
  [[ -s $dir/clients ]] || die "no monitor session of $name found: cannot fence it later"
}

# fence DIR: one ceph CLI for all the addresses (its interactive mode reads commands from stdin but exits
# 0 whatever they do, so the answers are counted).
fence() {
  local dir=$1 out fenced
  [[ -s $dir/clients ]] || { rm -f "$dir/clients"; return 0; }
  out=$(sed "s|.*|osd blocklist add & $FENCE_SECONDS|" "$dir/clients" | ceph --conf "$CEPH_CONF" --name client.admin \
    --keyring "$ADMIN_KEYRING" --connect-timeout 10 --admin-socket "$dir/ceph-cli.asok" 2>&1) # answers on stderr
  fenced=$(grep -c '^blocklisting ' <<<"$out" || true)
  (( fenced == $(wc -l < "$dir/clients") )) || die "could not blocklist the clients in $dir/clients: $out"
  rm -f "$dir/clients"
}

kill_pidfile() {
  local pidfile=$1 pid
  if pid_alive "$pidfile"; then
    pid=$(tr -dc '0-9' < "$pidfile")
    kill -KILL "$pid" 2>/dev/null || true
    while process_running "$pid"; do sleep 0.05; done
  fi
  rm -f "$pidfile"
}

start() {
  local dir=$1 port=$2 t0 name
  t0=$(now_ms)
  name=faults-$port
  command -v radosgw >/dev/null || die "radosgw is missing: run scripts/install-packages.sh"
  [[ -f $CEPH_CONF ]] || die "no Ceph cluster at $C: run scripts/ceph.sh start first"
  kill_pidfile "$dir/radosgw.pid"
  fence "$dir"
  ss -Hltn "sport = :$port" | grep -q . && die "port $port is taken"
  mkdir -p "$dir/data"
  chmod 700 "$dir"
  ceph_admin "$dir" auth get-or-create "client.rgw.$name" mon 'allow rw' osd 'allow rwx' -o "$dir/keyring"
  chmod 600 "$dir/keyring"
  setsid radosgw -f --conf "$CEPH_CONF" -n "client.rgw.$name" -k "$dir/keyring" \
    --rgw-frontends "beast endpoint=127.0.0.1:$port" --rgw-data "$dir/data" --log-file "$dir/radosgw.log" \
    --admin-socket "$dir/radosgw.asok" --pid-file "$dir/radosgw.daemon.pid" --rgw-thread-pool-size 16 \
    </dev/null >>"$dir/radosgw.log" 2>&1 &
  echo $! > "$dir/radosgw.pid"
  WATCH_PIDFILE=$dir/radosgw.pid wait_for "private radosgw serving http://127.0.0.1:$port" 30 "$dir/radosgw.log" \
    curl -fsS -o /dev/null "http://127.0.0.1:$port/"
  record_clients "$dir" "client.rgw.$name"
  echo "client.rgw.$name" > "$dir/name"
  log "private radosgw up: http://127.0.0.1:$port (pid $(cat "$dir/radosgw.pid")) in $(elapsed "$t0")"
}

# The end of a test: the gateway killed and fenced, its cephx user deleted.
stop() {
  local dir=$1
  kill_pidfile "$dir/radosgw.pid"
  fence "$dir"
  if [[ -s $dir/name ]]; then
    ceph_admin "$dir" auth del "$(cat "$dir/name")"
    rm -f "$dir/name" "$dir/keyring"
  fi
}

case "${1:-}" in
  start) (( $# == 3 )) || die "usage: $0 start DIR PORT"; start "$(realpath -m "$2")" "$3" ;;
  kill) (( $# == 2 )) || die "usage: $0 $1 DIR"; kill_pidfile "$(realpath -m "$2")/radosgw.pid" ;;
  fence) (( $# == 2 )) || die "usage: $0 $1 DIR"; fence "$(realpath -m "$2")" ;;
  stop) (( $# == 2 )) || die "usage: $0 $1 DIR"; stop "$(realpath -m "$2")" ;;
  *) die "usage: $0 start DIR PORT | kill DIR | fence DIR | stop DIR" ;;
esac
