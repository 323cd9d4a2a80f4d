#!/usr/bin/env bash
# Installs and starts everything rbdstack needs on this machine, builds the management server and
# runs it in the foreground (Ctrl-C or SIGTERM stops it cleanly).
# Config dir: $RBDSTACK_CONFIG_DIR (default $RBDSTACK_STATE_DIR/server). Without a db.properties
# there, the server runs on an embedded MariaDB under that directory.
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

"$here/install-packages.sh"
"$here/services.sh" start ceph libvirt

config_dir=${RBDSTACK_CONFIG_DIR:-$RBDSTACK_STATE_DIR/server}
mkdir -p "$config_dir"
if [[ ! -f $config_dir/server.properties ]]; then
  printf 'embedded.db.dir=%s\n' "$config_dir/db" > "$config_dir/server.properties"
fi

jar="$here/../engine/server/target/rbdstack-server.jar"
t0=$(now_ms)
log "building the management server"
(cd "$here/.." && mvn -B -q package -DskipTests -pl engine/server,plugins/storage-rbd -am) || die "build failed"
# Storage plugins are found in plugins/ beside the server jar.
mkdir -p "$here/../engine/server/target/plugins"
cp "$here"/../plugins/*/target/rbdstack-storage-*.jar "$here/../engine/server/target/plugins/"
log "built in $(elapsed "$t0"); starting with config dir $config_dir"
exec java -jar "$jar" --config-dir "$config_dir"
