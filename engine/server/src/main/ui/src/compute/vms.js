/**
 * Virtual machines as the VM pages show them: which actions a state allows, the default NIC, the deploy
 * form's checks and parameters (deployVirtualMachine's), and which volumes can be attached.
 */

/** Each action: its command, extra parameters, whether CloudStack runs it as a job, and what it did. */
export const VM_ACTIONS = {
  start: { label: 'Start', command: 'startVirtualMachine', job: true, done: 'started' },
  stop: { label: 'Stop', command: 'stopVirtualMachine', job: true, done: 'stopped' },
  reboot: { label: 'Reboot', command: 'rebootVirtualMachine', job: true, done: 'rebooted' },
  destroy: { label: 'Destroy', command: 'destroyVirtualMachine', job: true, done: 'destroyed' },
  expunge: { label: 'Expunge', command: 'destroyVirtualMachine', params: { expunge: true }, job: true, done: 'expunged' },
  recover: { label: 'Recover', command: 'recoverVirtualMachine', job: false, done: 'recovered: it is Stopped' },
}

/**
 * The actions a VM's state allows, as CloudStack's state machine does: Start only when Stopped, Stop and
 * Reboot when Running, Recover (and Expunge) when Destroyed; none while it is between states.
 */
export function vmActions(state) {
  return {
    Running: ['stop', 'reboot', 'destroy'],
    Stopped: ['start', 'destroy'],
    Destroyed: ['recover', 'expunge'],
    Error: ['destroy', 'expunge'],
  }[state] ?? []
}

/** A VM state's colour: green running, grey stopped, blue on its way, orange destroyed, red wrong. */
export function vmStateColour(state) {
  return { Running: 'green', Stopped: 'default', Starting: 'blue', Stopping: 'blue', Migrating: 'blue',
    Destroyed: 'orange', Expunging: 'orange' }[state] ?? 'red'
}

/** States a VM passes through on its own: the list looks again until it settles. */
export const SETTLING = ['Starting', 'Stopping', 'Expunging', 'Migrating']
export const anySettling = (vms) => vms.some((vm) => SETTLING.includes(vm.state))

/** The VM's default NIC: the one marked isdefault, else the first; null without NICs. */
export function defaultNic(vm) {
  const nics = vm.nic ?? []
  return nics.find((n) => n.isdefault) ?? nics[0] ?? null
}

/** A NIC's IP addresses: "10.1.1.5", or with its IPv6 one "10.1.1.5, fd00::5"; "no IP" without. */
export function nicAddresses(nic) {
  const ips = [nic.ipaddress, nic.ip6address].filter(Boolean)
  return ips.length ? ips.join(', ') : 'no IP'
}

/** A NIC's addresses in a line: "10.1.1.5 · 02:00:12:34:56:78". */
export function nicText(nic) {
  return nic ? [nicAddresses(nic), nic.macaddress].filter(Boolean).join(' · ') : 'no NIC'
}

/** CloudStack's rule for a VM name: a hostname label of letters, digits and hyphens, starting with a letter. */
const HOSTNAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/
const IPV4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/
const absent = (value) => value === null || value === undefined || value === ''

/** Whether the user gives CPUs and memory: a custom offering leaves them out. */
export const isCustom = (offering) => Boolean(offering?.iscustomized) && (absent(offering.cpunumber) || absent(offering.memory))

/** The templates a VM of this zone can start from: ready, in the zone or in every zone. */
export function deployableTemplates(templates, zoneId) {
  return templates.filter((t) => t.isready && (t.crossZones || !t.zoneid || t.zoneid === zoneId))
}

