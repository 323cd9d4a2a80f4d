#!/usr/bin/env bash
# Starts, stops or reports every real service the tests and the server need.
# usage: services.sh start|stop|status [mariadb] [ceph] [rgw] [libvirt] [nfs]   (default: all)
# stop (of all) first stops the agent and the management server of scripts/run.sh by their pid files;
# status also reports them when they were started.
source "$(dirname "$0")/common.sh"
here=$(dirname "$0")

action=${1:-}
shift || true
services=("$@")
(( ${#services[@]} )) || services=(mariadb ceph rgw libvirt nfs) # rgw runs on ceph's cluster

case "$action" in
  start)
    t0=$(now_ms)
    for s in "${services[@]}"; do "$here/$s.sh" start; done
    log "services up in $(elapsed "$t0"); state dir $RBDSTACK_STATE_DIR, locations in $SERVICES_FILE"
    ;;
  stop)
    if (( $# == 0 )); then
      "$here/agent.sh" stop
      "$here/server.sh" stop
    fi
    for ((i = ${#services[@]} - 1; i >= 0; i--)); do "$here/${services[i]}.sh" stop; done
    "$here/netns.sh" delete-all
    ;;
  status)
    rc=0
    for s in "${services[@]}"; do "$here/$s.sh" status || rc=1; done
    [[ -f $RBDSTACK_STATE_DIR/server/server.pid ]] && { "$here/server.sh" status || true; }
    [[ -f $RBDSTACK_STATE_DIR/agent/agent.pid ]] && { "$here/agent.sh" status || true; }
    exit $rc
    ;;
  *) die "usage: $0 start|stop|status [mariadb] [ceph] [rgw] [libvirt] [nfs]" ;;
esac
