#!/usr/bin/env python3
"""The quick start's cloud, set up through the API like any admin would (scripts/run.sh runs this).

zone1 / pod1 / cluster1, this machine's KVM agent as a host, the local Ceph pool as RBD primary
storage "ceph-rbd", a local image store "local-images" and a custom-size disk offering "custom".
Each step first looks for what it would create, so running it again reuses everything.
Secrets never go on a command line or into the output: the admin password and the cephx key are
read from their files, the agent's one-time token is written to a file of mode 600.
"""
import argparse
import os
import socket
import subprocess
import sys
import time

from cloudapi import CloudApi, CloudApiError

ZONE, POD, CLUSTER = "zone1", "pod1", "cluster1"
POOL, IMAGE_STORE, OFFERING = "ceph-rbd", "local-images", "custom"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def properties(path):
    """A key=value file (services.properties, agent.properties) as a dict."""
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line and not line.startswith("#"))


def keyring_key(path):
    """The base64 key of a Ceph keyring file ("key = AQ..."); it is never printed."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, sep, value = line.partition("=")
            if sep and name.strip() == "key":
                return value.strip()
    raise SystemExit(f"no key in the keyring {path}")


def write_private(path, text):
    """Writes a file only its owner can read, created with that mode (never readable, even briefly)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def find(api, command, key, name, **filters):
    return next((row for row in api.list(command, key, **filters) if row.get("name") == name), None)


def ensure(api, what, name, found, create):
    """Reuses what exists (found) or creates it (create()); logs which."""
    if found is not None:
        log(f"{what} '{name}' exists (id {found['id']})")
        return found
    made = create()
    log(f"{what} '{name}' created (id {made['id']})")
    return made


def ensure_host(api, args, zone, pod, cluster):
    """The local KVM host; a new one's token goes into a mode-600 file the agent reads."""
    name = socket.gethostname()
    agent_dir = os.path.join(args.state_dir, "agent")
    agent_properties = os.path.join(agent_dir, "agent.properties")
    host = find(api, "listHosts", "host", name, clusterid=cluster["id"])
    if host is not None:
        if not os.path.exists(agent_properties):
            raise SystemExit(f"host '{name}' exists but its agent's {agent_properties} is gone: delete the host"
                             f" (deleteHost id={host['id']}) and run again")
        log(f"host '{name}' exists (id {host['id']}, {host.get('state')})")
        return host, agent_properties
    os.makedirs(agent_dir, mode=0o700, exist_ok=True)
    host = api.call("addHost", zoneid=zone["id"], podid=pod["id"], clusterid=cluster["id"],
                    url=f"http://{name}", hypervisor="KVM")["host"][0]
    token_file = os.path.join(agent_dir, "host.token")
    write_private(token_file, host["agenttoken"] + "\n")
    write_private(agent_properties, "\n".join([
        "host=127.0.0.1",
        f"port={args.agent_port}",
        f"host.token.file={token_file}",
        f"ca.fingerprint={host['cafingerprint']}",
        f"hostname={name}",
    ]) + "\n")
    log(f"host '{name}' added (id {host['id']}); its one-time token is in {token_file}")
    return host, agent_properties


def wait_until_up(api, what, command, key, row_id, timeout_s=90):
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        rows = api.list(command, key, id=row_id)
        state = rows[0].get("state") if rows else None
        if state == "Up":
            return rows[0]
        time.sleep(0.5)
    raise SystemExit(f"{what} is {state}, not Up, after {timeout_s} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--agent-port", required=True)
    parser.add_argument("--image-store-dir", help="default: images/ in the state dir (which may not be below /root)")
    args = parser.parse_args()
    services = properties(os.path.join(args.state_dir, "services.properties"))
    here = os.path.dirname(os.path.abspath(__file__))

    api = CloudApi(args.url)
    with open(args.password_file, encoding="utf-8") as f:
        try:
            api.login("admin", f.read().strip())
        except CloudApiError as e:
            raise SystemExit(f"ERROR: {e}\nThe root admin's password is not the one in {args.password_file}: the admin"
                             " was made before run.sh kept it there, or it was changed since. Put the current"
                             " password into that file (mode 600) and run again.") from None

    zone = ensure(api, "zone", ZONE, find(api, "listZones", "zone", ZONE), lambda: api.call(
        "createZone", name=ZONE, dns1="8.8.8.8", internaldns1="127.0.0.1", networktype="Advanced")["zone"])
    pod = ensure(api, "pod", POD, find(api, "listPods", "pod", POD, zoneid=zone["id"]), lambda: api.call(
        "createPod", name=POD, zoneid=zone["id"], gateway="10.1.0.1", netmask="255.255.255.0")["pod"])
    cluster = ensure(api, "cluster", CLUSTER, find(api, "listClusters", "cluster", CLUSTER, podid=pod["id"]),
                     lambda: api.call("addCluster", clustername=CLUSTER, clustertype="CloudManaged",
                                      hypervisor="KVM", zoneid=zone["id"], podid=pod["id"])["cluster"][0])

    host, agent_properties = ensure_host(api, args, zone, pod, cluster)
    subprocess.run([os.path.join(here, "agent.sh"), "start", agent_properties], check=True)
    wait_until_up(api, f"host '{host['name']}'", "listHosts", "host", host["id"])
    log(f"host '{host['name']}' is Up")

    # The cephx user that may use the rbd pool only (ceph.sh makes it), not client.admin.
    monitor = f"{services['ceph.mon.host']}:{services['ceph.mon.v1.port']}"
    pool = ensure(api, "primary storage", POOL, find(api, "listStoragePools", "storagepool", POOL, zoneid=zone["id"]),
                  lambda: api.call("createStoragePool", name=POOL, zoneid=zone["id"], scope="ZONE", hypervisor="KVM",
                                   url=f"rbd://{monitor}/{services['ceph.pool']}",
                                   **{"details[0].user": services["ceph.limited.user"],
                                      "details[1].secret": keyring_key(services["ceph.limited.keyring"])})
                  ["storagepool"])
    pool = wait_until_up(api, f"primary storage '{POOL}'", "listStoragePools", "storagepool", pool["id"])

    images = args.image_store_dir or os.path.join(args.state_dir, "images")
    os.makedirs(images, exist_ok=True)
    ensure(api, "image store", IMAGE_STORE, find(api, "listImageStores", "imagestore", IMAGE_STORE),
           lambda: api.call("addImageStore", provider="SharedMountPoint", name=IMAGE_STORE,
                            url=f"file://{images}", zoneid=zone["id"])["imagestore"])
    ensure(api, "disk offering", OFFERING, find(api, "listDiskOfferings", "diskoffering", OFFERING),
           lambda: api.call("createDiskOffering", name=OFFERING, displaytext="Custom size (chosen per volume)",
                            customized="true")["diskoffering"])
    gib = 1024 ** 3
    log(f"cloud ready: zone '{ZONE}', host '{host['name']}' Up, primary storage '{POOL}' Up"
        f" ({pool.get('disksizeused', 0) / gib:.1f} of {pool.get('disksizetotal', 0) / gib:.1f} GiB used)")


if __name__ == "__main__":
    try:
        main()
    except CloudApiError as e:
        sys.exit(f"ERROR: {e}")
