#!/usr/bin/env bash
# An NFSv3 server entirely in user space (nfs-ganesha, VFS backend) on 127.0.0.1, exporting a
# directory under the state dir as nfs://127.0.0.1/export. The kernel needs no NFS client: the agent
# reaches it through libnfs. ganesha registers NFSv3 with rpcbind (port 111, one per machine), so an
# rpcbind already running is used, else one is started (and stopped again by this script only).
# Ports: RBDSTACK_NFS_PORT (2049) and RBDSTACK_NFS_MOUNT_PORT (20048); a test that needs a dead or a
# second server uses other ports or a closed one.
# usage: nfs.sh start|stop|status
source "$(dirname "$0")/common.sh"

N="$RBDSTACK_STATE_DIR/nfs"
EXPORT_DIR="$N/export"
CONF="$N/ganesha.conf"
LOGFILE="$N/ganesha.log"
PIDFILE="$N/ganesha.pid"
RPCBIND_PIDFILE="$N/rpcbind.pid"
RPCBIND_LOG="$N/rpcbind.log"
NFS_PORT=${RBDSTACK_NFS_PORT:-2049}
MOUNT_PORT=${RBDSTACK_NFS_MOUNT_PORT:-20048}
PSEUDO=/export

listening() { ss -Hltn "sport = :$1" | grep -q .; }

write_conf() {
  cat > "$CONF" <<CONF
NFS_CORE_PARAM {
  Bind_Addr = 127.0.0.1; NFS_Port = $NFS_PORT; MNT_Port = $MOUNT_PORT; Protocols = 3, 4;
  mount_path_pseudo = true; Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false;
}
# Graceless: no 90 s grace period after a start. Numeric owners: no idmapd.
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = $N/recov;
        Allow_Numeric_Owners = true; Only_Numeric_Owners = true; }
# No root squash: the agent runs as root, and a squashed root gets NFS3ERR_ACCES.
EXPORT { Export_Id = 1; Path = $EXPORT_DIR; Pseudo = $PSEUDO; Access_Type = RW; Squash = No_Root_Squash;
         SecType = sys; Protocols = 3, 4; Transports = TCP; FSAL { Name = VFS; } }
LOG { Default_Log_Level = EVENT; }
CONF
}

start_rpcbind() {
  if listening 111; then
    return 0 # ours from an earlier start, or the machine's: ganesha only needs one
  fi
  # rpcbind -h 127.0.0.1 crashes on Debian 12 (a glibc double free), so it listens on all addresses.
  setsid rpcbind -f </dev/null >"$RPCBIND_LOG" 2>&1 &
  echo $! > "$RPCBIND_PIDFILE"
  WATCH_PIDFILE=$RPCBIND_PIDFILE wait_for "rpcbind listening on port 111" 10 "$RPCBIND_LOG" listening 111
}

start() {
  local t0
  t0=$(now_ms)
  command -v ganesha.nfsd >/dev/null || die "ganesha.nfsd is missing: run scripts/install-packages.sh"
  mkdir -p "$EXPORT_DIR" "$N/recov"
  if pid_alive "$PIDFILE"; then
    log "nfs-ganesha already running (pid $(cat "$PIDFILE"), nfs://127.0.0.1$PSEUDO, ports $NFS_PORT/$MOUNT_PORT)"
    write_properties
    return 0
  fi
  listening "$NFS_PORT" && die "port $NFS_PORT is taken by another process: set RBDSTACK_NFS_PORT"
  listening "$MOUNT_PORT" && die "port $MOUNT_PORT is taken by another process: set RBDSTACK_NFS_MOUNT_PORT"
  start_rpcbind
  write_conf
  : > "$LOGFILE"
  setsid ganesha.nfsd -F -f "$CONF" -L "$LOGFILE" -p "$PIDFILE" -N NIV_EVENT </dev/null >>"$LOGFILE" 2>&1 &
  echo $! > "$PIDFILE"
  WATCH_PIDFILE=$PIDFILE wait_for "nfs-ganesha serving on port $NFS_PORT" 20 "$LOGFILE" listening "$NFS_PORT"
  WATCH_PIDFILE=$PIDFILE wait_for "nfs-ganesha mountd on port $MOUNT_PORT" 20 "$LOGFILE" listening "$MOUNT_PORT"
  write_properties
  log "nfs-ganesha up: nfs://127.0.0.1$PSEUDO (NFSv3, ports $NFS_PORT/$MOUNT_PORT, pid $(cat "$PIDFILE")) in $(elapsed "$t0")"
}

write_properties() {
  set_property "$SERVICES_FILE" nfs.url "nfs://127.0.0.1$PSEUDO"
  set_property "$SERVICES_FILE" nfs.export.dir "$EXPORT_DIR"
  set_property "$SERVICES_FILE" nfs.port "$NFS_PORT"
  set_property "$SERVICES_FILE" nfs.mount.port "$MOUNT_PORT"
}

stop() {
  stop_pidfile nfs-ganesha "$PIDFILE"
  stop_pidfile rpcbind "$RPCBIND_PIDFILE" # only one this script started
}

status() {
  if pid_alive "$PIDFILE" && listening "$NFS_PORT"; then
    echo "nfs-ganesha: running (pid $(cat "$PIDFILE"), nfs://127.0.0.1$PSEUDO, ports $NFS_PORT/$MOUNT_PORT)"
  else
    echo "nfs-ganesha: stopped"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
