#!/usr/bin/env bash
# Installs the Debian packages the real services need. Skips what is already installed.
source "$(dirname "$0")/common.sh"

PACKAGES=(
  mariadb-server mariadb-client libncurses5
  ceph-mon ceph-osd ceph-mgr ceph-common librados2 librbd1
  libvirt-daemon libvirt-daemon-driver-storage-rbd libvirt-clients libvirt0
  qemu-system-x86 qemu-utils qemu-block-extra
  kea-dhcp6-server kea-admin kea-ctrl-agent isc-dhcp-client iproute2 procps socat radvd ndisc6
  chromium chromium-driver
  uuid-runtime
  nfs-ganesha nfs-ganesha-vfs rpcbind libnfs13 libnfs-utils
  radosgw s3cmd
  syslinux syslinux-common mtools dosfstools
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

# The web UI's build (engine/server, run by Maven) needs node and npm. A machine that already has both
# keeps them: a Node.js of another packaging bundles npm, and Debian's npm package would replace it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if (( ${#missing[@]} == 0 )); then
  log "all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

start=$(now_ms)
log "installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" > "$RBDSTACK_STATE_DIR/apt.log" 2>&1 \
  || die_with_log "apt-get install failed" "$RBDSTACK_STATE_DIR/apt.log"
log "installed ${#missing[@]} packages in $(elapsed "$start")"
