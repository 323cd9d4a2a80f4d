#!/usr/bin/env python3
"""Transfer benchmark: createVolume latency beside concurrent backups, and the agent's memory.

Run by scripts/bench-transfers.sh on a cloud of its own (scripts/run.sh). On one volume of SIZE MiB,
fully written, with one snapshot per backup (snapshots share the volume's data in Ceph, and none is
backed up when the backups start, so each is full):
  latency   createVolume (a 1 GiB volume, its job followed to its end) sampled with no backup
            running, then again while 8 full backups run (with concurrent.snapshots.threshold.perhost
            as set, 2 by default; sets of 8 one after the other until --busy-samples are taken): p50
            and p99 of each; each volume is deleted again by another thread, and deleteVolume's
            latency is reported as well. The backups' jobs are followed every --load-poll-s (1 s), the
            sampled commands' every 20 ms
  memory    the agent's RSS idle (before any transfer), and its peak (VmHWM, reset first) while
            four full backups run at once (the threshold raised to 4 for them)
  time      one full backup alone through the API beside rbd snap create + export-diff + sync, and
            the wall time of the four and the eight
"""
import argparse
import itertools
import os
import queue
import subprocess
import sys
import threading
import time

from bench_backup import Rbd, agent_memory, log, reset_peak_rss, sync, timed
from cloudapi import CloudApi
from quickstart import properties

MIB = 1 << 20
THRESHOLD = "concurrent.snapshots.threshold.perhost"


def percentile(samples, p):
    """Nearest-rank percentile (p99 of fewer than 100 samples is their largest)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def thread_api(api, poll_s=0.02):
    """A client on api's session for another thread, following its jobs every poll_s seconds."""
    return api.same_session(max_poll_s=poll_s)


class VolumeDeleter:
    """Deletes the sampled volumes on threads of their own, so that a createVolume sample follows the last at once
    (a delete under load takes seconds: sampled in turn, they left few createVolume samples); each delete's wall
    time is kept too. At most MOST_PENDING volumes wait to be deleted (a sample waits for room): the pool's
    allocated capacity stays low. A failed delete ends the benchmark: the volume would be left behind."""

    THREADS = 3
    MOST_PENDING = 6

    def __init__(self, api):
        self.queue = queue.Queue()
        self.room = threading.Semaphore(self.MOST_PENDING)
        self.latencies = []
        self.failures = []
        for _ in range(self.THREADS):
            threading.Thread(target=self._run, args=(thread_api(api),), daemon=True).start()

    def delete(self, volume_id):
        self.room.acquire()
        self.queue.put(volume_id)

    def take_latencies(self):
        """Waits until every delete handed over is done; their wall times (s) since the last call."""
        self.queue.join()
        if self.failures:
            raise SystemExit(f"deleteVolume failed: {self.failures[0]}")
        taken, self.latencies = self.latencies, []
        return taken

    def _run(self, api):
        while True:
            volume_id = self.queue.get()
            try:
                start = time.monotonic()
                api.call("deleteVolume", id=volume_id)
                self.latencies.append(time.monotonic() - start)
            except Exception as e:  # reported by take_latencies, not swallowed
                self.failures.append(e)
            finally:
                self.room.release()
                self.queue.task_done()


def create_volume_latency(api, zone, offering, label, deleter):
    """One createVolume job's wall time (s); the volume goes to the deleter."""
    start = time.monotonic()
    volume = api.call("createVolume", name=f"bench-lat-{label}", zoneid=zone, diskofferingid=offering, size=1)
    took = time.monotonic() - start
    deleter.delete(volume["volume"]["id"])
    return took


def memory_report(pid_file, label):
    """With RBDSTACK_BENCH_NMT=1 (and the agent started with -XX:NativeMemoryTracking=summary): where the agent's
    memory is, on stderr: /proc's smaps_rollup and the JVM's native memory summary."""
    if os.environ.get("RBDSTACK_BENCH_NMT") != "1":
        return
    with open(pid_file, encoding="utf-8") as f:
        pid = f.read().strip()
    with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
        rollup = f.read()
    nmt = subprocess.run(["jcmd", pid, "VM.native_memory", "summary"], capture_output=True, text=True).stdout
    log(f"agent memory {label}:\n{rollup}\n{nmt}")


