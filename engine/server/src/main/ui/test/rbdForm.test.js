import { describe, expect, it } from 'vitest'
import { createStoragePoolParams, fieldOfError, monitorList, monitorRowProblems } from '../src/storage/rbdForm.js'

const form = (extra = {}) => ({
  name: ' ceph1 ', zoneId: 'z1', scope: 'ZONE', podId: 'p1', clusterId: 'c1',
  monitors: [{ host: '10.0.0.1', port: '' }], pool: 'rbd', user: 'cloudstack',
  secret: 'AQBx/+9lAAAAABAA5Dw0jq2hKAQ0oTOHeZ3W+w==', tags: [], capacityGiB: '', ...extra,
})

describe('monitorList', () => {
  it('writes monitors without ports as bare hosts', () => {
    expect(monitorList([{ host: 'mon1' }, { host: '10.0.0.2', port: '' }])).toBe('mon1,10.0.0.2')
  })

  it('keeps each monitor\'s own port', () => {
    expect(monitorList([{ host: 'mon1', port: '3300' }, { host: 'mon2', port: '6789' }])).toBe('mon1:3300,mon2:6789')
  })

  it('gives a port-less monitor the default port when the last has one, so it does not take the last one\'s', () => {
    expect(monitorList([{ host: 'mon1', port: '' }, { host: 'mon2', port: '3300' }])).toBe('mon1:6789,mon2:3300')
  })

  it('brackets IPv6 addresses', () => {
    expect(monitorList([{ host: 'fd00::1', port: '3300' }, { host: '[fd00::2]' }])).toBe('[fd00::1]:3300,[fd00::2]')
  })
})

describe('monitorRowProblems', () => {
  it('wants a host and a port from 1 to 65535 or none', () => {
    expect(monitorRowProblems({ host: 'mon1', port: '' })).toEqual({})
    expect(monitorRowProblems({ host: '', port: '' }).host).toBeDefined()
    expect(monitorRowProblems({ host: 'a,b', port: '' }).host).toBeDefined()
    expect(monitorRowProblems({ host: 'mon1', port: '0' }).port).toBeDefined()
    expect(monitorRowProblems({ host: 'mon1', port: '65536' }).port).toBeDefined()
    expect(monitorRowProblems({ host: 'mon1', port: '6789x' }).port).toBeDefined()
  })
})

describe('createStoragePoolParams', () => {
  it('puts monitors and pool in the url and user and secret in details, the secret untouched', () => {
    const params = createStoragePoolParams(form({ monitors: [{ host: 'mon1' }, { host: 'mon2', port: '6789' }] }))
    expect(params).toEqual({
      name: 'ceph1', zoneid: 'z1', scope: 'ZONE', hypervisor: 'KVM', url: 'rbd://mon1:6789,mon2:6789/rbd',
      'details[0].user': 'cloudstack', 'details[1].secret': 'AQBx/+9lAAAAABAA5Dw0jq2hKAQ0oTOHeZ3W+w==',
    })
    expect(new URLSearchParams(params).get('details[1].secret')).toBe('AQBx/+9lAAAAABAA5Dw0jq2hKAQ0oTOHeZ3W+w==')
  })

  it('passes a URL-safe base64 secret without padding as pasted', () => {
    const secret = 'AQBx_-9lAAAAABAA5Dw0jq2hKAQ0oTOHeZ3W-w'
    expect(createStoragePoolParams(form({ secret: `  ${secret}\n` }))['details[1].secret']).toBe(secret)
  })

  it('adds pod and cluster for cluster scope only, and tags and capacity in bytes when given', () => {
    const zone = createStoragePoolParams(form())
    expect(zone.podid).toBeUndefined()
    expect(zone.clusterid).toBeUndefined()
    const cluster = createStoragePoolParams(form({ scope: 'CLUSTER', tags: ['ssd', ' gold '], capacityGiB: 2 }))
    expect(cluster).toMatchObject({ scope: 'CLUSTER', podid: 'p1', clusterid: 'c1', tags: 'ssd,gold',
      capacitybytes: String(2 * 1024 ** 3) })
  })
})

describe('fieldOfError', () => {
  it('places parameter errors by the parameter named', () => {
    expect(fieldOfError('Invalid value for parameter details[].secret: not a cephx key')).toBe('secret')
    expect(fieldOfError('Invalid value for parameter details[].user: the user …')).toBe('user')
    expect(fieldOfError('Invalid value for parameter url: monitor 2 of 2 is not a valid host name')).toBe('monitors')
    expect(fieldOfError('Invalid value for parameter url: the pool is missing')).toBe('pool')
    expect(fieldOfError('Unable to execute API command createstoragepool due to missing parameter name')).toBe('name')
    expect(fieldOfError('Invalid parameter clusterid value=x due to incorrect long value format')).toBe('clusterId')
  })

  it('places the connectivity check\'s errors by their cause', () => {
    expect(fieldOfError('Ceph refused the user or key: cephx: EACCES')).toBe('secret')
    expect(fieldOfError("Ceph pool 'nope' does not exist (or the user may not see it)")).toBe('pool')
    expect(fieldOfError('no Ceph monitor answered within 10 s')).toBe('monitors')
  })

  it('names no field for other errors', () => {
    expect(fieldOfError('Internal error running createStoragePool (incident 3f9a1c2e)')).toBeNull()
    expect(fieldOfError(undefined)).toBeNull()
  })
})
