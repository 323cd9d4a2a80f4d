# Shared helpers for the rbdstack service scripts. Sourced, never run.
# Every file a service writes lives under $RBDSTACK_STATE_DIR (default /tmp/rbdstack).

set -euo pipefail

RBDSTACK_STATE_DIR=${RBDSTACK_STATE_DIR:-/tmp/rbdstack}
export RBDSTACK_STATE_DIR
mkdir -p "$RBDSTACK_STATE_DIR"
chmod 700 "$RBDSTACK_STATE_DIR"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# die_with_log MESSAGE LOGFILE: fail loudly with the end of a daemon's log.
die_with_log() {
  local msg=$1 logfile=$2
  printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$msg" >&2
  if [[ -f $logfile ]]; then
    printf -- '--- last 40 lines of %s ---\n' "$logfile" >&2
    tail -n 40 "$logfile" >&2
  fi
  exit 1
}

now_ms() { date +%s%3N; }

elapsed() { # elapsed START_MS -> "1.23 s"
  local ms=$(( $(now_ms) - $1 ))
  printf '%d.%02d s' $((ms / 1000)) $(((ms % 1000) / 10))
}

# process_running PID: true when PID is a process that has not exited. A killed process stays a zombie until
# its parent (often init, for our setsid daemons) reaps it, and kill -0 still succeeds on a zombie.
process_running() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# pid_alive PIDFILE: true when the pid file names a running process.
pid_alive() {
  local pidfile=$1 pid
  [[ -s $pidfile ]] || return 1
  pid=$(tr -dc '0-9' < "$pidfile")
  [[ -n $pid ]] && process_running "$pid"
}

# stop_pidfile NAME PIDFILE [WAIT_S]: TERM the process named by the pid file, wait up to WAIT_S (20) s, then KILL.
# Only pid files are used: we never kill by process name.
stop_pidfile() {
  local name=$1 pidfile=$2 wait_s=${3:-20} pid i
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(tr -dc '0-9' < "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    process_running "$pid" || break
    sleep 0.1
  done
  if process_running "$pid"; then
    log "$name (pid $pid) ignored TERM for $wait_s s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$pidfile"
  log "stopped $name (pid $pid)"
}

# wait_for DESCRIPTION TIMEOUT_S LOGFILE COMMAND...: poll COMMAND every 0.1 s until it succeeds.
# With WATCH_PIDFILE set, a daemon that exits while we wait fails at once instead of at the timeout.
wait_for() {
  local what=$1 timeout=$2 logfile=$3
  shift 3
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  until "$@" >/dev/null 2>&1; do
    if [[ -n ${WATCH_PIDFILE:-} ]] && ! pid_alive "$WATCH_PIDFILE"; then
      die_with_log "$what did not happen: the daemon of $WATCH_PIDFILE exited" "$logfile"
    fi
    if (( $(now_ms) > deadline )); then
      die_with_log "$what did not happen within ${timeout} s" "$logfile"
    fi
    sleep 0.1
  done
}

# A random password of 32 url-safe characters, written once to FILE (mode 600).
ensure_secret_file() {
  local file=$1
  if [[ ! -s $file ]]; then
    umask 077
    head -c 24 /dev/urandom | base64 | tr '+/' '-_' > "$file"
  fi
}

# set_property FILE KEY VALUE: write or replace KEY=VALUE in a properties file.
set_property() {
  local file=$1 key=$2 value=$3
  touch "$file"
  chmod 600 "$file"
  grep -v "^${key}=" "$file" > "$file.tmp" || true
  printf '%s=%s\n' "$key" "$value" >> "$file.tmp"
  mv "$file.tmp" "$file"
}

# start_bench_cloud PORT_BASE: a benchmark's cloud of its own, scripts/run.sh on $RBDSTACK_STATE_DIR (deleted
# first) and ports from PORT_BASE (HTTP +80, HTTPS +443, agent +250, Ceph mon v1 +789 and v2 +300), beside the test
# services (their libvirtd when it runs); stopped when the script exits. run.sh's log: $RBDSTACK_STATE_DIR.out.
start_bench_cloud() {
  local base=$1 scripts out="$RBDSTACK_STATE_DIR.out" # beside the state dir, which is deleted first
  scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  export RBDSTACK_HTTP_PORT=$((base + 80)) RBDSTACK_HTTPS_PORT=$((base + 443)) RBDSTACK_AGENT_PORT=$((base + 250))
  export RBDSTACK_CEPH_V1_PORT=$((base + 789)) RBDSTACK_CEPH_V2_PORT=$((base + 300))
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    export RBDSTACK_LIBVIRT_SHARED=1
  fi
  "$scripts/services.sh" stop >/dev/null 2>&1 || true
  rm -rf "$RBDSTACK_STATE_DIR"
  mkdir -p "$RBDSTACK_STATE_DIR"
  # Stopped at the end, and the OSD's block file deleted (bluestore, sparse: 12-20 GB used after a benchmark; the
  # disk here filled up with them). The logs and the rest stay for a look; that cluster cannot start again, and the
  # next run starts from an empty state dir anyway.
  # The caller's own clean-up, when it defines on_bench_exit, runs after.
  # shellcheck disable=SC2064 # the path is fixed now, on purpose
  trap "\"$scripts/services.sh\" stop >/dev/null 2>&1 || true; rm -rf \"$RBDSTACK_STATE_DIR/ceph/osd-block\" || true
    if declare -F on_bench_exit >/dev/null; then on_bench_exit; fi" EXIT
  log "starting a cloud of its own in $RBDSTACK_STATE_DIR (scripts/run.sh; log $out)"
  "$scripts/run.sh" > "$out" 2>&1 || { cat "$out"; die "scripts/run.sh failed"; }
}

SERVICES_FILE="$RBDSTACK_STATE_DIR/services.properties"
