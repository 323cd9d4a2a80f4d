#!/usr/bin/env bash
# The whole test suite: install packages, start the real services, run unit and integration tests.
# Extra arguments go to Maven (e.g. -pl agent-kvm -Dit.test=RadosImageSnapshotIT).
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

"$here/install-packages.sh"
"$here/services.sh" start
cd "$here/.."
log "running: mvn -B verify $*"
exec mvn -B verify "$@"
