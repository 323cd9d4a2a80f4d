/**
 * Zones, pods, clusters and hosts as the infrastructure page shows them: for each kind, its list
 * command, the create/update/delete commands and the fields of their forms. `places` holds the lists
 * the pickers choose from ({ zones, pods, clusters }).
 */

const option = (item, label = item.name) => ({ value: item.id, label })
const ALLOCATION = ['Enabled', 'Disabled'].map((s) => ({ value: s, label: s }))
const nameField = (label = 'Name') => ({ name: 'name', label, required: true })

export const ZONES = {
  key: 'zone',
  noun: 'Zone',
  list: ['listZones', 'zone'],
  create: 'createZone',
  update: 'updateZone',
  remove: 'deleteZone',
  columns: [
    { title: 'Network', dataIndex: 'networktype', key: 'networktype', width: 120 },
  ],
  createFields: () => [
    nameField(),
    { name: 'dns1', label: 'DNS server', required: true, placeholder: '8.8.8.8', help: 'IPv4; for guests' },
    { name: 'internaldns1', label: 'Internal DNS server', required: true, placeholder: '10.0.0.2',
      help: 'IPv4; for system VMs' },
    { name: 'networktype', label: 'Network type', kind: 'select', required: true,
      options: ['Advanced', 'Basic'].map((t) => ({ value: t, label: t })) },
  ],
  createInitial: () => ({ networktype: 'Advanced' }),
  editFields: () => [nameField(), { name: 'allocationstate', label: 'Allocation state', kind: 'select',
    required: true, options: ALLOCATION }],
  editInitial: (zone) => ({ name: zone.name, allocationstate: zone.allocationstate }),
}

export const PODS = {
  key: 'pod',
  noun: 'Pod',
  list: ['listPods', 'pod'],
  create: 'createPod',
  update: 'updatePod',
  remove: 'deletePod',
  columns: [
    { title: 'Zone', dataIndex: 'zonename', key: 'zonename' },
    { title: 'Gateway / netmask', key: 'network', render: (p) => `${p.gateway ?? ''} / ${p.netmask ?? ''}` },
  ],
  createFields: (places) => [
    { name: 'zoneid', label: 'Zone', kind: 'select', required: true, options: places.zones.map((z) => option(z)) },
    nameField(),
    { name: 'gateway', label: 'Gateway', required: true, placeholder: '10.0.0.1', help: 'IPv4' },
    { name: 'netmask', label: 'Netmask', required: true, placeholder: '255.255.255.0' },
  ],
  createInitial: (places) => ({ zoneid: places.zones.length === 1 ? places.zones[0].id : undefined }),
  editFields: ZONES.editFields,
  editInitial: ZONES.editInitial,
}

export const CLUSTERS = {
  key: 'cluster',
  noun: 'Cluster',
  list: ['listClusters', 'cluster'],
  create: 'addCluster',
  update: 'updateCluster',
  remove: 'deleteCluster',
  columns: [
    { title: 'Pod', dataIndex: 'podname', key: 'podname' },
    { title: 'Zone', dataIndex: 'zonename', key: 'zonename' },
  ],
  // addCluster and updateCluster call the name clustername.
  createFields: (places) => [
    { name: 'podid', label: 'Pod', kind: 'select', required: true,
      options: places.pods.map((p) => option(p, `${p.name} (${p.zonename})`)) },
    { ...nameField(), param: 'clustername' },
  ],
  createInitial: (places) => ({ podid: places.pods.length === 1 ? places.pods[0].id : undefined }),
  /** The rest of what addCluster needs: the pod's zone, and a KVM cluster rbdstack manages. */
  completeCreate: (params, places) => ({ ...params, clustertype: 'CloudManaged', hypervisor: 'KVM',
    zoneid: places.pods.find((p) => p.id === params.podid)?.zoneid }),
  editFields: () => [{ ...nameField(), param: 'clustername' }, ZONES.editFields()[1]],
  editInitial: ZONES.editInitial,
}

/** A host's resource state as updateHost's allocationstate takes it (Enable/Disable); none while in maintenance. */
export function hostAllocation(resourcestate) {
  return { Enabled: 'Enable', Disabled: 'Disable' }[resourcestate]
}

/** Whether a host's libvirt has the RBD storage backend, from the agent's report in listHosts' details. */
export function rbdBackendOf(host) {
  const reported = host.details?.['libvirt.rbd.storage.backend']
  return reported === undefined ? 'unknown' : reported === 'true' ? 'yes' : 'no'
}

export const HOSTS = {
  key: 'host',
  noun: 'Host',
  list: ['listHosts', 'host'],
  create: 'addHost',
  update: 'updateHost',
  remove: 'deleteHost',
  columns: [
    { title: 'Cluster', dataIndex: 'clustername', key: 'clustername' },
    { title: 'Resource state', key: 'resourcestate', width: 150, slot: true },
    { title: 'RBD backend', key: 'rbd', width: 120, slot: true },
  ],
  createFields: (places) => [
    { name: 'clusterid', label: 'Cluster', kind: 'select', required: true,
      options: places.clusters.map((c) => option(c, `${c.name} (${c.podname}, ${c.zonename})`)) },
    { name: 'url', label: 'Host address', required: true, placeholder: 'http://kvm1.example.com',
      help: 'The name or address the host is known by; its agent then connects with a one-time credential.' },
  ],
  createInitial: (places) => ({ clusterid: places.clusters.length === 1 ? places.clusters[0].id : undefined }),
  completeCreate: (params, places) => {
    const cluster = places.clusters.find((c) => c.id === params.clusterid)
    return { ...params, podid: cluster?.podid, zoneid: cluster?.zoneid, hypervisor: 'KVM' }
  },
  editFields: () => [nameField(), { name: 'allocationstate', label: 'Allocation', kind: 'select',
    options: [{ value: 'Enable', label: 'Enable' }, { value: 'Disable', label: 'Disable' }],
    help: 'A disabled host takes no new work.' }],
  editInitial: (host) => ({ name: host.name, allocationstate: hostAllocation(host.resourcestate) }),
}

/** What the admin puts on the new host: agent.properties and the token file (mode 600), as the README says. */
export function agentSetup(host, server) {
  return {
    properties: [`host=${server}`, 'port=8250', 'host.token.file=/etc/rbdstack/host.token',
      `ca.fingerprint=${host.cafingerprint ?? ''}`].join('\n'),
    commands: ['install -d -m 700 /etc/rbdstack',
      `(umask 077; printf '%s' '${host.agenttoken}' > /etc/rbdstack/host.token)`,
      'scripts/agent.sh start /etc/rbdstack/agent.properties'].join('\n'),
  }
}
