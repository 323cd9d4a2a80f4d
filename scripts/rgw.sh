#!/usr/bin/env bash
# An S3 endpoint for the tests: Ceph's RADOS Gateway (Debian's radosgw, beast frontend) on the
# cluster of scripts/ceph.sh, listening on 127.0.0.1:RBDSTACK_RGW_PORT (7480), with one S3 user whose
# keys go into services.properties (s3.*). Needs ceph.sh started first.
# The cluster cannot delete pools and has a budget of 250 PGs for its one OSD, so RGW's seven pools
# are created here first with 1 PG each (8 for bucket data) — left to RGW they would take ~224 PGs.
# A memstore cluster rebuilt by ceph.sh has new keys and no pools: start notices, recreates them and
# restarts radosgw.
# usage: rgw.sh start|stop|status
source "$(dirname "$0")/common.sh"

C="$RBDSTACK_STATE_DIR/ceph"
CEPH_CONF="$C/ceph.conf"
ADMIN_KEYRING="$C/ceph.client.admin.keyring"
R="$RBDSTACK_STATE_DIR/rgw"
NAME=rbdstack
KEYRING="$R/ceph.client.rgw.$NAME.keyring"
PIDFILE="$R/radosgw.pid"
LOGFILE="$R/radosgw.log"
ASOK="$R/radosgw.asok"
ADMIN_LOG="$R/radosgw-admin.log"
ADMIN_ASOK="$R/radosgw-admin.asok"
FSID_FILE="$R/cluster.fsid"
PORT=${RBDSTACK_RGW_PORT:-7480}
ENDPOINT="127.0.0.1:$PORT"
S3_USER=rbdstack-tests
REGION=us-east-1
# name:pg_num. RGW creates no other pool once these exist.
POOLS=(.rgw.root:1 default.rgw.control:1 default.rgw.meta:1 default.rgw.log:1 default.rgw.buckets.index:1
  default.rgw.buckets.non-ec:1 default.rgw.buckets.data:8)

# Its own admin socket: the default one of client.admin is taken by any other client.admin running.
ceph_cli() {
  ceph --conf "$CEPH_CONF" --name client.admin --keyring "$ADMIN_KEYRING" --connect-timeout 10 \
    --admin-socket "$R/ceph-cli.asok" "$@"
}
rgw_admin() {
  radosgw-admin --conf "$CEPH_CONF" --name client.admin --keyring "$ADMIN_KEYRING" \
    --log-file "$ADMIN_LOG" --admin-socket "$ADMIN_ASOK" "$@"
}
serving() { curl -fsS -o /dev/null "http://$ENDPOINT/"; }
cluster_fsid() { awk -F' = ' '$1 == "fsid" {print $2}' "$CEPH_CONF"; }

create_pools() {
  local existing entry pool pgs
  existing=$(ceph_cli osd pool ls)
  for entry in "${POOLS[@]}"; do
    pool=${entry%%:*} pgs=${entry##*:}
    if ! grep -qxF "$pool" <<<"$existing"; then
      ceph_cli osd pool create "$pool" "$pgs" "$pgs" >/dev/null 2>&1
      ceph_cli osd pool application enable "$pool" rgw >/dev/null 2>&1
    fi
  done
}

# The S3 user's keys, as RGW generated them when it made the user (never on a command line): written
# to files of mode 600 under the state dir.
ensure_user() {
  local info
  info=$(rgw_admin user info --uid="$S3_USER" 2>/dev/null) \
    || info=$(rgw_admin user create --uid="$S3_USER" --display-name="rbdstack tests")
  umask 077
  python3 -c 'import json, sys; k = json.load(sys.stdin)["keys"][0]; open(sys.argv[1], "w").write(k["access_key"]);
open(sys.argv[2], "w").write(k["secret_key"])' "$R/s3.access.key" "$R/s3.secret.key" <<<"$info"
}

start() {
  local t0
  t0=$(now_ms)
  command -v radosgw >/dev/null || die "radosgw is missing: run scripts/install-packages.sh"
  [[ -f $CEPH_CONF ]] || die "no Ceph cluster at $C: run scripts/ceph.sh start first"
  mkdir -p "$R/data"
  chmod 700 "$R"
  if pid_alive "$PIDFILE" && [[ $(cat "$FSID_FILE" 2>/dev/null) == "$(cluster_fsid)" ]] && serving; then
    write_properties
    log "radosgw already running (pid $(cat "$PIDFILE"), http://$ENDPOINT)"
    return 0
  fi
  # Stale: a radosgw of a cluster that ceph.sh has since rebuilt, or one that stopped serving.
  stop_pidfile radosgw "$PIDFILE" >/dev/null
  if ss -Hltn "sport = :$PORT" | grep -q .; then
    die "port $PORT is taken by another process: set RBDSTACK_RGW_PORT"
  fi
  create_pools
  ceph_cli auth get-or-create "client.rgw.$NAME" mon 'allow rw' osd 'allow rwx' -o "$KEYRING"
  chmod 600 "$KEYRING"
  ensure_user
  : > "$LOGFILE"
  setsid radosgw -f --conf "$CEPH_CONF" -n "client.rgw.$NAME" -k "$KEYRING" \
    --rgw-frontends "beast endpoint=$ENDPOINT" --rgw-data "$R/data" --log-file "$LOGFILE" \
    --admin-socket "$ASOK" --pid-file "$R/radosgw.daemon.pid" --rgw-thread-pool-size 16 \
    </dev/null >>"$LOGFILE" 2>&1 &
  echo $! > "$PIDFILE"
  cluster_fsid > "$FSID_FILE"
  WATCH_PIDFILE=$PIDFILE wait_for "radosgw serving http://$ENDPOINT" 30 "$LOGFILE" serving
  write_properties
  log "radosgw up: http://$ENDPOINT (S3 user $S3_USER, region $REGION, pid $(cat "$PIDFILE")) in $(elapsed "$t0")"
}

write_properties() {
  set_property "$SERVICES_FILE" s3.endpoint "$ENDPOINT"
  set_property "$SERVICES_FILE" s3.region "$REGION"
  set_property "$SERVICES_FILE" s3.access.key "$(cat "$R/s3.access.key")"
  set_property "$SERVICES_FILE" s3.secret.key.file "$R/s3.secret.key"
}

stop() {
  stop_pidfile radosgw "$PIDFILE"
}

status() {
  if pid_alive "$PIDFILE" && serving; then
    echo "radosgw: running (pid $(cat "$PIDFILE"), http://$ENDPOINT)"
  else
    echo "radosgw: stopped"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
