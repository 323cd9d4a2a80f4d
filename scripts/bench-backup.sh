#!/usr/bin/env bash
# Snapshot backup benchmark, side by side in one run on the same snapshots of one image in the
# harness pool: rbdstack's agent code (RbdBackups: librbd diff + rbd diff v1 stream, run through a
# small Java main; the agent's SHA-256, fsync and rename of the file are not in it) against Ceph's own `rbd export-diff` / `import-diff`, and CloudStack's way of
# backing up an RBD snapshot (`qemu-img convert -O qcow2`, full only). Prints wall time, throughput
# and peak RSS of each, and whether our files equal rbd export-diff's byte for byte.
# Needs scripts/services.sh start ceph.
# usage: scripts/bench-backup.sh [image MiB, default 512] [written MiB, default 256]
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
size_mib=${1:-512}
written_mib=${2:-256}
[[ -f $SERVICES_FILE ]] || die "no $SERVICES_FILE: scripts/services.sh start ceph"
prop() { grep "^$1=" "$SERVICES_FILE" | cut -d= -f2-; }
conf=$(prop ceph.conf); keyring=$(prop ceph.admin.keyring); pool=$(prop ceph.pool)
rbd_() { rbd --conf "$conf" --keyring "$keyring" --id admin "$@"; }

log "building the agent's test classes"
(cd "$here" && flock /tmp/rbdstack-mvn.lock mvn -B -q -o install -DskipTests -pl agent-kvm -am >/dev/null \
  && flock /tmp/rbdstack-mvn.lock mvn -B -q -o dependency:build-classpath -pl agent-kvm -Dmdep.includeScope=test \
       -Dmdep.outputFile=/tmp/rbdstack-bench-cp.txt >/dev/null) || die "build failed"
cp="$here/agent-kvm/target/test-classes:$here/agent-kvm/target/classes:$(cat /tmp/rbdstack-bench-cp.txt)"

work=$(mktemp -d /tmp/rbdstack-bench-backup.XXXXXX)
img="bench-$$"
trap 'for i in "$img" "$img-ours" "$img-ceph"; do rbd_ snap purge "$pool/$i" >/dev/null 2>&1; rbd_ rm "$pool/$i" >/dev/null 2>&1; done; rm -rf "$work"' EXIT

log "image of $size_mib MiB, $written_mib MiB written, snapshot s1, 64 KiB random writes of 5% of the image, snapshot s2"
rbd_ create --size "${size_mib}M" --image-feature layering,exclusive-lock,object-map,fast-diff,deep-flatten "$pool/$img"
rbd_ bench --io-type write --io-size 4M --io-total "${written_mib}M" --io-pattern rand "$pool/$img" >/dev/null
rbd_ snap create "$pool/$img@s1" 2>/dev/null
rbd_ bench --io-type write --io-size 64K --io-total "$((size_mib / 20))M" --io-pattern rand "$pool/$img" >/dev/null
rbd_ snap create "$pool/$img@s2" 2>/dev/null

# measure LABEL "FILES" CMD... -> one table row: wall time, MiB/s of backup data (the sizes of FILES,
# read after CMD ran), peak RSS, and for our Java main the time it measured itself (without JVM start)
measure() {
  local label=$1 files=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; die "$label failed"; }
  read -r secs rss <"$work/time"
  # shellcheck disable=SC2086
  local bytes; bytes=$(stat -c %s $files | paste -sd+ | bc)
  local inproc; inproc=$(awk '/ ms /{printf "%.2f s in-process", $2/1000}' "$work/out")
  printf '| %s | %.2f s | %.0f MiB/s | %d MiB | %s |\n' "$label" "$secs" "$(echo "$bytes / 1048576 / $secs" | bc -l)" \
    "$((rss / 1024))" "$inproc"
}
bench_main=(java -cp "$cp" io.rbdstack.agent.bench.BackupBenchmark)
rbd_cmd=(rbd --conf "$conf" --keyring "$keyring" --id admin)

echo
echo "| Step ($written_mib MiB written in a $size_mib MiB image) | Wall | Backup data / s | Peak RSS | Note |"
echo "|---|---|---|---|---|"
measure "full backup: rbdstack agent (JVM start incl.)" "$work/ours-full" "${bench_main[@]}" export "$img" - s1 "$work/ours-full"
measure "full backup: rbd export-diff" "$work/ceph-full" "${rbd_cmd[@]}" export-diff "$pool/$img@s1" "$work/ceph-full"
measure "full backup: qemu-img convert -O qcow2 (CloudStack)" "$work/cloudstack.qcow2" qemu-img convert -O qcow2 \
  "rbd:$pool/$img@s1:id=admin:conf=$conf:keyring=$keyring" "$work/cloudstack.qcow2"
measure "incremental s1→s2: rbdstack agent" "$work/ours-incr" "${bench_main[@]}" export "$img" s1 s2 "$work/ours-incr"
measure "incremental s1→s2: rbd export-diff" "$work/ceph-incr" "${rbd_cmd[@]}" export-diff --from-snap s1 "$pool/$img@s2" "$work/ceph-incr"
measure "restore full+incr: rbdstack agent" "$work/ours-full $work/ours-incr" "${bench_main[@]}" restore "$img-ours" "$((size_mib << 20))" \
  "$work/ours-full" "$work/ours-incr"
rbd_ create --size "${size_mib}M" "$pool/$img-ceph"
measure "restore full+incr: rbd import-diff ×2" "$work/ceph-full $work/ceph-incr" bash -c "rbd --conf $conf --keyring $keyring --id admin \
  import-diff $work/ceph-full $pool/$img-ceph && rbd --conf $conf --keyring $keyring --id admin import-diff \
  $work/ceph-incr $pool/$img-ceph"
echo
printf 'backup files: ours %s + %s bytes, rbd export-diff %s + %s bytes, qcow2 %s bytes\n' \
  "$(stat -c %s "$work/ours-full")" "$(stat -c %s "$work/ours-incr")" "$(stat -c %s "$work/ceph-full")" \
  "$(stat -c %s "$work/ceph-incr")" "$(stat -c %s "$work/cloudstack.qcow2")"
cmp -s "$work/ours-full" "$work/ceph-full" && cmp -s "$work/ours-incr" "$work/ceph-incr" \
  || die "our backup files differ from rbd export-diff's"
echo "our backup files are byte-identical to rbd export-diff's"
ours=$(rbd_ export "$pool/$img-ours" - 2>/dev/null | sha256sum | cut -c1-16)
theirs=$(rbd_ export "$pool/$img@s2" - 2>/dev/null | sha256sum | cut -c1-16)
[[ $ours == "$theirs" ]] && echo "restored image equals s2 (sha256 $ours…)" || die "restored image differs from s2"
