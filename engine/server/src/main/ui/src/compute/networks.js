/**
 * Guest networks as the networks page shows them: createNetwork's and updateNetwork's form fields
 * (CloudStack's parameter names) and how a network's VLAN reads.
 */

const option = (item) => ({ value: item.id, label: item.name })

/** createNetwork: a shared network on a Linux bridge in a zone, with its IPv4 range and optional VLAN. */
export const networkCreateFields = ({ zones, offerings }) => [
  { name: 'zoneid', label: 'Zone', kind: 'select', required: true, options: zones.map(option) },
  { name: 'networkofferingid', label: 'Network offering', kind: 'select', required: true,
    options: offerings.map(option) },
  { name: 'name', label: 'Name', required: true },
  { name: 'displaytext', label: 'Description', help: 'Optional: the name when empty.' },
  { name: 'gateway', label: 'Gateway', required: true, placeholder: '192.168.100.1', help: 'IPv4; the guests\' router' },
  { name: 'netmask', label: 'Netmask', required: true, placeholder: '255.255.255.0' },
  { name: 'startip', label: 'First IP for guests', required: true, placeholder: '192.168.100.10' },
  { name: 'endip', label: 'Last IP for guests', placeholder: '192.168.100.200', help: 'Optional: the first IP when empty.' },
  { name: 'vlan', label: 'VLAN', placeholder: '100',
    help: 'Optional: a VLAN id (1–4094) for a tagged network; empty for untagged.' },
  { name: 'dns1', label: 'DNS server', placeholder: '192.168.100.1', help: 'Optional; IPv4' },
  { name: 'dns2', label: 'Second DNS server', help: 'Optional; IPv4' },
  // rbdstack's own parameters: which Linux bridge on the hosts, and which interface a VLAN is tagged on.
  { name: 'bridge', label: 'Bridge on the hosts', placeholder: 'cloudbr0',
    help: 'Optional: the server\'s default bridge when untagged, br<uplink>-<vlan> with a VLAN.' },
  { name: 'uplink', label: 'Uplink for the VLAN', placeholder: 'eth0',
    help: 'Optional: the host interface a VLAN is tagged on; the server\'s default when empty.' },
]

/** The create form's start: the zone and offering chosen when there is only one. */
export function networkCreateInitial({ zones, offerings }) {
  const only = (items) => (items.length === 1 ? items[0].id : undefined)
  return { zoneid: only(zones), networkofferingid: only(offerings) }
}

/** updateNetwork: name and description (the range stays: addresses are handed out from it). */
export const networkEditFields = () => [
  { name: 'name', label: 'Name', required: true },
  { name: 'displaytext', label: 'Description' },
]

/** The VLAN a network is on: listNetworks' vlan, else its broadcasturi (vlan://100, vlan://untagged). */
export function vlanOf(network) {
  if (network.vlan) {
    return String(network.vlan).replace(/^vlan:\/\//, '')
  }
  const uri = /^vlan:\/\/(.+)$/.exec(network.broadcasturi ?? '')
  return uri ? uri[1] : 'untagged'
}

/** The network's addresses in a line: 192.168.100.0/24 via 192.168.100.1. */
export function addressesOf(network) {
  const cidr = network.cidr ?? (network.netmask ? `netmask ${network.netmask}` : '')
  return [cidr, network.gateway ? `via ${network.gateway}` : ''].filter(Boolean).join(' ') || '—'
}

/** The range the guests' addresses come from (rbdstack's startip/endip): "192.168.100.10–192.168.100.200". */
export function guestRangeOf(network) {
  if (!network.startip) {
    return ''
  }
  return network.endip && network.endip !== network.startip ? `${network.startip}–${network.endip}` : network.startip
}
