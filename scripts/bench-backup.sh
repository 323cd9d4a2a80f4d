#!/usr/bin/env bash
# Snapshot backup benchmark through the product path: a cloud of its own (scripts/run.sh on its own
# state dir and ports, so it runs beside the test services), then scripts/bench_backup.py backs up,
# incrementally backs up and restores one fully written volume through the API, beside
# `rbd export-diff` / `import-diff` and CloudStack's `qemu-img convert -O qcow2` on the same data in
# the same run, and prints the table the README quotes. The cloud is stopped at the end.
# Then the same to an NFS image store (the test services' nfs-ganesha, scripts/nfs.sh) beside nfs-cp,
# and to an S3 one (an RGW of the bench cloud's own, scripts/rgw.sh) beside s3cmd.
# Variables: RBDSTACK_BENCH_STATE_DIR (/tmp/rbdstack-bench, deleted first), RBDSTACK_BENCH_PORT_BASE
# (29000: HTTP +80, HTTPS +443, agent +250, Ceph mon v1 +789 and v2 +300, RGW +480 and its HTTPS +481),
# RBDSTACK_BENCH_STORES (NFS,S3; empty for the directory store only), RBDSTACK_BENCH_INCREMENTAL_ROUNDS (12, at most 14: 5 %
# incrementals after the first, ours and rbd's taking turns to go first), RBDSTACK_BENCH_FULL_ROUNDS (2: full backups
# of another volume after the first, the same way, to each store), RBDSTACK_BENCH_RESTORE_ROUNDS (2: restores
# after the first, the same way), RBDSTACK_BENCH_STORE_ROUNDS (4: 5 % incrementals to each of the NFS and S3 stores
# after its first, the same way), RBDSTACK_BENCH_WARMUP_ROUNDS (24: backups of another volume, each after 5 % of
# it rewritten, not timed, before RBDSTACK_BENCH_INCREMENTAL_ROUNDS more incrementals on a third, a warm agent's;
# 0 skips them), RBDSTACK_CEPH_OP_SHARDS (the bench cluster's OSD op shards: Ceph's default, 5 here, where
# bluestore's file counts as rotational; 1 serves every read one after another, as the tests' memstore does),
# RBDSTACK_TEST_STATE_DIR (/tmp/rbdstack:
# the test services, whose NFS server is used: one rpcbind per machine allows one ganesha; started when it does not
# run, and then stopped at the end).
# usage: scripts/bench-backup.sh [volume MiB, default 1024]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export RBDSTACK_STATE_DIR=${RBDSTACK_BENCH_STATE_DIR:-/tmp/rbdstack-bench}
source "$here/common.sh"
base=${RBDSTACK_BENCH_PORT_BASE:-29000}
out="$RBDSTACK_STATE_DIR.out" # run.sh's log; the stores' start-up logs go there too
stores=${RBDSTACK_BENCH_STORES-NFS,S3}
test_state_dir=${RBDSTACK_TEST_STATE_DIR:-/tmp/rbdstack}

# The NFS and S3 stores' servers: bench_backup.py runs this (scripts/bench-backup.sh --start-stores) only after the
# directory store's figures, in this script's environment.
if [[ ${1:-} == --start-stores ]]; then
  if [[ ,$stores, == *,NFS,* ]]; then
    # Its own state dir: only starts ganesha when it is not running (a second ganesha would take over
    # rpcbind's NFS registration from the first). One started here is stopped at the end (the marker).
    if ! RBDSTACK_STATE_DIR=$test_state_dir "$here/nfs.sh" status >/dev/null 2>&1; then
      touch "$RBDSTACK_STATE_DIR/nfs-started-by-bench"
    fi
    RBDSTACK_STATE_DIR=$test_state_dir "$here/nfs.sh" start >> "$out" 2>&1 || { cat "$out"; die "scripts/nfs.sh failed"; }
  fi
  if [[ ,$stores, == *,S3,* ]]; then
    RBDSTACK_RGW_PORT=$((base + 480)) RBDSTACK_RGW_TLS_PORT=$((base + 481)) "$here/rgw.sh" start >> "$out" 2>&1 || { cat "$out"; die "scripts/rgw.sh failed"; }
  fi
  exit 0
fi

size_mib=${1:-1024}
# The test services' NFS server, when this benchmark started it for the NFS store (--start-stores), is stopped again
# at the end: left running it would hold port 2049 and rpcbind's registration, which the test services (and
# .ci/run) then need.
on_bench_exit() {
  if [[ -f $RBDSTACK_STATE_DIR/nfs-started-by-bench ]]; then
    RBDSTACK_STATE_DIR=$test_state_dir "$here/nfs.sh" stop >> "$out" 2>&1 \
      || log "could not stop the NFS server the benchmark started (scripts/nfs.sh stop; log $out)"
  fi
}
start_bench_cloud "$base"

python3 "$here/bench_backup.py" --url "http://127.0.0.1:$RBDSTACK_HTTP_PORT/client/api" \
  --password-file "$RBDSTACK_STATE_DIR/server/admin.password" --state-dir "$RBDSTACK_STATE_DIR" --size-mib "$size_mib" \
  --stores "$stores" --incremental-rounds "${RBDSTACK_BENCH_INCREMENTAL_ROUNDS:-12}" \
  --full-rounds "${RBDSTACK_BENCH_FULL_ROUNDS:-2}" --restore-rounds "${RBDSTACK_BENCH_RESTORE_ROUNDS:-2}" --store-rounds "${RBDSTACK_BENCH_STORE_ROUNDS:-4}" \
  --warmup-rounds "${RBDSTACK_BENCH_WARMUP_ROUNDS:-24}" \
  --start-stores "$here/bench-backup.sh --start-stores" \
  --nfs-services "$test_state_dir/services.properties"
