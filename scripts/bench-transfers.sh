#!/usr/bin/env bash
# Transfer benchmark through the product path: a cloud of its own (scripts/run.sh on its own state
# dir and ports, so it runs beside the test services), then scripts/bench_transfers.py samples
# createVolume's latency with no backup running and while 8 full backups run (p50/p99), the agent's
# RSS idle and its peak during four concurrent backups, and one backup's time beside rbd export-diff.
# The cloud is stopped at the end.
# Variables: RBDSTACK_BENCH_STATE_DIR (/tmp/rbdstack-bench-transfers, deleted first),
# RBDSTACK_BENCH_PORT_BASE (29100: HTTP +80, HTTPS +443, agent +250, Ceph mon v1 +789 and v2 +300),
# RBDSTACK_BENCH_LOAD_POLL_S (1: seconds between the 8 backups' job polls; 0.02 as before 2026-12-05).
# usage: scripts/bench-transfers.sh [volume MiB, default 1024]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export RBDSTACK_STATE_DIR=${RBDSTACK_BENCH_STATE_DIR:-/tmp/rbdstack-bench-transfers}
source "$here/common.sh"
size_mib=${1:-1024}

base=${RBDSTACK_BENCH_PORT_BASE:-29100}
start_bench_cloud "$base"
python3 "$here/bench_transfers.py" --url "http://127.0.0.1:$RBDSTACK_HTTP_PORT/client/api" \
  --password-file "$RBDSTACK_STATE_DIR/server/admin.password" --state-dir "$RBDSTACK_STATE_DIR" --size-mib "$size_mib" \
  --load-poll-s "${RBDSTACK_BENCH_LOAD_POLL_S:-1}"
