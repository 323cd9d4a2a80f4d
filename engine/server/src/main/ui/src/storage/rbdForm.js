/**
 * The Add primary storage wizard's logic, apart from its components so that it is tested alone:
 * monitor rows → the monitor list the RBD plugin parses, the wizard's fields → createStoragePool's
 * parameters, and the server's error → the field it is about.
 *
 * The plugin (plugins/storage-rbd, RbdUrlParser) takes `rbd://[user[:secret]@]monitors[/pool]` and
 * details[] that win over the url. The UI sends the monitors and the pool in the url, as CloudStack's
 * own UI does, and the user and the secret as details: the secret is sent exactly as pasted, never
 * percent-encoded into a url by hand, so no character of any base64 alphabet ('+', '/', '-', '_',
 * '=') can be read differently.
 */

export const DEFAULT_MONITOR_PORT = 6789

const PORT = /^[0-9]{1,5}$/

/** Problems of one monitor row ({host, port}), as {host?: text, port?: text}; empty when it is fine. */
export function monitorRowProblems(row) {
  const problems = {}
  const host = (row.host ?? '').trim()
  const port = String(row.port ?? '').trim()
  if (host === '') {
    problems.host = 'Enter a host name or an IP address'
  } else if (/\s|,|\//.test(host)) {
    problems.host = 'A monitor is one host name or address, without spaces, commas or slashes'
  }
  if (port !== '' && (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    problems.port = 'A port is a number from 1 to 65535'
  }
  return problems
}

/** A host as the monitor list writes it: an IPv6 address in brackets. */
function hostPart(host) {
  const h = host.trim()
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h
}

/**
 * The monitor list for the url: `host[:port]` joined with ','. In the plugin's syntax a port on the
 * LAST monitor is shared by every monitor without its own; in the wizard an empty port means Ceph's
 * default. So when the last monitor has a port, every other monitor without one is written with
 * :6789, or it would silently take the last one's.
 */
export function monitorList(rows) {
  const monitors = rows.map((r) => ({ host: hostPart(r.host ?? ''), port: String(r.port ?? '').trim() }))
  const lastHasPort = monitors.length > 0 && monitors[monitors.length - 1].port !== ''
  return monitors.map((m, i) => {
    const isLast = i === monitors.length - 1
    const port = m.port !== '' ? m.port : (lastHasPort && !isLast ? String(DEFAULT_MONITOR_PORT) : '')
    return port === '' ? m.host : `${m.host}:${port}`
  }).join(',')
}

const GIB = 1024 ** 3

/** createStoragePool's parameters for the wizard's values. */
export function createStoragePoolParams(form) {
  const params = {
    name: form.name.trim(),
    zoneid: form.zoneId,
    scope: form.scope,
    hypervisor: 'KVM',
    url: `rbd://${monitorList(form.monitors)}/${encodeURIComponent(form.pool.trim())}`,
    'details[0].user': form.user.trim(),
    // As pasted: only surrounding whitespace (from copying a line) goes, nothing inside is touched.
    'details[1].secret': form.secret.trim(),
  }
  if (form.scope === 'CLUSTER') {
    params.podid = form.podId
    params.clusterid = form.clusterId
  }
  const tags = (form.tags ?? []).map((t) => t.trim()).filter((t) => t !== '')
  if (tags.length > 0) {
    params.tags = tags.join(',')
  }
  if (form.capacityGiB !== undefined && form.capacityGiB !== null && form.capacityGiB !== '') {
    params.capacitybytes = String(Math.round(Number(form.capacityGiB) * GIB))
  }
  return params
}

/** API parameter → wizard field. */
const FIELD_OF_PARAMETER = {
  name: 'name',
  zoneid: 'zoneId',
  scope: 'scope',
  podid: 'podId',
  clusterid: 'clusterId',
  tags: 'tags',
  capacitybytes: 'capacityGiB',
  'details[].user': 'user',
  'details[].secret': 'secret',
  'details[].monitors': 'monitors',
  'details[].port': 'monitors',
  'details[].pool': 'pool',
}

/**
 * The wizard field a createStoragePool error is about, or null when it names none (the error is then
 * shown above the form). Parameter errors say "… parameter <name> …"; the url holds the monitors and
 * the pool, so a url error is placed by what it talks about. The connectivity check's errors name no
 * parameter: they are placed by their cause.
 */
export function fieldOfError(errortext) {
  const text = errortext ?? ''
  const named = /parameter ([A-Za-z0-9_]+(?:\[[0-9]*\](?:\.[A-Za-z0-9_]+)?)?)/.exec(text)
  if (named) {
    const parameter = named[1].replace(/\[[0-9]*\]/, '[]')
    if (parameter === 'url') {
      return /monitor/i.test(text) ? 'monitors' : /pool/i.test(text) ? 'pool' : 'monitors'
    }
    if (parameter in FIELD_OF_PARAMETER) {
      return FIELD_OF_PARAMETER[parameter]
    }
  }
  if (/refused the user or key/i.test(text)) {
    return 'secret'
  }
  if (/pool .*does not exist|pool does not exist/i.test(text)) {
    return 'pool'
  }
  if (/monitor/i.test(text)) {
    return 'monitors'
  }
  return null
}
