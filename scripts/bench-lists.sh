#!/usr/bin/env bash
# List benchmark: a management server on a throw-away schema of the harness MariaDB, the given number of
# volumes, snapshots, async jobs and events put straight into it, then listSnapshots, listVolumes,
# listAsyncJobs and listEvents (pages, deep pages, filters) timed end to end over HTTP: median and 90th percentile.
# Needs scripts/services.sh start mariadb. Builds engine/server (one Maven at a time: flock).
# usage: scripts/bench-lists.sh [rows, default 100000] [runs per call, default 50]
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-100000}
runs=${2:-50}
[[ -f $SERVICES_FILE ]] || die "no $SERVICES_FILE: scripts/services.sh start mariadb"
cp_file=$(mktemp "$RBDSTACK_STATE_DIR/bench-lists-cp.XXXXXX")
trap 'rm -f "$cp_file"' EXIT

log "building the management server's test classes"
(cd "$here" && flock /tmp/rbdstack-maven.lock mvn -B -q -o -pl engine/server -am test-compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null) || die "build failed"
cp="$here/engine/server/target/test-classes:$here/engine/server/target/classes:$(cat "$cp_file")"

log "filling $rows rows of each and timing the lists"
java -cp "$cp" io.rbdstack.server.bench.ListBenchmark "$rows" "$runs" 2>&1 \
  | grep --line-buffered -v -e '^SLF4J' -e ' INFO ' -e ' WARN '
