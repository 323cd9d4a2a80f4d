"""The NFS and S3 columns of scripts/bench_backup.py: the same backup, incremental and restore through
the API, to an NFS image store (nfs-ganesha of scripts/nfs.sh, reached by the agent through libnfs)
and to an S3 one (Ceph RGW of scripts/rgw.sh), beside the same bytes moved by the store's own client
in the same run:
  NFS  rbd export-diff to a local file + sync, then nfs-cp of that file; restore: nfs-cat | rbd import-diff -
  S3   rbd export-diff to a local file + sync, then s3cmd put of that file; restore: s3cmd get - | rbd import-diff -
(nfs-cp reads only regular files, so both anchors go through a local file; the transfer alone is
printed too). The restored volume must equal the anchor's restore (SHA-256).
Secrets: the S3 keys go to s3cmd through a config file of mode 600, never a command line.
"""
import os
import subprocess
import sys
import time
import uuid
from statistics import median

MIB = 1 << 20


def _log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _timed(action):
    start = time.monotonic()
    action()
    return time.monotonic() - start


class NfsTarget:
    """A directory of the test NFS export: the product's store and nfs-cp's destination."""

    def __init__(self, services):
        self.url = services["nfs.url"]  # nfs://127.0.0.1/export
        self.export_dir = services["nfs.export.dir"]
        self.ports = f"nfsport={services['nfs.port']}&mountport={services['nfs.mount.port']}"
        self.subdir = f"bench-backup-{uuid.uuid4()}"
        os.makedirs(os.path.join(self.export_dir, self.subdir))  # the export is a directory of this machine

    name = "NFS"
    tool = "nfs-cp"
    fetch_tool = "nfs-cat"

    def add_store(self, api, zone):
        return api.call("addImageStore", provider="NFS", name=f"bench-nfs-{os.getpid()}", zoneid=zone,
                        url=f"{self.url}/{self.subdir}?{self.ports}")["imagestore"]["id"]

    def _url(self, key):
        return f"{self.url}/{self.subdir}/{key}?{self.ports}"

    def put(self, local_file, key):
        subprocess.run(["nfs-cp", local_file, self._url(key)], check=True, stdout=subprocess.DEVNULL)

    def reader(self, key):
        return ["nfs-cat", self._url(key)]

    def clean_up(self, keys=()):
        subprocess.run(["rm", "-rf", "--", os.path.join(self.export_dir, self.subdir)], check=True)


