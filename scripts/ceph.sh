#!/usr/bin/env bash
# A one-node Ceph cluster (one mon on v1+v2, one mgr, one OSD, cephx, pool "rbd") under the
# state dir. Ready means HEALTH_OK and every PG active+clean.
# RBDSTACK_CEPH_STORE picks the OSD's object store:
# - memstore (default, the tests): data in the OSD's memory. A cluster with a dead daemon is rebuilt
#   from scratch (new fsid, new keys), so anything holding the old admin key must re-read it.
# - bluestore (scripts/run.sh): data in a sparse file under the state dir. A stopped cluster is
#   started again with its data and keys; it is never rebuilt (delete the state dir's ceph/ for that).
# Ports: RBDSTACK_CEPH_V1_PORT (6789) and RBDSTACK_CEPH_V2_PORT (3300), so a second cluster can run beside.
# RBDSTACK_CEPH_OP_SHARDS: the OSD's op queue shards (0: Ceph's default, by device class). Default: 1 on
# memstore (the tests: fewer threads, less memory), Ceph's own on bluestore (5 shards of one thread where the
# file's disk counts as rotational, as here; 8 of two on an SSD), so a cloud of scripts/run.sh and the
# benchmarks serve reads in parallel as a real OSD does. Read when the cluster is made.
# usage: ceph.sh start|stop|status
source "$(dirname "$0")/common.sh"

C="$RBDSTACK_STATE_DIR/ceph"
CONF="$C/ceph.conf"
ADMIN_KEYRING="$C/ceph.client.admin.keyring"
LIMITED_USER=${RBDSTACK_CEPH_LIMITED_USER:-rbdstack}
LIMITED_KEYRING="$C/ceph.client.$LIMITED_USER.keyring"
MON_IP=127.0.0.1
MON_V1_PORT=${RBDSTACK_CEPH_V1_PORT:-6789}
MON_V2_PORT=${RBDSTACK_CEPH_V2_PORT:-3300}
POOL=rbd
STORE=${RBDSTACK_CEPH_STORE:-memstore}
[[ $STORE == memstore || $STORE == bluestore ]] || die "RBDSTACK_CEPH_STORE must be memstore or bluestore, got '$STORE'"
[[ ${RBDSTACK_CEPH_OP_SHARDS:-0} =~ ^[0-9]+$ ]] \
  || die "RBDSTACK_CEPH_OP_SHARDS must be a number of shards (0: Ceph's default), got '$RBDSTACK_CEPH_OP_SHARDS'"
# bluestore's block file lives outside the OSD dir: inside it, ceph-osd --mkfs fails with ELOOP.
BLOCK_FILE="$C/osd-block/osd.0.block"
DAEMONS=(mon.a mgr.x osd.0)

ceph_cli() { ceph --conf "$CONF" --name client.admin --keyring "$ADMIN_KEYRING" --connect-timeout 10 "$@"; }

pidfile_of() { echo "$C/run/$1.pid"; }

all_daemons_alive() {
  local d
  for d in "${DAEMONS[@]}"; do pid_alive "$(pidfile_of "$d")" || return 1; done
}

healthy() { [[ $(ceph_cli health 2>/dev/null) == HEALTH_OK* ]]; }

# "8 pgs: 8 active+clean; ..." -> every PG active+clean.
pgs_clean() {
  local stat
  stat=$(ceph_cli pg stat 2>/dev/null) || return 1
  [[ $stat =~ ^([0-9]+)\ pgs:\ ([0-9]+)\ active\+clean\; ]] && (( BASH_REMATCH[1] > 0 && BASH_REMATCH[1] == BASH_REMATCH[2] ))
}

ready() { healthy && pgs_clean; }

write_conf() {
  local fsid=$1
  cat > "$CONF" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:$MON_IP:$MON_V2_PORT,v1:$MON_IP:$MON_V1_PORT]
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
run dir = $C/run
admin socket = $C/run/\$cluster-\$name.asok
pid file = $C/run/\$name.pid
log file = $C/log/\$name.log
# one node: one replica, no host-level failure domain
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
# the host disk may be fuller than Ceph's 30 % warning level; that is not the cluster's health
mon data avail warn = 2
mon data avail crit = 1
# report often, so readiness comes in seconds
mgr stats period = 1
mon mgr digest period = 1
osd mon report interval = 1
mgr tick period = 1

[mon]
mon data = $C/mon.\$id
keyring = $C/mon.\$id/keyring

[mgr]
mgr data = $C/mgr.\$id
keyring = $C/mgr.\$id/keyring

[osd]
osd data = $C/osd.\$id
keyring = $C/osd.\$id/keyring
$(store_conf)
$(op_shards_conf)
osd memory target = 939524096
# Bluestore on a file counts as a spinning disk, where Ceph sleeps 5 s between trims of a deleted snapshot's
# clones: after a rewritten volume's snapshots went, thousands of clones stayed for many minutes and every
# later diff and read was slower (measured: listing 20 -> 90 ms, a 5 % incremental's reads 100 -> 300 ms).
osd snap trim sleep hdd = 0

