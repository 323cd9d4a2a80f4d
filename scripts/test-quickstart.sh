#!/usr/bin/env bash
# End-to-end test of the quick start on a state dir and ports of its own, beside the test services:
# a cold scripts/run.sh, then through the API: the host is Up, the pool Up with capacity, a volume, a
# snapshot and its backup; a second run.sh duplicates nothing and the password still works; after
# kill -9 of the server, and after services.sh stop, run.sh brings the cloud back with its volume;
# after kill -9 of the embedded MariaDB the API answers again within 30 s;
# services.sh stop leaves no daemon of this state dir running. Its state dir is deleted first.
# Variables: RBDSTACK_QS_STATE_DIR (/tmp/rbdstack-quickstart; an image store may not be below /root,
# else set RBDSTACK_IMAGE_STORE_DIR), ports RBDSTACK_QS_PORT_BASE (28000: HTTP +80, HTTPS +443,
# agent +250, Ceph mon v1 +789 and v2 +300). A libvirtd already answering is shared, not restarted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export RBDSTACK_STATE_DIR=${RBDSTACK_QS_STATE_DIR:-/tmp/rbdstack-quickstart}
source "$here/common.sh"

base=${RBDSTACK_QS_PORT_BASE:-28000}
export RBDSTACK_HTTP_PORT=$((base + 80)) RBDSTACK_HTTPS_PORT=$((base + 443)) RBDSTACK_AGENT_PORT=$((base + 250))
export RBDSTACK_CEPH_V1_PORT=$((base + 789)) RBDSTACK_CEPH_V2_PORT=$((base + 300))
if virsh -c qemu:///system version >/dev/null 2>&1; then
  export RBDSTACK_LIBVIRT_SHARED=1
fi
api_url="http://127.0.0.1:$RBDSTACK_HTTP_PORT/client/api"
password_file="$RBDSTACK_STATE_DIR/server/admin.password"
out="$RBDSTACK_STATE_DIR.out" # beside the state dir, which is deleted at the start

api() { python3 "$here/cloudapi.py" --url "$api_url" --password-file "$password_file" "$@"; }
check() { # check DESCRIPTION ACTUAL EXPECTED
  if [[ $2 != "$3" ]]; then
    die "FAILED: $1: got '$2', expected '$3'"
  fi
  log "ok: $1 ($2)"
}
check_secret() { # check_secret DESCRIPTION ACTUAL EXPECTED: as check, never printing the values
  [[ -n $2 && $2 == "$3" ]] || die "FAILED: $1"
  log "ok: $1"
}
count() { api "$1" "${@:3}" --get count 2>/dev/null || echo 0; } # count LISTCOMMAND KEY [filters]
daemons_left() { pgrep -af -- "$RBDSTACK_STATE_DIR" || true; }

# Leftovers of an earlier run go first (by their pid files), then the whole state dir.
"$here/services.sh" stop >/dev/null 2>&1 || true
rm -rf "$RBDSTACK_STATE_DIR"
mkdir -p "$RBDSTACK_STATE_DIR"
trap '"$here/services.sh" stop >/dev/null 2>&1 || true' EXIT

t0=$(now_ms)
"$here/run.sh" > "$out" 2>&1 || { cat "$out"; die "FAILED: the first run.sh"; }
cold=$(elapsed "$t0")
first_password=$(awk '/^  Password:/ {print $2}' "$out")
log "first run.sh: $cold"

check "the host is Up" "$(api listHosts --get host.0.state)" Up
check "the pool is Up" "$(api listStoragePools name=ceph-rbd --get storagepool.0.state)" Up
total=$(api listStoragePools name=ceph-rbd --get storagepool.0.disksizetotal)
(( total > 0 )) || die "FAILED: the pool has no capacity ($total bytes)"
log "ok: the pool has $total bytes"
zone=$(api listZones --get zone.0.id)
offering=$(api listDiskOfferings name=custom --get diskoffering.0.id)
volume=$(api createVolume name=qs-volume zoneid="$zone" diskofferingid="$offering" size=1 --get volume.id)
check "the volume is ready" "$(api listVolumes id="$volume" --get volume.0.state)" Ready
snapshot=$(api createSnapshot volumeid="$volume" --get snapshot.id)
check "the snapshot is backed up" "$(api backupSnapshot id="$snapshot" --get snapshot.state)" BackedUp