/** Problems of the deploy form, {field: text}; empty when it can be sent. offering: the one chosen. */
export function deployProblems(form, offering) {
  const problems = {}
  if (!form.zoneId) problems.zoneId = 'Choose a zone'
  if (!form.templateId) problems.templateId = 'Choose a template'
  if (!form.serviceOfferingId) problems.serviceOfferingId = 'Choose a service offering'
  const name = (form.name ?? '').trim()
  if (name && !HOSTNAME.test(name)) {
    problems.name = 'A name is a hostname: up to 63 letters, digits and hyphens, starting with a letter, not ending with a hyphen'
  }
  if (isCustom(offering)) {
    const d = offering.serviceofferingdetails ?? {}
    within(problems, 'cpuNumber', form.cpuNumber, d.mincpunumber ?? 1, d.maxcpunumber, 'CPUs')
    within(problems, 'memory', form.memory, d.minmemory ?? 32, d.maxmemory, 'MiB of memory')
  }
  if (!absent(form.rootDiskSize) && !(Number.isInteger(form.rootDiskSize) && form.rootDiskSize >= 1)) {
    problems.rootDiskSize = 'Enter a whole number of GB, or leave it empty for the offering\'s or template\'s size'
  }
  const ip = (form.ipAddress ?? '').trim()
  if (ip && !IPV4.test(ip)) {
    problems.ipAddress = 'Enter an IPv4 address of the first network\'s range, or leave it empty'
  }
  if (ip && !(form.networkIds ?? []).length) {
    problems.ipAddress = 'An address needs a network: choose one'
  }
  return problems
}

function within(problems, field, value, min, max, what) {
  const n = Number(value)
  if (!Number.isInteger(value) || n < Number(min) || (!absent(max) && n > Number(max))) {
    problems[field] = `Enter ${absent(max) ? `at least ${min}` : `${min}–${max}`} ${what}`
  }
}

/**
 * deployVirtualMachine's parameters. The first network chosen is the default NIC's (CloudStack's order of
 * networkids); a custom offering's CPUs and memory go as details[0].cpuNumber / details[0].memory.
 */
export function deployParams(form, offering) {
  const trimmed = (value) => (value ?? '').trim() || undefined
  const params = { zoneid: form.zoneId, templateid: form.templateId, serviceofferingid: form.serviceOfferingId,
    networkids: (form.networkIds ?? []).join(',') || undefined, name: trimmed(form.name),
    displayname: trimmed(form.displayName), ipaddress: trimmed(form.ipAddress),
    rootdisksize: form.rootDiskSize ?? undefined, startvm: Boolean(form.startVm) }
  if (isCustom(offering)) {
    params['details[0].cpuNumber'] = form.cpuNumber
    params['details[0].memory'] = form.memory
    if (absent(offering.cpuspeed)) {
      params['details[0].cpuSpeed'] = form.cpuSpeed ?? undefined
    }
  }
  return params
}

/** API parameter → deploy form field, for the server's errors. */
export const DEPLOY_FIELDS = { zoneid: 'zoneId', templateid: 'templateId', serviceofferingid: 'serviceOfferingId',
  networkids: 'networkIds', iptonetworklist: 'networkIds', name: 'name', displayname: 'displayName',
  ipaddress: 'ipAddress', rootdisksize: 'rootDiskSize', cpunumber: 'cpuNumber', memory: 'memory',
  cpuspeed: 'cpuSpeed', details: 'cpuNumber' }

/** Data disks that can be attached to the VM: not attached anywhere, in its zone, not being changed or gone. */
export function attachableVolumes(volumes, vm) {
  return volumes.filter((v) => v.type === 'DATADISK' && !v.virtualmachineid && v.zoneid === vm.zoneid
    && ['Ready', 'Allocated'].includes(v.state))
}

/** A VM's volumes (listVolumes virtualmachineid=, the server's filter) as the VM sees them: root first, then by device. */
export function inDeviceOrder(volumes) {
  return [...volumes].sort((a, b) => (a.type === 'ROOT' ? -1 : b.type === 'ROOT' ? 1
    : Number(a.deviceid) - Number(b.deviceid)))
}

/** Whether a volume of the VM can be detached here: data disks only (a root disk stays with its VM). */
export const detachable = (volume) => volume.type === 'DATADISK'