[client.admin]
keyring = $ADMIN_KEYRING
CONF
}

# The [osd] lines of the object store; sizes in bytes (bluestore's file is sparse: it takes what is written).
store_conf() {
  if [[ $STORE == bluestore ]]; then
    printf 'osd objectstore = bluestore\nbluestore block path = %s\nbluestore block create = true\nbluestore block size = %s\n' \
      "$BLOCK_FILE" "${RBDSTACK_CEPH_OSD_BYTES:-21474836480}"
  else
    printf 'osd objectstore = memstore\nmemstore device bytes = %s\n' "${RBDSTACK_CEPH_OSD_BYTES:-4294967296}"
  fi
}

# One shard serves the OSD's reads one at a time: every client's reads queue behind each other's.
op_shards_conf() {
  local shards=${RBDSTACK_CEPH_OP_SHARDS:-}
  [[ -z $shards && $STORE == memstore ]] && shards=1
  [[ -z $shards ]] && return 0
  printf 'osd op num shards = %s\n' "$shards"
}

create_cluster() {
  local fsid osd_uuid tmp
  fsid=$(uuidgen)
  osd_uuid=$(uuidgen)
  rm -rf "$C"
  mkdir -p "$C/run" "$C/log" "$C/mon.a" "$C/mgr.x" "$C/osd.0"
  [[ $STORE == bluestore ]] && mkdir -p "$(dirname "$BLOCK_FILE")"
  chmod 700 "$C"
  # The mon's bootstrap keyring must live outside the mon data dir, or --mkfs sees a non-empty dir.
  tmp="$C/bootstrap"
  mkdir -p "$tmp"
  write_conf "$fsid"

  ceph-authtool --create-keyring "$tmp/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$ADMIN_KEYRING" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool --create-keyring "$C/osd.0/keyring" --gen-key -n osd.0 \
    --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
  ceph-authtool --create-keyring "$C/mgr.x/keyring" --gen-key -n mgr.x \
    --cap mon 'allow profile mgr' --cap osd 'allow *' --cap mds 'allow *' >/dev/null
  local k
  for k in "$ADMIN_KEYRING" "$C/osd.0/keyring" "$C/mgr.x/keyring"; do
    ceph-authtool "$tmp/mon.keyring" --import-keyring "$k" >/dev/null
  done
  monmaptool --create --fsid "$fsid" --addv a "[v2:$MON_IP:$MON_V2_PORT,v1:$MON_IP:$MON_V1_PORT]" \
    "$tmp/monmap" >/dev/null
  ceph-mon --conf "$CONF" --mkfs -i a --monmap "$tmp/monmap" --keyring "$tmp/mon.keyring" \
    > "$C/log/mkfs-mon.log" 2>&1 || die_with_log "ceph-mon --mkfs failed" "$C/log/mkfs-mon.log"
  rm -rf "$tmp"

  ceph-mon --conf "$CONF" -i a > "$C/log/start-mon.log" 2>&1 || die_with_log "ceph-mon did not start" "$C/log/mon.a.log"
  wait_for "mon quorum" 30 "$C/log/mon.a.log" ceph_cli mon stat

  ceph_cli osd new "$osd_uuid" 0 >/dev/null
  ceph-osd --conf "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" > "$C/log/mkfs-osd.log" 2>&1 \
    || die_with_log "ceph-osd --mkfs failed" "$C/log/mkfs-osd.log"
  ceph-osd --conf "$CONF" -i 0 > "$C/log/start-osd.log" 2>&1 || die_with_log "ceph-osd did not start" "$C/log/osd.0.log"
  ceph-mgr --conf "$CONF" -i x > "$C/log/start-mgr.log" 2>&1 || die_with_log "ceph-mgr did not start" "$C/log/mgr.x.log"
  wait_for "osd.0 up" 60 "$C/log/osd.0.log" bash -c "ceph --conf '$CONF' --keyring '$ADMIN_KEYRING' osd stat | grep -q '1 up'"

  ceph_cli osd pool create "$POOL" 8 8 >/dev/null 2>&1
  ceph_cli osd pool application enable "$POOL" rbd >/dev/null 2>&1
  rbd --conf "$CONF" --keyring "$ADMIN_KEYRING" pool init "$POOL"

  # A user that can only use the rbd pool, for tests of non-admin cephx users.
  ceph_cli auth get-or-create "client.$LIMITED_USER" mon 'profile rbd' \
    osd "profile rbd pool=$POOL" mgr "profile rbd pool=$POOL" -o "$LIMITED_KEYRING"
  chmod 600 "$ADMIN_KEYRING" "$LIMITED_KEYRING"
}