t1=$(now_ms)
"$here/run.sh" > "$out" 2>&1 || { cat "$out"; die "FAILED: the second run.sh"; }
warm=$(elapsed "$t1")
log "second run.sh: $warm"
check_secret "the second run prints the same password" "$(awk '/^  Password:/ {print $2}' "$out")" "$first_password"
for list in listZones:zone listPods:pod listClusters:cluster listHosts:host listStoragePools:storagepool \
            listImageStores:imagestore listDiskOfferings:diskoffering; do
  check "one ${list#*:} after two runs" "$(count "${list%:*}" "${list#*:}")" 1
done
check "the volume is still there" "$(api listVolumes id="$volume" --get volume.0.state)" Ready

# A killed server (no shutdown at all): run.sh brings the cloud back with no manual step.
server_pid=$(cat "$RBDSTACK_STATE_DIR/server/server.pid")
kill -KILL "$server_pid"
# Gone only once reaped: until then kill -0 still finds it (CI: run.sh took the zombie for a running server).
for ((i = 0; i < 100; i++)); do process_running "$server_pid" || break; sleep 0.1; done
process_running "$server_pid" && die "FAILED: the management server (pid $server_pid) still runs 10 s after SIGKILL"
log "killed the management server (pid $server_pid) with SIGKILL"
"$here/run.sh" > "$out" 2>&1 || { cat "$out"; die "FAILED: run.sh after kill -9 of the server"; }
check "the volume is back after kill -9 of the server" "$(api listVolumes id="$volume" --get volume.0.state)" Ready
check "its snapshot too" "$(api listSnapshots id="$snapshot" --get snapshot.0.state)" BackedUp

# The embedded MariaDB killed under the running server: the server restarts it, the API answers.
db_pid=$(pgrep -f -- "bin/mariadbd .*--datadir=[/.]*${RBDSTACK_STATE_DIR#/}/server/db/data" | head -n 1)
[[ -n $db_pid ]] || die "FAILED: no embedded MariaDB of $RBDSTACK_STATE_DIR found"
kill -KILL "$db_pid"
t2=$(now_ms)
until api listVolumes id="$volume" --get volume.0.state >/dev/null 2>&1; do
  (( $(now_ms) - t2 < 30000 )) || die "FAILED: the API does not answer 30 s after kill -9 of the embedded MariaDB"
  sleep 0.5
done
log "ok: the API answers $(elapsed "$t2") after kill -9 of the embedded MariaDB (pid $db_pid)"

# Everything stopped, then started again: Ceph keeps its data, the pool its images.
"$here/services.sh" stop > "$out" 2>&1 || { cat "$out"; die "FAILED: services.sh stop"; }
"$here/run.sh" > "$out" 2>&1 || { cat "$out"; die "FAILED: run.sh after services.sh stop"; }
check "the volume is back after a stop and start" "$(api listVolumes id="$volume" --get volume.0.state)" Ready
check "the pool is Up again" "$(api listStoragePools name=ceph-rbd --get storagepool.0.state)" Up
image=$(api listVolumes id="$volume" --get volume.0.path 2>/dev/null || echo "$volume")
rbd --conf "$RBDSTACK_STATE_DIR/ceph/ceph.conf" --keyring "$RBDSTACK_STATE_DIR/ceph/ceph.client.admin.keyring" \
  info "rbd/$image" >/dev/null || die "FAILED: the volume's RBD image rbd/$image is gone from Ceph"
log "ok: the volume's RBD image rbd/$image is still in Ceph"

"$here/services.sh" stop > "$out" 2>&1 || { cat "$out"; die "FAILED: services.sh stop"; }
trap - EXIT
left=$(daemons_left)
[[ -z $left ]] || die "FAILED: daemons left after services.sh stop: $left"
log "ok: no daemon of $RBDSTACK_STATE_DIR is left"
log "quick start test passed: cold run.sh $cold, warm run.sh $warm"
