#!/usr/bin/env bash
# The rbdstack KVM agent as a background process, configured by an agent.properties file.
# Pid file and log live under the state dir; the jar is built first if it is not there yet.
# usage: agent.sh start [AGENT_PROPERTIES] | stop | status
#   AGENT_PROPERTIES defaults to $RBDSTACK_AGENT_PROPERTIES, else /etc/rbdstack/agent.properties.
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

A="$RBDSTACK_STATE_DIR/agent"
PIDFILE="$A/agent.pid"
LOGFILE="$A/agent.log"
STOPWAIT_FILE="$A/agent.stop-wait" # seconds stop waits before a KILL: the config's grace and 15 s
JAR="$here/../agent-kvm/target/rbdstack-agent.jar"

started() { grep -q "rbdstack agent .* started as" "$LOGFILE"; }

start() {
  local config=${1:-${RBDSTACK_AGENT_PROPERTIES:-/etc/rbdstack/agent.properties}} t0
  t0=$(now_ms)
  mkdir -p "$A"
  if pid_alive "$PIDFILE"; then
    log "rbdstack agent already running (pid $(cat "$PIDFILE"))"
    return 0
  fi
  [[ -r $config ]] || die "no readable agent.properties at $config (pass its path, or set RBDSTACK_AGENT_PROPERTIES)"
  if [[ ! -f $JAR ]]; then
    log "building the agent"
    (cd "$here/.." && flock /tmp/rbdstack-maven.lock mvn -B -q package -DskipTests -Dui.skip -pl agent-kvm -am) \
      || die "build failed"
  fi
  : > "$LOGFILE"
  local grace
  grace=$(sed -n 's/^[[:space:]]*shutdown\.grace\.seconds[[:space:]]*[=:][[:space:]]*\([0-9]*\).*/\1/p' "$config" | tail -n 1)
  echo $(( ${grace:-30} + 15 )) > "$STOPWAIT_FILE"
  # Bounded memory (issue 14: RSS <= 150 MiB idle, <= 256 MiB during four concurrent backups), measured with
  # scripts/bench-transfers.sh (README, Figures): a small heap under the serial collector (an agent has no use
  # for a parallel one), kept small after growing (Min/MaxHeapFreeRatio: heap committed after four concurrent
  # backups 28 MiB instead of 44, NMT); the JDK's cache of temporary direct buffers off for the 1 MiB writes to
  # the image store (NMT "Other" 4 MiB -> 45 KiB); the native heap trimmed every 5 s, so malloc gives back what
  # the compiler and librados took (with the heap ratios: idle 149 MiB instead of 157, both with NMT); one
  # glibc malloc arena (librados, libvirt and JNA allocate from many threads: with two, what librados' threads
  # freed in one was not reused by the others, and four concurrent backups peaked at 251 MiB instead of 221,
  # everything else equal; one backup alone 0.90x rbd export-diff's time against 1.02x, at load 10-12). The
  # transfer buffers' budget is the agent's (TransferBuffers, -Drbdstack.transfer.buffers). Not a fixed
  # MALLOC_MMAP_THRESHOLD_: it bounds memory (2 MiB: four concurrent backups 219 MiB) but maps and unmaps
  # librados' 4 MiB read buffers every time, and one 1 GiB backup took 2.37x rbd export-diff's time, against
  # 0.71-1.23x in the runs around it (2026-12-04). The agent now sets a 4 MiB threshold itself (GlibcMalloc: only
  # blocks of an RBD object are mapped, whoever launches it; four concurrent backups of one image peaked at 192-204
  # MiB instead of 223-273, and took 7.8-8.0 s instead of 6.6-7.5, each block's 1024 page faults; one backup alone
  # 0.62-0.84x rbd export-diff's time in the benchmarks after it). Not GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (two
  # faults a block): 6.4-7.1 s in the same lab, but no clear difference in the benchmarks, and every process the
  # agent starts (Kea, radvd, qemu-img) would inherit it (2026-12-05).
  # -XX:-ShrinkHeapInSteps: the full collection the agent runs 3 s after its last transfer (IdleTransferMemory)
  # shrinks the old generation to MaxHeapFreeRatio at once, not by 0, 10, 40 % of the excess in turn: the agent's RSS
  # 5 s after each of three restores in a row 131-134 MiB instead of 145-154 (old generation 12 MiB against 21-27).
  local java_opts=${RBDSTACK_AGENT_JAVA_OPTS:--Xms16m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m \
-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=5000 \
-Djdk.nio.maxCachedBufferSize=262144}
  # setsid: the agent outlives this shell; it stops on SIGTERM (agent.sh stop), never by name.
  # shellcheck disable=SC2086 # the options are words
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} setsid java $java_opts -jar "$JAR" --config "$config" \
    >> "$LOGFILE" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  WATCH_PIDFILE=$PIDFILE wait_for "the agent starting" 60 "$LOGFILE" started
  log "rbdstack agent up (pid $(cat "$PIDFILE"), config $config, log $LOGFILE) in $(elapsed "$t0")"
}

# The agent's graceful stop lets running commands finish for shutdown.grace.seconds (30 by default), then closes:
# the KILL comes 15 s after the grace of the config it was started with, or after $RBDSTACK_AGENT_STOP_WAIT s.
stop() {
  local wait_s=45
  [[ -s $STOPWAIT_FILE ]] && wait_s=$(tr -dc '0-9' < "$STOPWAIT_FILE")
  stop_pidfile "rbdstack agent" "$PIDFILE" "${RBDSTACK_AGENT_STOP_WAIT:-$wait_s}"
}

status() {
  if pid_alive "$PIDFILE"; then
    local last
    last=$(grep -E "Connected to the management server|Disconnected from|connecting again" "$LOGFILE" | tail -n 1 || true)
    echo "rbdstack agent: running (pid $(cat "$PIDFILE"))${last:+; last: ${last#* - }}"
  else
    echo "rbdstack agent: stopped"
    return 1
  fi
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start [AGENT_PROPERTIES] | stop | status" ;;
esac
