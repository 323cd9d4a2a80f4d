#!/usr/bin/env bash
# Network namespaces joined by veth pairs, for DHCPv6 (Kea) tests.
# usage: netns.sh create NS_A NS_B   two namespaces, veth "eth0" in A linked to "eth0" in B
#        netns.sh delete NS...       remove namespaces (their veth ends go with them)
#        netns.sh delete-all         remove every namespace this script created
#        netns.sh list
# Created namespaces are recorded in the state dir, so stop removes exactly those.
source "$(dirname "$0")/common.sh"

REGISTRY="$RBDSTACK_STATE_DIR/netns.list"
touch "$REGISTRY"

exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

new_ns() {
  local ns=$1
  exists "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
  # Without these, the veth's link-local address stays tentative for ~1 s (DAD).
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  grep -qx "$ns" "$REGISTRY" || echo "$ns" >> "$REGISTRY"
}

create() {
  local a=$1 b=$2 t0 tmp_a tmp_b
  t0=$(now_ms)
  new_ns "$a"
  new_ns "$b"
  if ip -n "$a" link show eth0 >/dev/null 2>&1 && ip -n "$b" link show eth0 >/dev/null 2>&1; then
    log "namespaces $a and $b already joined"
    return 0
  fi
  # veth names are global until moved: make them unique and short (15 chars).
  tmp_a="rv$$a"; tmp_b="rv$$b"
  ip link add "$tmp_a" type veth peer name "$tmp_b"
  ip link set "$tmp_a" netns "$a"
  ip link set "$tmp_b" netns "$b"
  ip -n "$a" link set "$tmp_a" name eth0
  ip -n "$b" link set "$tmp_b" name eth0
  ip -n "$a" link set eth0 up
  ip -n "$b" link set eth0 up
  log "namespaces $a and $b joined by a veth pair (eth0 each side) in $(elapsed "$t0")"
}

delete() {
  local ns
  for ns in "$@"; do
    exists "$ns" && ip netns delete "$ns" && log "deleted namespace $ns"
    grep -vx "$ns" "$REGISTRY" > "$REGISTRY.tmp" || true
    mv "$REGISTRY.tmp" "$REGISTRY"
  done
}

case "${1:-}" in
  create) (( $# == 3 )) || die "usage: $0 create NS_A NS_B"; create "$2" "$3" ;;
  delete) shift; delete "$@" ;;
  delete-all) mapfile -t all < "$REGISTRY"; (( ${#all[@]} == 0 )) || delete "${all[@]}" ;;
  list) cat "$REGISTRY" ;;
  *) die "usage: $0 create NS_A NS_B | delete NS... | delete-all | list" ;;
esac
