#!/usr/bin/env bash
# Builds the tiny bootable test template: a 32 MiB raw disk, whole-disk FAT16 ("superfloppy") with
# syslinux, Debian's cloud kernel and a busybox-static initramfs whose /init loads the virtio drivers,
# starts acpid (ACPI power button -> poweroff), prints RBDSTACK-BOOTED on ttyS0 and then every 2 s
#   RBDSTACK-ALIVE <uptime> disks=<ls /sys/block> macs=<every NIC's MAC but lo's> ip6=<its DHCPv6 address>
# In the background it brings its first NIC up and asks DHCPv6 for an address with ISC dhclient
# (copied from this host with its libc: Debian's busybox-static 1.35 has no udhcpc6), sending a
# DUID-LL (00:03:00:01:<mac>), and prints RBDSTACK-IPV6 <address> when it has one.
# No mounts, no loop devices, nothing installed: the .debs are downloaded (once) and unpacked.
#
# Usage: scripts/build-test-template.sh        prints the image's path and its SHA-256 last:
#   template: /tmp/rbdstack/template/rbdstack-test-template.raw
#   sha256:   <hex>
# Cached in $RBDSTACK_STATE_DIR/template: a second run with the same inputs does nothing.
source "$(dirname "$0")/common.sh"

DIR="$RBDSTACK_STATE_DIR/template"
DEBS="$DIR/debs"
OUT="$DIR/rbdstack-test-template.raw"
STAMP="$DIR/rbdstack-test-template.inputs"
mkdir -p "$DEBS"
# One build at a time per state dir (test runs of several engineers may share it).
exec 9>"$DIR/.lock"
flock 9

for tool in mkfs.fat mcopy syslinux dhclient; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-packages.sh (syslinux, mtools, dosfstools, isc-dhcp-client)"
done

# The cloud kernel's ABI package (linux-image-6.1.0-NN-cloud-amd64) behind the meta package.
kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}
KPKG=$(kernel_package)
if [[ -z $KPKG ]]; then
  apt-get update -q >/dev/null 2>&1 || true
  KPKG=$(kernel_package)
fi
[[ -n $KPKG ]] || die "apt-cache knows no linux-image-cloud-amd64: is a Debian mirror configured?"

DHCLIENT=$(command -v dhclient)
# The inputs: both packages' versions, the guest's dhclient and this script. Same inputs, same image: nothing to do.
inputs="$KPKG $(apt-cache policy "$KPKG" busybox-static | awk '/Candidate:/ {print $2}' | tr '\n' ' ')"
inputs+=" $(sha256sum "$0" "$DHCLIENT" | cut -d' ' -f1 | tr '\n' ' ')"
if [[ -s $OUT && -s $STAMP && $(cat "$STAMP") == "$inputs" ]]; then
  log "test template up to date"