def concurrent_backups(api, snapshots, poll_s, while_running=None):
    """Backs the snapshots up at once, each job followed every poll_s seconds; while_running() is called in a loop
    until all ended. (wall s, its results)."""
    failures, done = [], []

    def back_up(snapshot):
        try:
            thread_api(api, poll_s).call("backupSnapshot", id=snapshot)
        except Exception as e:  # reported below, not swallowed
            failures.append(e)
        finally:
            done.append(snapshot)

    threads = [threading.Thread(target=back_up, args=(s,)) for s in snapshots]
    results = []
    start = time.monotonic()
    for thread in threads:
        thread.start()
    while len(done) < len(threads):
        if while_running:
            results.append(while_running())
        else:
            time.sleep(0.05)
    for thread in threads:
        thread.join()
    wall = time.monotonic() - start
    if failures:
        raise SystemExit(f"a concurrent backup failed: {failures[0]}")
    return wall, results


def backup_jobs(api):
    """(backupSnapshot jobs pending on the server, of them queued for a transfer worker)."""
    pending = [j for j in api.list("listAsyncJobs", "asyncjobs")
               if j.get("jobstatus") == 0 and j.get("cmd") == "backupSnapshot"]
    return len(pending), sum(1 for j in pending if j.get("transferqueued"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--samples", type=int, default=30, help="createVolume samples with no backup running")
    parser.add_argument("--busy-samples", type=int, default=100,
                        help="createVolume samples at least while 8 backups run (sets of 8 backups follow one another "
                             "until there are as many; p99 of fewer than 100 is their slowest)")
    parser.add_argument("--max-sets", type=int, default=8, help="sets of 8 backups at most, however few the samples")
    parser.add_argument("--load-poll-s", type=float, default=1.0,
                        help="the longest wait between queryAsyncJobResult calls following each of the 8 backups' "
                        "jobs: they are the load, not what is timed; every 20 ms the eight made 400 calls a second, "
                        "and one poll 20 ms after the last took ~2 ms of a young server's CPU (machine of 2 cores)")
    args = parser.parse_args()
    if args.load_poll_s <= 0:
        parser.error("--load-poll-s must be more than 0")

    services = properties(os.path.join(args.state_dir, "services.properties"))
    rbd = Rbd(services["ceph.conf"], services["ceph.admin.keyring"], services["ceph.pool"])
    anchor_dir = os.path.join(args.state_dir, "bench-anchor")
    os.makedirs(anchor_dir, exist_ok=True)
    agent_pid_file = os.path.join(args.state_dir, "agent", "agent.pid")

    api = CloudApi(args.url, max_poll_s=0.02)  # a job's end is seen within 20 ms
    with open(args.password_file, encoding="utf-8") as f:
        api.login("admin", f.read().strip())
    zone = api.list("listZones", "zone")[0]["id"]
    offering = next(o["id"] for o in api.list("listDiskOfferings", "diskoffering") if o["name"] == "custom")
    threshold = api.list("listConfigurations", "configuration", name=THRESHOLD)[0]["value"]
    size_gib = max(1, args.size_mib // 1024)

    idle_rss, _ = agent_memory(agent_pid_file)
    memory_report(agent_pid_file, "idle")
    volume = api.call("createVolume", name=f"bench-src-{os.getpid()}", zoneid=zone, diskofferingid=offering,
                      size=size_gib)["volume"]
    image = api.list("listVolumes", "volume", id=volume["id"])[0]["path"]
    log(f"volume {volume['id']} ({size_gib} GiB): writing all of it")
    rbd.write(image, 4 * MIB, size_gib << 30, "seq")

    log(f"createVolume with no backup running, {args.samples} samples")
    deleter = VolumeDeleter(api)
    quiet, quiet_deletes = [], []
    for i in range(args.samples):
        quiet.append(create_volume_latency(api, zone, offering, f"q{i}", deleter))
        quiet_deletes += deleter.take_latencies()  # one at a time: nothing else runs beside a quiet sample

    # One full backup alone, beside Ceph's own tool on the same data.
    alone = api.call("createSnapshot", volumeid=volume["id"])["snapshot"]["id"]
    ours_alone = timed(lambda: api.call("backupSnapshot", id=alone))
    full_file = os.path.join(anchor_dir, "transfers-full.rbddiff")
    if os.path.exists(full_file):
        os.remove(full_file)
    anchor_alone = timed(lambda: (rbd.run("snap", "create", rbd.spec(image, "anchor")),
                                  rbd.run("export-diff", rbd.spec(image, "anchor"), full_file), sync(full_file)))
    rbd.run("snap", "rm", rbd.spec(image, "anchor"))
    os.remove(full_file)
    api.call("deleteSnapshot", id=alone)

    # Four at once, for the memory bound; the threshold lets all four run.
    api.call("updateConfiguration", name=THRESHOLD, value="4")
    four = [api.call("createSnapshot", volumeid=volume["id"])["snapshot"]["id"] for _ in range(4)]
    log("four concurrent full backups (threshold 4): the agent's peak RSS")
    reset_peak_rss(agent_pid_file)
    four_wall, _ = concurrent_backups(api, four, poll_s=0.1)
    _, four_peak = agent_memory(agent_pid_file)
    memory_report(agent_pid_file, "after four concurrent backups")
    for snapshot in four:
        api.call("deleteSnapshot", id=snapshot)
    api.call("updateConfiguration", name=THRESHOLD, value=threshold)

    # Sets of eight at once, with createVolume sampled the whole time (and the volumes deleted beside).
    most_queued = [0]
    busy, busy_deletes, eight_walls = [], [], []
    sample_numbers = itertools.count(1)

    def sample():
        """A createVolume sample, or None once the server runs no backup any more: the backups' threads see their
        jobs end up to --load-poll-s later."""
        pending, queued = backup_jobs(api)
        most_queued[0] = max(most_queued[0], queued)
        if pending == 0:
            time.sleep(0.05)
            return None
        return create_volume_latency(api, zone, offering, f"b{next(sample_numbers)}", deleter)

    while len(busy) < args.busy_samples and len(eight_walls) < args.max_sets:
        eight = [api.call("createSnapshot", volumeid=volume["id"])["snapshot"]["id"] for _ in range(8)]
        log(f"eight concurrent full backups (threshold {threshold}, set {len(eight_walls) + 1}), createVolume "
            f"sampled meanwhile ({len(busy)} samples so far)")
        wall, samples = concurrent_backups(api, eight, args.load_poll_s, sample)
        eight_walls.append(wall)
        busy += [took for took in samples if took is not None]
        busy_deletes += deleter.take_latencies()
        for snapshot in eight:
            api.call("deleteSnapshot", id=snapshot)
    api.call("deleteVolume", id=volume["id"])

    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print()
    print("| Command (a 1 GiB volume; createVolume's job followed to its end) | samples | p50 | p99 |")
    print("|---|---|---|---|")
    print(f"| createVolume, no backup running | {len(quiet)} | {ms(percentile(quiet, 50))} | {ms(percentile(quiet, 99))} |")
    print(f"| createVolume, 8 full {size_gib} GiB backups running (threshold {threshold}, at most {most_queued[0]} queued seen) "
          f"| {len(busy)} | {ms(percentile(busy, 50))} | {ms(percentile(busy, 99))} |")
    print(f"| deleteVolume of each, no backup running (after each sample) | {len(quiet_deletes)} "
          f"| {ms(percentile(quiet_deletes, 50))} | {ms(percentile(quiet_deletes, 99))} |")
    print(f"| deleteVolume of each, 8 backups running ({VolumeDeleter.THREADS} threads beside the samples) "
          f"| {len(busy_deletes)} "
          f"| {ms(percentile(busy_deletes, 50))} | {ms(percentile(busy_deletes, 99))} |")
    print()
    print(f"one full backup alone: {ours_alone:.2f} s through the API, rbd snap create + export-diff + sync "
          f"{anchor_alone:.2f} s ({ours_alone / anchor_alone:.2f}×); four at once {four_wall:.2f} s, "
          f"eight (threshold {threshold}) {', '.join(f'{w:.2f}' for w in eight_walls)} s in {len(eight_walls)} "
          f"set(s) (their jobs followed every {args.load_poll_s:g} s)")
    print(f"agent RSS: {idle_rss} MiB idle (before any transfer), peak {four_peak} MiB during four concurrent "
          f"{size_gib} GiB backups")
    p99 = percentile(busy, 99)
    print(f"createVolume p99 with 8 backups running: {ms(p99)} " + ("< 2 s" if p99 < 2 else "NOT < 2 s"))
    return 0 if p99 < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
