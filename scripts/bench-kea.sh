#!/usr/bin/env bash
# DHCPv6 reservation benchmark: renders N reservations (default 10,000) in one /64 with the agent's code
# (ServedNetwork + KeaConfig, a Jackson tree) and applies them to a running kea-dhcp6 in a network
# namespace through its unix control socket (config-set, streamed), beside the same config-set sent by
# socat (Kea alone, the reference), then through the agent's whole dhcp.applyNetwork path (all NICs
# replaced, then one). Prints one table row per round (the agent's own steps apart, and their sum), then
# min-max and median of ours, Kea alone and end to end, and the load average before and after.
# Target: <= 1 s for 10,000. Other builds on the machine slow Kea and Java alike: note the load.
# usage: scripts/bench-kea.sh [reservations] [rounds]
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-10000}
rounds=${2:-5}
command -v kea-dhcp6 >/dev/null || die "kea-dhcp6 is missing: scripts/install-packages.sh"
work="$RBDSTACK_STATE_DIR/bench-kea.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

log "building the agent's test classes"
# The dependency plugin by its full name at the parent pom's version: bare "dependency:" on the parent
# module picks Maven's default 2.8, which an offline repository does not hold.
plugin_version=$(sed -n 's:.*<dependency-plugin.version>\(.*\)</dependency-plugin.version>.*:\1:p' "$here/pom.xml")
(cd "$here" && flock /tmp/rbdstack-maven.lock mvn -B -q -o test-compile \
   "org.apache.maven.plugins:maven-dependency-plugin:$plugin_version:build-classpath" -pl agent-kvm -am \
   -Dui.skip -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null) || die "build failed"
cp="$here/agent-kvm/target/test-classes:$here/agent-kvm/target/classes:$(cat "$work/cp.txt")"

log "$count reservations, $rounds rounds"
java -cp "$cp" io.rbdstack.agent.dhcp.KeaBenchmark "$work" "$count" "$rounds"
