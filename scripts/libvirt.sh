#!/usr/bin/env bash
# libvirtd (monolithic, qemu:///system) with the RBD storage backend, plus virtlogd for domains.
# Pid files, logs and libvirtd.conf live under the state dir; the socket is libvirt's system one.
# RBDSTACK_LIBVIRT_SHARED=1: use the libvirtd that already serves qemu:///system (another state dir's,
# e.g. the test services') without starting, stopping or configuring it: for a second cloud beside it.
# usage: libvirt.sh start|stop|status
source "$(dirname "$0")/common.sh"

L="$RBDSTACK_STATE_DIR/libvirt"
CONF="$L/libvirtd.conf"
PIDFILE="$L/libvirtd.pid"
LOGFILE="$L/libvirtd.log"
VIRTLOGD_PIDFILE="$L/virtlogd.pid"
VIRTLOGD_LOG="$L/virtlogd.log"
URI=qemu:///system
QEMU_CONF=/etc/libvirt/qemu.conf

virsh_ok() { virsh -c "$URI" version; }

# Not a pipe into grep -q: grep's early exit would fail virsh with SIGPIPE under pipefail.
rbd_backend_listed() { [[ $(virsh -c "$URI" pool-capabilities) == *"type='rbd' supported='yes'"* ]]; }

prepare_host() {
  # libvirtd exits at start without the user that libvirt-daemon-system normally creates.
  getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
  getent passwd libvirt-qemu >/dev/null \
    || useradd --system --no-create-home --home-dir /var/lib/libvirt --gid libvirt-qemu --shell /usr/sbin/nologin libvirt-qemu
  # /dev/kvm is root-only here: run QEMU as root, or libvirt re-probes QEMU (~4 s) on every call.
  mkdir -p /etc/libvirt /var/log/libvirt/qemu /var/lib/libvirt /run/libvirt
  if [[ ! -f $QEMU_CONF ]] || ! grep -q '^user = "root"' "$QEMU_CONF"; then
    printf '# added by rbdstack scripts/libvirt.sh: /dev/kvm is root-only on this host\nuser = "root"\ngroup = "root"\n' >> "$QEMU_CONF"
  fi
  cat > "$CONF" <<CONF
unix_sock_group = "root"
unix_sock_ro_perms = "0770"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:$LOGFILE"
CONF
}

shared() { [[ ${RBDSTACK_LIBVIRT_SHARED:-0} == 1 ]]; }

start() {
  local t0
  t0=$(now_ms)
  mkdir -p "$L"
  if shared; then
    virsh_ok >/dev/null 2>&1 || die "RBDSTACK_LIBVIRT_SHARED=1 but no libvirtd answers on $URI"
    rbd_backend_listed || die "the shared libvirtd on $URI has no RBD storage backend"
    write_properties
    log "using the shared libvirtd on $URI (not started or stopped by this state dir)"
    return 0
  fi
  if pid_alive "$PIDFILE" && pid_alive "$VIRTLOGD_PIDFILE" && virsh_ok >/dev/null 2>&1; then
    log "libvirtd already running (pid $(cat "$PIDFILE"), $URI)"
    write_properties
    return 0
  fi
  prepare_host
  if ! pid_alive "$VIRTLOGD_PIDFILE"; then
    virtlogd -d -p "$VIRTLOGD_PIDFILE" > "$VIRTLOGD_LOG" 2>&1 || die_with_log "virtlogd did not start" "$VIRTLOGD_LOG"
  fi
  if ! pid_alive "$PIDFILE"; then
    if [[ -S /run/libvirt/libvirt-sock ]] && virsh_ok >/dev/null 2>&1; then
      die "another libvirtd (not started by this script) already serves $URI; stop it first"
    fi
    : > "$LOGFILE"
    libvirtd -d -f "$CONF" -p "$PIDFILE" >> "$LOGFILE" 2>&1 || die_with_log "libvirtd did not start" "$LOGFILE"
  fi
  WATCH_PIDFILE=$PIDFILE wait_for "libvirtd answering on $URI" 30 "$LOGFILE" virsh_ok
  # Prove the RBD backend is there: the storage driver lists it among its pool types. Right after
  # start the driver may not have loaded its backends yet, so give it a few seconds.
  WATCH_PIDFILE=$PIDFILE wait_for "libvirtd listing the RBD storage backend (is libvirt-daemon-driver-storage-rbd installed?)" \
    15 "$LOGFILE" rbd_backend_listed
  write_properties
  log "libvirtd $(libvirtd --version | awk '{print $NF}') up on $URI with RBD backend (pid $(cat "$PIDFILE")), virtlogd (pid $(cat "$VIRTLOGD_PIDFILE")) in $(elapsed "$t0")"
}

write_properties() { set_property "$SERVICES_FILE" libvirt.uri "$URI"; }

stop() {
  shared && return 0
  stop_pidfile libvirtd "$PIDFILE"
  stop_pidfile virtlogd "$VIRTLOGD_PIDFILE"
}

status() {
  local rc=0
  if shared; then
    if virsh_ok >/dev/null 2>&1; then echo "libvirtd: shared, answering on $URI"; else echo "libvirtd: shared, not answering on $URI"; rc=1; fi
    return $rc
  fi
  if pid_alive "$PIDFILE" && virsh_ok >/dev/null 2>&1; then echo "libvirtd: running (pid $(cat "$PIDFILE"), $URI)"; else echo "libvirtd: stopped"; rc=1; fi
  if pid_alive "$VIRTLOGD_PIDFILE"; then echo "virtlogd: running (pid $(cat "$VIRTLOGD_PIDFILE"))"; else echo "virtlogd: stopped"; rc=1; fi
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
