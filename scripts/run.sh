#!/usr/bin/env bash
# One whole working cloud on this machine, left running in the background: installs packages, starts
# Ceph (bluestore: its data survives restarts) and libvirtd, builds the jars when missing or their
# sources changed, starts the management server on its embedded MariaDB, then sets up through the API a zone,
# pod and cluster, this machine's KVM agent as a host, the Ceph pool as primary storage, an image store
# and a custom-size disk offering. Running it again reuses everything.
# Prints the UI's address and the admin's username and password; scripts/services.sh stop stops it all.
# Variables: RBDSTACK_STATE_DIR (/tmp/rbdstack), RBDSTACK_HTTP_PORT (8080), RBDSTACK_HTTPS_PORT (8443),
# RBDSTACK_AGENT_PORT (8250), RBDSTACK_CEPH_V1_PORT (6789), RBDSTACK_CEPH_V2_PORT (3300),
# RBDSTACK_LIBVIRT_SHARED=1 (use a libvirtd already running), RBDSTACK_MAVEN_ARGS (e.g. -o),
# RBDSTACK_IMAGE_STORE_DIR ($RBDSTACK_STATE_DIR/images; an image store may not be below /root).
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export RBDSTACK_CEPH_STORE=${RBDSTACK_CEPH_STORE:-bluestore}
t0=$(now_ms)

"$here/install-packages.sh"
"$here/services.sh" start ceph libvirt

# Builds when a jar is missing or any source (Java, UI, poms) changed since the last build: run.sh's
# stamp, or the server jar when a full Maven build (scripts/test.sh, CI) is newer. Not each jar's own
# time: Maven leaves a jar whose module did not change untouched.
stamp="$root/engine/server/target/run-sh-build.stamp"
needs_build() (
  cd "$root"
  local jar built=engine/server/target/rbdstack-server.jar
  for jar in "$built" agent-kvm/target/rbdstack-agent.jar plugins/storage-rbd/target/rbdstack-storage-rbd-*.jar; do
    [[ -f $jar ]] || return 0
  done
  [[ -f $stamp && $stamp -nt $built ]] && built=$stamp
  [[ -n $(find . -path ./engine/server/src/main/ui/node_modules -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml -o -name package-lock.json \) -type f -newer "$built" -print -quit) ]]
)
if needs_build; then
  # A running server or agent would load classes from a jar rewritten under it.
  "$here/agent.sh" stop
  "$here/server.sh" stop
  log "building the management server and the agent (mvn package -DskipTests)"
  mkdir -p "$(dirname "$stamp")" # a fresh clone has no target directory yet
  touch "$stamp.new" # before the build: a source saved during it counts as changed next time
  # One Maven build at a time on this machine: the lock is shared with every other build here.
  (cd "$root" && flock /tmp/rbdstack-maven.lock mvn -B -q ${RBDSTACK_MAVEN_ARGS:-} package -DskipTests \
    -pl engine/server,plugins/storage-rbd,agent-kvm -am) > "$RBDSTACK_STATE_DIR/build.log" 2>&1 \
    || die_with_log "the build failed" "$RBDSTACK_STATE_DIR/build.log"
  mv "$stamp.new" "$stamp"
else
  log "the jars are up to date with the sources"
fi

"$here/server.sh" start
api_url="http://127.0.0.1:${RBDSTACK_HTTP_PORT:-8080}/client/api"
password_file="$RBDSTACK_STATE_DIR/server/admin.password"
python3 "$here/quickstart.py" --url "$api_url" --password-file "$password_file" \
  --state-dir "$RBDSTACK_STATE_DIR" --agent-port "${RBDSTACK_AGENT_PORT:-8250}" \
  --image-store-dir "${RBDSTACK_IMAGE_STORE_DIR:-$RBDSTACK_STATE_DIR/images}"

cat <<EOF

rbdstack is running (set up in $(elapsed "$t0")).
  Web UI:    http://127.0.0.1:${RBDSTACK_HTTP_PORT:-8080}/client/  (this machine; from elsewhere https://<this host>:${RBDSTACK_HTTPS_PORT:-8443}/client/)
  Username:  admin
  Password:  $(cat "$password_file")  (kept in $password_file, mode 600)
  API:       $api_url  (e.g. scripts/cloudapi.py --url $api_url --password-file $password_file listHosts)
  Logs:      $RBDSTACK_STATE_DIR/server/server.log, $RBDSTACK_STATE_DIR/agent/agent.log
  Stop:      RBDSTACK_STATE_DIR=$RBDSTACK_STATE_DIR scripts/services.sh stop   (run.sh starts it again, data kept)
EOF