start() {
  local t0
  t0=$(now_ms)
  if all_daemons_alive && ready; then
    ports_from_conf
    log "ceph already running and healthy (mon $MON_IP:$MON_V1_PORT/$MON_V2_PORT)"
    write_properties
    return 0
  fi
  if [[ $STORE == bluestore ]] && persistent_cluster_exists; then
    ports_from_conf
    restart_daemons
    wait_for "HEALTH_OK with all PGs active+clean (the cluster keeps its data; see $C/log)" 120 "$C/log/osd.0.log" ready
    write_properties
    log "ceph restarted with its data (bluestore, $BLOCK_FILE): mon.a [v2:$MON_IP:$MON_V2_PORT,v1:$MON_IP:$MON_V1_PORT], pool '$POOL'; HEALTH_OK in $(elapsed "$t0")"
    return 0
  fi
  if [[ $STORE == bluestore && -f $BLOCK_FILE ]]; then
    die "$C holds an OSD with data ($BLOCK_FILE) but not the rest of its cluster (ceph.conf, keyrings, mon store):" \
      "not rebuilding it over the data; restore the missing files, or delete $C to start an empty cluster"
  fi
  if [[ $STORE == memstore && -f $BLOCK_FILE ]]; then
    die "$C holds a bluestore cluster with data; start it with RBDSTACK_CEPH_STORE=bluestore (or delete $C to rebuild it empty)"
  fi
  stop >/dev/null
  create_cluster
  wait_for "HEALTH_OK with all PGs active+clean" 60 "$C/log/mon.a.log" ready
  write_properties
  log "ceph $(ceph --version | awk '{print $3}') up: mon.a [v2:$MON_IP:$MON_V2_PORT,v1:$MON_IP:$MON_V1_PORT], mgr.x, osd.0 ($STORE), pool '$POOL', users client.admin and client.$LIMITED_USER; HEALTH_OK + all PGs active+clean in $(elapsed "$t0")"
}

# A bluestore cluster made by an earlier start: its keys, mon store and OSD block file are all there.
persistent_cluster_exists() {
  [[ -f $CONF && -f $ADMIN_KEYRING && -f $C/mon.a/keyring && -f $C/osd.0/keyring && -f $BLOCK_FILE ]]
}

# An existing cluster keeps the ports it was made with (they are in its monmap), whatever the variables say.
ports_from_conf() {
  local mon_host
  mon_host=$(awk -F' = ' '$1 == "mon host" {print $2}' "$CONF")
  [[ $mon_host =~ v2:[^:]+:([0-9]+),v1:[^:]+:([0-9]+) ]] || die "no mon host in $CONF"
  MON_V2_PORT=${BASH_REMATCH[1]} MON_V1_PORT=${BASH_REMATCH[2]}
}

# Starts whichever daemons of an existing cluster are not running.
restart_daemons() {
  # ceph.conf is kept as written: the mon's address is in its monmap.
  if ! pid_alive "$(pidfile_of mon.a)"; then
    ceph-mon --conf "$CONF" -i a > "$C/log/start-mon.log" 2>&1 || die_with_log "ceph-mon did not start" "$C/log/mon.a.log"
  fi
  wait_for "mon quorum" 30 "$C/log/mon.a.log" ceph_cli mon stat
  if ! pid_alive "$(pidfile_of osd.0)"; then
    ceph-osd --conf "$CONF" -i 0 > "$C/log/start-osd.log" 2>&1 || die_with_log "ceph-osd did not start" "$C/log/osd.0.log"
  fi
  if ! pid_alive "$(pidfile_of mgr.x)"; then
    ceph-mgr --conf "$CONF" -i x > "$C/log/start-mgr.log" 2>&1 || die_with_log "ceph-mgr did not start" "$C/log/mgr.x.log"
  fi
}

write_properties() {
  set_property "$SERVICES_FILE" ceph.conf "$CONF"
  set_property "$SERVICES_FILE" ceph.mon.host "$MON_IP"
  set_property "$SERVICES_FILE" ceph.mon.v1.port "$MON_V1_PORT"
  set_property "$SERVICES_FILE" ceph.mon.v2.port "$MON_V2_PORT"
  set_property "$SERVICES_FILE" ceph.pool "$POOL"
  set_property "$SERVICES_FILE" ceph.admin.keyring "$ADMIN_KEYRING"
  set_property "$SERVICES_FILE" ceph.limited.user "$LIMITED_USER"
  set_property "$SERVICES_FILE" ceph.limited.keyring "$LIMITED_KEYRING"
}

stop() {
  local d
  # OSD and mgr first, so the mon sees them leave.
  for d in osd.0 mgr.x mon.a; do stop_pidfile "ceph $d" "$(pidfile_of "$d")"; done
}

status() {
  local d rc=0
  for d in "${DAEMONS[@]}"; do
    if pid_alive "$(pidfile_of "$d")"; then echo "ceph $d: running (pid $(cat "$(pidfile_of "$d")"))"; else echo "ceph $d: stopped"; rc=1; fi
  done
  if (( rc == 0 )); then
    echo "ceph health: $(ceph_cli health 2>&1); $(ceph_cli pg stat 2>&1)"
  fi
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
