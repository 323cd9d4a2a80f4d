#!/usr/bin/env bash
# A private NFSv3 server for fault tests: nfs-ganesha exporting DIR/export as nfs://127.0.0.1/export on
# ports of the caller's choice, which a test may kill and start again without touching the shared one of
# scripts/nfs.sh. ganesha must register with an rpcbind, and a second ganesha on the machine's rpcbind
# would take over the shared server's registration (and drop it when it stops). So it runs in a mount
# namespace of its own with an rpcbind of its own: a private /run holds that rpcbind's socket, and a
# private /etc/netconfig keeps the inet transports invisible to it, so it listens on its socket only and
# never on port 111. Clients reach the server with ?nfsport=NFS_PORT&mountport=MOUNT_PORT.
# usage: nfs-private.sh start DIR NFS_PORT MOUNT_PORT   (ready on return; restarts what runs in DIR)
#        nfs-private.sh kill DIR                        (SIGKILL: the server dies as in a crash)
#        nfs-private.sh stop DIR                        (SIGKILL ganesha and the private rpcbind)
source "$(dirname "$0")/common.sh"

listening() { ss -Hltn "sport = :$1" | grep -q .; }

# Inside the namespace: private /run and netconfig, the private rpcbind, then ganesha in the foreground.
inner() {
  local dir=$1
  mount -t tmpfs -o mode=755 tmpfs /run
  mkdir -p /run/rpcbind
  chown _rpc /run/rpcbind 2>/dev/null || true
  mount --bind "$dir/netconfig" /etc/netconfig
  rpcbind -f </dev/null >"$dir/rpcbind.log" 2>&1 &
  echo $! > "$dir/rpcbind.pid"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -S /run/rpcbind.sock ]] && break
    sleep 0.05
  done
  exec ganesha.nfsd -F -f "$dir/ganesha.conf" -L "$dir/ganesha.log" -p "$dir/ganesha.daemon.pid" -N NIV_EVENT
}

write_conf() {
  local dir=$1 nfs_port=$2 mount_port=$3
  # The inet transports are there (ganesha looks them up) but not visible ("-"): rpcbind skips them.
  cat > "$dir/netconfig" <<NETCONFIG
udp        tpi_clts      -     inet     udp     -       -
tcp        tpi_cots_ord  -     inet     tcp     -       -
udp6       tpi_clts      -     inet6    udp     -       -
tcp6       tpi_cots_ord  -     inet6    tcp     -       -
local      tpi_cots_ord  -     loopback  -      -       -
unix       tpi_cots_ord  -     loopback  -      -       -
NETCONFIG
  cat > "$dir/ganesha.conf" <<CONF
NFS_CORE_PARAM {
  Bind_Addr = 127.0.0.1; NFS_Port = $nfs_port; MNT_Port = $mount_port; Protocols = 3, 4;
  mount_path_pseudo = true; Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false;
}
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = $dir/recov;
        Allow_Numeric_Owners = true; Only_Numeric_Owners = true; }
EXPORT { Export_Id = 1; Path = $dir/export; Pseudo = /export; Access_Type = RW; Squash = No_Root_Squash;
         SecType = sys; Protocols = 3, 4; Transports = TCP; FSAL { Name = VFS; } }
LOG { Default_Log_Level = EVENT; }
CONF
}

kill_pidfile() {
  local pidfile=$1 pid
  if pid_alive "$pidfile"; then
    pid=$(tr -dc '0-9' < "$pidfile")
    kill -KILL "$pid" 2>/dev/null || true
    while process_running "$pid"; do sleep 0.05; done
  fi
  rm -f "$pidfile"
}

start() {
  local dir=$1 nfs_port=$2 mount_port=$3 t0
  t0=$(now_ms)
  command -v ganesha.nfsd >/dev/null || die "ganesha.nfsd is missing: run scripts/install-packages.sh"
  stop "$dir"
  listening "$nfs_port" && die "port $nfs_port is taken"
  listening "$mount_port" && die "port $mount_port is taken"
  mkdir -p "$dir/export" "$dir/recov"
  write_conf "$dir" "$nfs_port" "$mount_port"
  : > "$dir/ganesha.log"
  setsid unshare --mount --propagation private "$0" inner "$dir" </dev/null >>"$dir/ganesha.log" 2>&1 &
  echo $! > "$dir/ganesha.pid" # unshare execs the script, which execs ganesha: the same pid
  WATCH_PIDFILE=$dir/ganesha.pid wait_for "private nfs-ganesha on port $nfs_port" 20 "$dir/ganesha.log" \
    listening "$nfs_port"
  WATCH_PIDFILE=$dir/ganesha.pid wait_for "private nfs-ganesha mountd on port $mount_port" 20 "$dir/ganesha.log" \
    listening "$mount_port"
  log "private nfs-ganesha up: nfs://127.0.0.1/export?nfsport=$nfs_port&mountport=$mount_port (pid $(cat "$dir/ganesha.pid")) in $(elapsed "$t0")"
}

stop() {
  local dir=$1
  kill_pidfile "$dir/ganesha.pid"
  kill_pidfile "$dir/rpcbind.pid"
}

case "${1:-}" in
  start) (( $# == 4 )) || die "usage: $0 start DIR NFS_PORT MOUNT_PORT"; start "$(realpath -m "$2")" "$3" "$4" ;;
  kill) (( $# == 2 )) || die "usage: $0 kill DIR"; kill_pidfile "$(realpath -m "$2")/ganesha.pid" ;;
  stop) (( $# == 2 )) || die "usage: $0 stop DIR"; stop "$(realpath -m "$2")" ;;
  inner) inner "$2" ;;
  *) die "usage: $0 start DIR NFS_PORT MOUNT_PORT | kill DIR | stop DIR" ;;
esac