else
  start=$(now_ms)
  # Download only (never install: the kernel's package would run initramfs hooks on this host).
  for pkg in "$KPKG" busybox-static; do
    if ! ls "$DEBS/${pkg}_"*.deb >/dev/null 2>&1; then
      log "downloading $pkg"
      (cd "$DEBS" && apt-get download -q "$pkg" >/dev/null 2>"$DEBS/download.log") \
        || die_with_log "apt-get download $pkg failed" "$DEBS/download.log"
    fi
  done

  WORK=$(mktemp -d "$DIR/build.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  dpkg-deb -x "$(ls "$DEBS/${KPKG}_"*.deb | head -1)" "$WORK/kernel"
  dpkg-deb -x "$(ls "$DEBS/busybox-static_"*.deb | head -1)" "$WORK/bb"
  VMLINUZ=$(ls "$WORK"/kernel/boot/vmlinuz-* | head -1)
  MODDIR=$(ls -d "$WORK"/kernel/lib/modules/*/kernel | head -1)

  ROOT="$WORK/root"
  mkdir -p "$ROOT"/{bin,dev,proc,sys,etc/acpi/PWRF,etc/dhcp,lib/modules,var/log,var/run,var/lib/dhcp}
  cp "$WORK/bb/bin/busybox" "$ROOT/bin/busybox"
  ln -s busybox "$ROOT/bin/sh"
  # Each module before those that depend on it (their modinfo depends=); virtio is built as modules.
  MODULES=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk
           failover net_failover virtio_net button evdev)
  for m in "${MODULES[@]}"; do
    ko=$(find "$MODDIR" -name "$m.ko" | head -1)
    [[ -n $ko ]] || die "the kernel package $KPKG has no module $m.ko"
    cp "$ko" "$ROOT/lib/modules/"
  done
  # dhclient and the libraries it links (glibc only: ISC's libraries are linked in statically).
  cp "$DHCLIENT" "$ROOT/bin/dhclient"
  for lib in $(ldd "$DHCLIENT" | awk '$1 ~ /^\// {print $1} $3 ~ /^\// {print $3}'); do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
  done
  # Each try gives up after 10 s (the loop in /init tries again), so a bridge served later is not
  # missed for dhclient's default minute.
  echo 'timeout 10;' > "$ROOT/etc/dhcp/dhclient6.conf"
  # dhclient's script: the address it was given goes on the NIC and to the console.
  cat > "$ROOT/bin/dhcp6-script" <<'EOF'
#!/bin/sh
case "$reason" in
  BOUND6|RENEW6|REBIND6|REBOOT6)
    if [ -n "$new_ip6_address" ]; then
      busybox ip -6 addr replace "$new_ip6_address/${new_ip6_prefixlen:-128}" dev "$interface"
      echo "$new_ip6_address" > /var/run/ip6
      echo "RBDSTACK-IPV6 $new_ip6_address" > /dev/ttyS0
    fi ;;
esac
exit 0
EOF
  chmod 755 "$ROOT/bin/dhcp6-script"
  # busybox acpid maps the power button (PWRF/00000080) to /etc/acpi/PWRF/00000080.
  printf '#!/bin/sh\necho RBDSTACK-POWEROFF > /dev/ttyS0\npoweroff -f\n' > "$ROOT/etc/acpi/PWRF/00000080"
  chmod 755 "$ROOT/etc/acpi/PWRF/00000080"
  cat > "$ROOT/init" <<EOF
#!/bin/sh
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sysfs /sys
busybox mount -t devtmpfs devtmpfs /dev
for m in ${MODULES[*]}; do
  busybox insmod /lib/modules/\$m.ko || echo "RBDSTACK-INSMOD-FAILED \$m" > /dev/ttyS0
done
busybox acpid -c /etc/acpi -l /var/log/acpid.log || echo RBDSTACK-ACPID-FAILED > /dev/ttyS0
echo RBDSTACK-BOOTED > /dev/ttyS0
# DHCPv6 on the first NIC, retried until it answers: the host may serve the bridge only once this
# NIC's tap joined it. The link-local address must have left DAD first, hence the wait.
(
  nic=\$(busybox ls /sys/class/net | busybox grep -v '^lo\$' | busybox head -1)
  [ -n "\$nic" ] || exit 0
  busybox sysctl -qw net.ipv6.conf.\$nic.accept_ra=1
  busybox ip link set lo up
  busybox ip link set "\$nic" up
  while busybox ip -6 addr show dev "\$nic" | busybox grep -q tentative \
      || ! busybox ip -6 addr show dev "\$nic" | busybox grep -q 'scope link'; do
    busybox sleep 1
  done
  until [ -s /var/run/ip6 ]; do
    dhclient -6 -1 -D LL -cf /etc/dhcp/dhclient6.conf -sf /bin/dhcp6-script \
      -lf /var/lib/dhcp/dhclient6.leases -pf /var/run/dhclient6.pid "\$nic" > /var/log/dhclient6.log 2>&1 \
      || busybox sleep 2
  done
) &
while true; do
  macs=
  for n in /sys/class/net/*; do
    [ "\${n##*/}" = lo ] || macs="\$macs\$(busybox cat \$n/address),"
  done
  echo "RBDSTACK-ALIVE \$(busybox cut -d' ' -f1 /proc/uptime) disks=\$(busybox ls /sys/block | busybox tr '\n' ,) macs=\$macs ip6=\$(busybox cat /var/run/ip6 2>/dev/null)" > /dev/ttyS0
  busybox sleep 2
done
EOF
  chmod 755 "$ROOT/init"
  mknod -m 600 "$ROOT/dev/console" c 5 1 # without it the kernel gives /init no stdio
  (cd "$ROOT" && find . | "$ROOT/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -9 > "$WORK/initrd.gz"

  printf 'SERIAL 0 115200\nDEFAULT l\nPROMPT 0\nTIMEOUT 0\nLABEL l\n KERNEL VMLINUZ\n INITRD INITRD.GZ\n APPEND console=ttyS0 quiet panic=-1\n' \
    > "$WORK/SYSLINUX.CFG"
  IMG="$WORK/boot.raw"
  truncate -s 32M "$IMG"
  mkfs.fat -F 16 -n RBDTEST "$IMG" >/dev/null
  mcopy -i "$IMG" "$VMLINUZ" ::/VMLINUZ
  mcopy -i "$IMG" "$WORK/initrd.gz" ::/INITRD.GZ
  mcopy -i "$IMG" "$WORK/SYSLINUX.CFG" ::/SYSLINUX.CFG
  syslinux --install "$IMG" # the boot sector and ldlinux.sys/.c32, through mtools
  mv "$IMG" "$OUT"
  printf '%s' "$inputs" > "$STAMP"
  log "test template built in $(elapsed "$start") (kernel $KPKG)"
fi
echo "template: $OUT"
echo "sha256:   $(sha256sum "$OUT" | cut -d' ' -f1)"