class S3Target:
    """A bucket on the bench cloud's RGW: the product's store and s3cmd's destination."""

    def __init__(self, services, work_dir):
        self.endpoint = services["s3.endpoint"]  # 127.0.0.1:port
        self.access_key = services["s3.access.key"]
        with open(services["s3.secret.key.file"], encoding="utf-8") as f:
            self.secret_key = f.read().strip()
        self.bucket = f"bench-backup-{os.getpid()}"
        self.config = os.path.join(work_dir, "s3cmd.cfg")
        fd = os.open(self.config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            # Path-style requests (host_bucket without %(bucket)s), plain HTTP, signature v4.
            f.write(f"[default]\naccess_key = {self.access_key}\nsecret_key = {self.secret_key}\n"
                    f"host_base = {self.endpoint}\nhost_bucket = {self.endpoint}\nuse_https = False\n"
                    f"signature_v2 = False\nbucket_location = {services.get('s3.region', 'us-east-1')}\n"
                    "progress_meter = False\n")
        self.s3cmd("mb", f"s3://{self.bucket}")

    name = "S3"
    tool = "s3cmd put"
    fetch_tool = "s3cmd get"

    def s3cmd(self, *args):
        subprocess.run(["s3cmd", "-c", self.config, "--quiet", *args], check=True, stdout=subprocess.DEVNULL)

    def add_store(self, api, zone):
        details = {"accesskey": self.access_key, "secretkey": self.secret_key, "bucket": self.bucket,
                   "endpoint": self.endpoint, "usehttps": "false"}
        params = {}
        for i, (key, value) in enumerate(details.items()):
            params[f"details[{i}].key"], params[f"details[{i}].value"] = key, value
        return api.call("addImageStore", provider="S3", name=f"bench-s3-{os.getpid()}", zoneid=zone,
                        **params)["imagestore"]["id"]

    def put(self, local_file, key):
        self.s3cmd("put", local_file, f"s3://{self.bucket}/{key}")

    def reader(self, key):
        return ["s3cmd", "-c", self.config, "--quiet", "get", f"s3://{self.bucket}/{key}", "-"]

    def clean_up(self, keys=()):
        self.s3cmd("del", *[f"s3://{self.bucket}/{key}" for key in ("full.rbddiff", "incr.rbddiff", *keys)])
        self.s3cmd("rb", f"s3://{self.bucket}")  # refused if a backup of ours were left behind
        os.remove(self.config)


def _import_diff(rbd, reader, image):
    """reader's output piped into rbd import-diff (both must succeed)."""
    with subprocess.Popen(reader, stdout=subprocess.PIPE) as source:
        subprocess.run(["rbd", "--conf", rbd.conf, "--keyring", rbd.keyring, "--id", "admin", "import-diff", "--no-progress", "-",
                        rbd.spec(image)], stdin=source.stdout, check=True, stdout=subprocess.DEVNULL)
        source.stdout.close()
    if source.returncode != 0:
        raise SystemExit(f"{reader[0]} failed with {source.returncode}")


def restore_rounds(api, rbd, snapshot, anchor_into, rounds, what, log=_log, before_each=None):
    """ROUNDS more restores of SNAPSHOT through the API and by ANCHOR_INTO(image name) (the anchor's own restore into
    a new image), taking turns to go first (the OSD's CPU per GiB written swings from one minute to the next whoever
    writes; the first round goes the anchor first), each volume and image deleted after it: [(ours, anchor)] s.
    BEFORE_EACH(), when given, runs before each round."""
    results = []
    for n in range(1, rounds + 1):
        if before_each:
            before_each()
        image = f"bench-anchor-{os.getpid()}-{n}"
        volume = {}

        def ours():
            return _timed(lambda: volume.update(api.call("createVolume", name=f"bench-restored-{os.getpid()}-{n}",
                                                         snapshotid=snapshot)["volume"]))

        def anchor():
            return _timed(lambda: anchor_into(image))

        if n % 2:
            anchor_time, our_time = anchor(), ours()
        else:
            our_time, anchor_time = ours(), anchor()
        api.call("deleteVolume", id=volume["id"])
        rbd.run("snap", "purge", rbd.spec(image))
        rbd.run("rm", rbd.spec(image))
        results.append((our_time, anchor_time))
        log(f"{what}restore round {n} ({'anchor' if n % 2 else 'rbdstack'} first): createVolume job {our_time:.2f} s, "
            f"anchor {anchor_time:.2f} s")
    return results


def more_full_backups(target, api, rbd, zone, offering, size_gib, anchor_dir, rounds, keys):
    """ROUNDS more full backups to the store of another fully written volume, ours (createSnapshot + backupSnapshot
    jobs) and the anchor's (rbd snap create + export-diff + sync, + the store's client when it has one) taking turns
    to go first, the anchor first in the first round (the store's first full backup went ours first). Each round's
    snapshots are deleted after it, ours with its backup, so that the next backup is full again; the anchor's keys
    are added to KEYS for the clean-up. [(ours, anchor)] seconds."""
    if rounds <= 0:
        return []
    volume = api.call("createVolume", name=f"bench-{target.name.lower()}-full-{os.getpid()}", zoneid=zone,
                      diskofferingid=offering, size=size_gib)["volume"]["id"]
    image = api.list("listVolumes", "volume", id=volume)[0]["path"]
    _log(f"{target.name}: another {size_gib} GiB volume for {rounds} more full backups: writing all of it")
    rbd.write(image, 4 * MIB, size_gib << 30, "seq")
    results = []
    for n in range(2, rounds + 2):
        rbd.settle(f"the {target.name} full backup round {n}")
        snapshot = {}
        key = f"full{n}.rbddiff"
        local = os.path.join(anchor_dir, f"{target.name.lower()}-{key}")

        def ours():
            created = _timed(lambda: snapshot.update(id=api.call("createSnapshot", volumeid=volume)["snapshot"]["id"]))
            return created + _timed(lambda: api.call("backupSnapshot", id=snapshot["id"]))

        def anchor():
            keys.append(key)
            return (_timed(lambda: rbd.run("snap", "create", rbd.spec(image, f"f{n}")))
                    + _timed(lambda: (rbd.run("export-diff", rbd.spec(image, f"f{n}"), local),
                                      subprocess.run(["sync", local], check=True)))
                    + _timed(lambda: target.put(local, key)))

        if n % 2 == 0:
            anchor_s, ours_s = anchor(), ours()
        else:
            ours_s, anchor_s = ours(), anchor()
        client = f" + {target.tool}" if target.tool else ""
        _log(f"{target.name}: full backup round {n} ({'anchor' if n % 2 == 0 else 'rbdstack'} first): createSnapshot"
             f" + backupSnapshot jobs {ours_s:.2f} s, rbd snap create + export-diff + sync{client} {anchor_s:.2f} s")
        results.append((ours_s, anchor_s))
        api.call("deleteSnapshot", id=snapshot["id"])
        rbd.run("snap", "rm", rbd.spec(image, f"f{n}"))
        os.remove(local)
    api.call("deleteVolume", id=volume)
    return results


def store_round(target, api, rbd, zone, offering, size_gib, anchor_dir, rounds=0, more_restores=0, concurrent=None,
                more_fulls=0):
    """One store's full backup, incremental and restore, ours and the anchor's, then `rounds` more 5 % incrementals
    and `more_restores` more restores (taking turns to go first: whoever goes second may find the OSD's cache warm);
    returns its table rows. The more incrementals compare the backupSnapshot job with export-diff + sync + the
    store's client, the snapshot steps apart: a snapshot waits for the monitor's Paxos (0.2-1.2 s, ours and rbd's
    alike), which swung their sum more than the data moved. CONCURRENT, when given, runs while the store is the
    zone's only one (four concurrent backups to it) and its line is printed."""
    size = size_gib << 30
    for store in api.list("listImageStores", "imagestore", zoneid=zone):  # backups go to the one store left
        api.call("deleteImageStore", id=store["id"])
    store_id = target.add_store(api, zone)
    volume = api.call("createVolume", name=f"bench-{target.name.lower()}-{os.getpid()}", zoneid=zone,
                      diskofferingid=offering, size=size_gib)["volume"]["id"]
    image = api.list("listVolumes", "volume", id=volume)[0]["path"]
    _log(f"{target.name}: volume {volume} ({size_gib} GiB): writing all of it")
    rbd.write(image, 4 * MIB, size, "seq")
    rbd.settle(f"the {target.name} backups")
    snaps = {}

    def ours(label):
        """(createSnapshot job, backupSnapshot job) seconds."""
        snapshot = _timed(lambda: snaps.update({label: api.call("createSnapshot", volumeid=volume)["snapshot"]["id"]}))
        return snapshot, _timed(lambda: api.call("backupSnapshot", id=snaps[label]))

    def anchor(snap, since, key):
        """(rbd snap create, export-diff + sync, the store's client) seconds and the file's bytes."""
        local = os.path.join(anchor_dir, f"{target.name.lower()}-{key}")
        export = ["export-diff"] + (["--from-snap", since] if since else []) + [rbd.spec(image, snap), local]
        snapshot = _timed(lambda: rbd.run("snap", "create", rbd.spec(image, snap)))
        diff = _timed(lambda: (rbd.run(*export), subprocess.run(["sync", local], check=True)))
        transfer = _timed(lambda: target.put(local, key))
        size_bytes = os.path.getsize(local)
        os.remove(local)
        return snapshot, diff, transfer, size_bytes

    rows = []
    ours_full = sum(ours("s1"))
    snap, diff, transfer, full_bytes = anchor("a1", None, "full.rbddiff")
    rows.append((f"{target.name} full backup", ours_full, f"rbd snap create + export-diff + sync + {target.tool}",
                 snap + diff + transfer, transfer, full_bytes))
    _log(f"{target.name}: rewriting 5 % of the volume in 64 KiB random writes")
    rbd.write(image, 64 * 1024, size // 20, "rand")
    ours_incr = sum(ours("s2"))
    snap, diff, transfer, incr_bytes = anchor("a2", "a1", "incr.rbddiff")
    rows.append((f"{target.name} incremental (5 % rewritten)", ours_incr,
                 f"rbd snap create + export-diff --from-snap + sync + {target.tool}", snap + diff + transfer, transfer,
                 incr_bytes))

    more, keys = [], []
    for n in range(3, 3 + rounds):
        rbd.write(image, 64 * 1024, size // 20, "rand")
        key = f"incr{n}.rbddiff"
        keys.append(key)
        if n % 2:  # odd rounds: the anchor first (the first incremental above went ours first)
            a_snap, diff, transfer, data_bytes = anchor(f"a{n}", f"a{n - 1}", key)
            o_snap, o_job = ours(f"s{n}")
        else:
            o_snap, o_job = ours(f"s{n}")
            a_snap, diff, transfer, data_bytes = anchor(f"a{n}", f"a{n - 1}", key)
        more.append((o_job, diff + transfer, transfer, data_bytes, o_snap, a_snap))
        _log(f"{target.name}: round {n - 2} ({'anchor' if n % 2 else 'rbdstack'} first): backupSnapshot job "
             f"{o_job:.2f} s, export-diff + sync + {target.tool} {diff + transfer:.2f} s; snapshots: ours "
             f"{o_snap:.2f} s, rbd's {a_snap:.2f} s")
    if more:
        ratios = [o / a for o, a, *_ in more]
        both = [(o + os_) / (a + as_) for o, a, _, _, os_, as_ in more]
        rows.append((f"{target.name} incremental, medians of {len(more)} more: backupSnapshot job (ratio: median of "
                     f"theirs, range {min(ratios):.2f}–{max(ratios):.2f}×; with the snapshot steps "
                     f"{median(both):.2f}×, range {min(both):.2f}–{max(both):.2f}×)",
                     median([o for o, *_ in more]), f"export-diff --from-snap + sync + {target.tool}",
                     median([a for _, a, *_ in more]), median([t for _, _, t, *_ in more]),
                     median([b for _, _, _, b, *_ in more]), median(ratios)))

    for snap in ["a1", "a2"] + [f"a{n}" for n in range(3, 3 + rounds)]:
        rbd.run("snap", "rm", rbd.spec(image, snap))
    api.call("deleteVolume", id=volume)
    rbd.settle(f"the {target.name} restores")
    restored = {}
    ours_restore = _timed(lambda: restored.update(api.call(
        "createVolume", name=f"bench-{target.name.lower()}-restored-{os.getpid()}", snapshotid=snaps["s2"])["volume"]))
    anchor_image = f"bench-{target.name.lower()}-anchor-{os.getpid()}"

    def anchor_restore_into(name):
        rbd.run("create", "--size", f"{size // MIB}M", rbd.spec(name))
        _import_diff(rbd, target.reader("full.rbddiff"), name)
        _import_diff(rbd, target.reader("incr.rbddiff"), name)

    anchor_restore = _timed(lambda: anchor_restore_into(anchor_image))
    rows.append((f"{target.name} restore (full + incremental)", ours_restore,
                 f"rbd create + ({target.fetch_tool} | import-diff -) ×2", anchor_restore, None,
                 full_bytes + incr_bytes))
    restored_image = api.list("listVolumes", "volume", id=restored["id"])[0]["path"]
    same = rbd.sha256(restored_image) == rbd.sha256(anchor_image)

    restores = [(ours_restore, anchor_restore)] + restore_rounds(
        api, rbd, snaps["s2"], anchor_restore_into, rounds=more_restores, what=f"{target.name}: ")
    if more_restores:
        ratios = [o / a for o, a in restores]
        rows.append((f"{target.name} restore, medians of the first and {more_restores} more (ratio: median of "
                     f"theirs, range {min(ratios):.2f}–{max(ratios):.2f}×)", median([o for o, _ in restores]),
                     "the same anchor", median([a for _, a in restores]), None, full_bytes + incr_bytes,
                     median(ratios)))

    api.call("deleteVolume", id=restored["id"])
    for label in reversed(list(snaps)):  # the latest first: an incremental's base goes after it
        api.call("deleteSnapshot", id=snaps[label])
    rbd.run("snap", "purge", rbd.spec(anchor_image))
    rbd.run("rm", rbd.spec(anchor_image))
    fulls = [(ours_full, rows[0][3])] + more_full_backups(target, api, rbd, zone, offering, size_gib, anchor_dir,
                                                          more_fulls, keys)
    if more_fulls:
        ratios = [o / a for o, a in fulls]
        rows.append((f"{target.name} full backup, medians of the first and {more_fulls} more (ratio: median of theirs: "
                     f"{', '.join(f'{r:.2f}' for r in ratios)})", median([o for o, _ in fulls]),
                     f"rbd snap create + export-diff + sync + {target.tool}", median([a for _, a in fulls]), None,
                     full_bytes, median(ratios)))
    if concurrent:
        rbd.settle(f"the {target.name} concurrent backups")
        print(f"{target.name}: {concurrent()}", flush=True)
    api.call("deleteImageStore", id=store_id)
    target.clean_up(keys)
    return rows, same


def print_rows(rows):
    print("| Step | rbdstack through the API | Anchor, same run | Anchor | rbdstack / anchor | transfer alone "
          "| rbdstack MiB/s |")
    print("|---|---|---|---|---|---|---|")
    for step, ours, anchor_name, anchor, transfer, data_bytes, *ratio in rows:
        alone = "—" if transfer is None else f"{transfer:.2f} s"
        print(f"| {step} | {ours:.2f} s | {anchor_name} | {anchor:.2f} s | {(ratio[0] if ratio else ours / anchor):.2f}× "
              f"| {alone} | {data_bytes / MIB / ours:.0f} |")
