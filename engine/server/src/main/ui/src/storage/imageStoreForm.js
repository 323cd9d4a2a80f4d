/**
 * The Add secondary storage form's logic, apart from its component so that Vitest checks it: the
 * providers and the fields each needs, what the browser can tell is wrong before asking the server,
 * addImageStore's parameters, and which field a server error is about.
 *
 * The rules are the server's (NfsStoreUrl, S3StoreUrl, ImageStorePath in engine/api), so that what
 * passes here is refused there only for what the browser cannot know (a host that cannot reach the
 * store, keys the endpoint refuses).
 */
import { parameterOfError } from '../admin/forms.js'

export const PROVIDERS = [
  { value: 'NFS', label: 'NFS', fields: ['url'],
    about: 'An NFS export (NFSv3). The hosts reach it through libnfs: nothing is mounted on them.' },
  { value: 'S3', label: 'S3', fields: ['endpoint', 'useHttps', 'bucket', 'accessKey', 'secretKey'],
    about: 'A bucket of an S3 service (Ceph RGW, MinIO, AWS), addressed path-style, signed with Signature V4.' },
  { value: 'SharedMountPoint', label: 'Shared mount point', fields: ['url'],
    about: 'A directory that every KVM host of the zone has mounted at the same path (NFS, CephFS…).' },
]

/** The URL field's help and example for a provider that takes a URL. */
export const URL_HELP = {
  NFS: { help: 'nfs://<server>/<export path>, e.g. nfs://10.0.0.5/export/backups; for a server without rpcbind'
      + ' add ?nfsport=2049&mountport=20048.', placeholder: 'nfs://10.0.0.5/export/backups' },
  SharedMountPoint: { help: 'file:///<directory>: mounted at that path on every KVM host of the zone; not a system'
      + ' directory.', placeholder: 'file:///mnt/backups' },
}

const NFS_SERVER = /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const ENDPOINT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([0-9]{1,5}))?$/

/** What is wrong with an NFS store URL, or ''. */
export function nfsUrlProblem(url) {
  const match = /^nfs:\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/i.exec(url.trim())
  if (!match) {
    return 'Enter nfs://<server>/<export path>, e.g. nfs://10.0.0.5/export/backups'
  }
  const [, server, path, query] = match
  if (!NFS_SERVER.test(server)) {
    return server.includes(':') || server.includes('@')
      ? 'No user or port in the server part: give the ports as ?nfsport=N&mountport=N'
      : 'Name the NFS server: a host name or an IP address'
  }
  const segments = (path ?? '').replace(/\/+$/, '').split('/').slice(1)
  if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..')) {
    return 'Give the export path after the server, without empty, . or .. parts'
  }
  for (const option of (query ?? '').slice(1).split('&').filter((o) => o !== '')) {
    const [key, value] = option.split('=')
    if (key !== 'nfsport' && key !== 'mountport') {
      return `Unknown option ${key}: only nfsport and mountport may follow the path`
    }
    if (!portOk(value)) {
      return `${key} must be a port from 1 to 65535`
    }
  }
  return ''
}

/** What is wrong with a shared mount point URL, or ''. */
export function fileUrlProblem(url) {
  const path = /^file:\/\/(\/.*)$/.exec(url.trim())?.[1]
  if (!path || path === '/') {
    return 'Enter a file:/// URL, e.g. file:///mnt/backups'
  }
  if (path.split('/').some((s) => s === '.' || s === '..')) {
    return 'Give the directory without . or .. parts'
  }
  return ''
}

/** What is wrong with an S3 bucket name, or '' (S3's rules: 3–63 lower-case letters, digits, dots, hyphens). */
export function bucketProblem(bucket) {
  const b = bucket.trim()
  if (b === '') {
    return 'Enter the bucket'
  }
  if (!BUCKET.test(b)) {
    return 'A bucket name has 3 to 63 lower-case letters, digits, dots and hyphens, and starts and ends with a'
      + ' letter or digit'
  }
  return ''
}

/** What is wrong with an S3 endpoint, host[:port], or ''. */
export function endpointProblem(endpoint) {
  const e = endpoint.trim()
  if (e === '') {
    return 'Enter the endpoint: host[:port]'
  }
  if (/^[a-z]+:\/\//i.test(e)) {
    return 'Give host[:port] without http:// or https://; tick "Use HTTPS" for HTTPS'
  }
  const match = ENDPOINT.exec(e)
  if (!match) {
    return 'Enter host[:port], e.g. rgw.example.com:7480 or 10.0.0.5'
  }
  if (match[3] !== undefined && !portOk(match[3])) {
    return 'The port is a number from 1 to 65535'
  }
  return ''
}

function portOk(value) {
  return /^[0-9]{1,5}$/.test(value ?? '') && Number(value) >= 1 && Number(value) <= 65535
}

/** Problems of the form, {field: text}; empty when it can be sent. */
export function imageStoreProblems(form) {
  const problems = {}
  if (!form.provider) {
    problems.provider = 'Choose where the backups go'
    return problems
  }
  if (!form.zoneId) {
    problems.zoneId = 'Choose a zone'
  }
  if (form.provider === 'S3') {
    const endpoint = endpointProblem(form.endpoint ?? '')
    const bucket = bucketProblem(form.bucket ?? '')
    Object.assign(problems, endpoint ? { endpoint } : {}, bucket ? { bucket } : {})
    if (!(form.accessKey ?? '').trim()) {
      problems.accessKey = 'Enter the access key'
    }
    if (!(form.secretKey ?? '').trim()) {
      problems.secretKey = 'Enter the secret key'
    }
    return problems
  }
  const url = form.provider === 'NFS' ? nfsUrlProblem(form.url ?? '') : fileUrlProblem(form.url ?? '')
  if (url) {
    problems.url = url
  }
  return problems
}

/**
 * addImageStore's parameters: the URL for NFS and a shared mount point; for S3 CloudStack's details
 * (accesskey, secretkey, endpoint, bucket, usehttps), the secret key exactly as typed but for the
 * whitespace around it.
 */
export function addImageStoreParams(form) {
  const params = { provider: form.provider, zoneid: form.zoneId }
  const name = (form.name ?? '').trim()
  if (name) {
    params.name = name
  }
  if (form.provider !== 'S3') {
    params.url = form.url.trim()
    return params
  }
  const details = [['accesskey', form.accessKey.trim()], ['secretkey', form.secretKey.trim()],
    ['endpoint', form.endpoint.trim()], ['bucket', form.bucket.trim()], ['usehttps', String(Boolean(form.useHttps))]]
  details.forEach(([key, value], i) => {
    params[`details[${i}].key`] = key
    params[`details[${i}].value`] = value
  })
  return params
}

/** API parameter → form field. S3 details are named as details[].<key> by the server. */
const FIELD_OF_PARAMETER = {
  name: 'name',
  zoneid: 'zoneId',
  provider: 'provider',
  url: 'url',
  'details[].accesskey': 'accessKey',
  'details[].secretkey': 'secretKey',
  'details[].endpoint': 'endpoint',
  'details[].bucket': 'bucket',
  'details[].usehttps': 'useHttps',
}

/** The form field an addImageStore error is about, or null (the error then shows above the form). */
export function fieldOfImageStoreError(errortext) {
  const parameter = parameterOfError(errortext)
  return parameter !== null && parameter in FIELD_OF_PARAMETER ? FIELD_OF_PARAMETER[parameter] : null
}
