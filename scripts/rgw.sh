#!/usr/bin/env bash
# An S3 endpoint for the tests: Ceph's RADOS Gateway (Debian's radosgw, beast frontend) on the
# cluster of scripts/ceph.sh, listening on 127.0.0.1:RBDSTACK_RGW_PORT (7480), and over HTTPS on
# 127.0.0.1:RBDSTACK_RGW_TLS_PORT (that port + 1) with a certificate of a test CA made here (rgw/tls/ca.pem),
# with one S3 user whose keys go into services.properties (s3.*). Needs ceph.sh started first.
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
TLS_PORT=${RBDSTACK_RGW_TLS_PORT:-$((PORT + 1))}
TLS_ENDPOINT="127.0.0.1:$TLS_PORT"
TLS="$R/tls"
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
serving() {
  curl -fsS -o /dev/null "http://$ENDPOINT/" && curl -fsS --cacert "$TLS/ca.pem" -o /dev/null "https://$TLS_ENDPOINT/"
}
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

# A test CA and the HTTPS endpoint's certificate from it (for 127.0.0.1), made once: clients that trust
# rgw/tls/ca.pem reach the endpoint over verified TLS, any other client is refused by its own checks.
ensure_certificate() {
  [[ -f $TLS/rgw.pem && -f $TLS/rgw.key && -f $TLS/ca.pem ]] && return 0
  mkdir -p "$TLS"
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=rbdstack test S3 CA" \
      -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$TLS/rgw.key" -out "$TLS/rgw.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$TLS/rgw.ext"
    openssl x509 -req -in "$TLS/rgw.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 3650 \
      -extfile "$TLS/rgw.ext" -out "$TLS/rgw.pem" 2>/dev/null
    rm -f "$TLS/ca.key" "$TLS/ca.srl" "$TLS/rgw.csr" "$TLS/rgw.ext" # nothing more is signed with it
  ) || die "could not make the HTTPS endpoint's test certificate in $TLS"
  chmod 644 "$TLS/ca.pem" "$TLS/rgw.pem"
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
    log "radosgw already running (pid $(cat "$PIDFILE"), http://$ENDPOINT, https://$TLS_ENDPOINT)"
    return 0
  fi
  # Stale: a radosgw of a cluster that ceph.sh has since rebuilt, or one that stopped serving.
  stop_pidfile radosgw "$PIDFILE" >/dev/null
  if ss -Hltn "sport = :$PORT" | grep -q .; then
    die "port $PORT is taken by another process: set RBDSTACK_RGW_PORT"
  fi
  if ss -Hltn "sport = :$TLS_PORT" | grep -q .; then
    die "port $TLS_PORT is taken by another process: set RBDSTACK_RGW_TLS_PORT"
  fi
  ensure_certificate
  create_pools
  ceph_cli auth get-or-create "client.rgw.$NAME" mon 'allow rw' osd 'allow rwx' -o "$KEYRING"
  chmod 600 "$KEYRING"
  ensure_user
  : > "$LOGFILE"
  setsid radosgw -f --conf "$CEPH_CONF" -n "client.rgw.$NAME" -k "$KEYRING" \
    --rgw-frontends "beast endpoint=$ENDPOINT ssl_endpoint=$TLS_ENDPOINT ssl_certificate=$TLS/rgw.pem ssl_private_key=$TLS/rgw.key" --rgw-data "$R/data" --log-file "$LOGFILE" \
    --admin-socket "$ASOK" --pid-file "$R/radosgw.daemon.pid" --rgw-thread-pool-size 16 \
    </dev/null >>"$LOGFILE" 2>&1 &
  echo $! > "$PIDFILE"
  cluster_fsid > "$FSID_FILE"
  WATCH_PIDFILE=$PIDFILE wait_for "radosgw serving http://$ENDPOINT and https://$TLS_ENDPOINT" 30 "$LOGFILE" serving
  write_properties
  log "radosgw up: http://$ENDPOINT, https://$TLS_ENDPOINT (S3 user $S3_USER, region $REGION, pid $(cat "$PIDFILE")) in $(elapsed "$t0")"
}

write_properties() {
  set_property "$SERVICES_FILE" s3.endpoint "$ENDPOINT"
  set_property "$SERVICES_FILE" s3.tls.endpoint "$TLS_ENDPOINT"
  set_property "$SERVICES_FILE" s3.tls.ca.file "$TLS/ca.pem"
  set_property "$SERVICES_FILE" s3.region "$REGION"
  set_property "$SERVICES_FILE" s3.access.key "$(cat "$R/s3.access.key")"
  set_property "$SERVICES_FILE" s3.secret.key.file "$R/s3.secret.key"
}

stop() {
  stop_pidfile radosgw "$PIDFILE"
}

status() {
  if pid_alive "$PIDFILE" && serving; then
    echo "radosgw: running (pid $(cat "$PIDFILE"), http://$ENDPOINT, https://$TLS_ENDPOINT)"
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
