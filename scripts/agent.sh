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
    (cd "$here/.." && mvn -B -q package -DskipTests -pl agent-kvm -am) || die "build failed"
  fi
  : > "$LOGFILE"
  # setsid: the agent outlives this shell; it stops on SIGTERM (agent.sh stop), never by name.
  setsid java -jar "$JAR" --config "$config" >> "$LOGFILE" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  WATCH_PIDFILE=$PIDFILE wait_for "the agent starting" 60 "$LOGFILE" started
  log "rbdstack agent up (pid $(cat "$PIDFILE"), config $config, log $LOGFILE) in $(elapsed "$t0")"
}

stop() { stop_pidfile "rbdstack agent" "$PIDFILE"; }

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
