import { describe, expect, it } from 'vitest'
import {
  DEPLOY_FIELDS, anySettling, attachableVolumes, defaultNic, deployParams, deployProblems, deployableTemplates,
  detachable, nicText, vmActions, inDeviceOrder,
} from '../src/compute/vms.js'
import { placeError } from '../src/forms/serverError.js'

describe('vmActions', () => {
  it('offers Start only when Stopped, Stop and Reboot when Running, Recover when Destroyed', () => {
    expect(vmActions('Stopped')).toEqual(['start', 'destroy'])
    expect(vmActions('Running')).toEqual(['stop', 'reboot', 'destroy'])
    expect(vmActions('Destroyed')).toEqual(['recover', 'expunge'])
    for (const state of ['Running', 'Destroyed']) expect(vmActions(state)).not.toContain('start')
    for (const state of ['Stopped', 'Destroyed']) expect(vmActions(state)).not.toContain('stop')
  })

  it('offers nothing while a VM is between states', () => {
    for (const state of ['Starting', 'Stopping', 'Expunging', 'Migrating', 'Unknown', undefined]) {
      expect(vmActions(state)).toEqual([])
    }
  })

  it('asks for a refresh only while some VM is between states', () => {
    expect(anySettling([{ state: 'Running' }, { state: 'Stopped' }])).toBe(false)
    expect(anySettling([{ state: 'Running' }, { state: 'Starting' }])).toBe(true)
  })
})

describe('the default NIC', () => {
  const vm = { nic: [{ id: 'n1', ipaddress: '10.0.0.5', macaddress: '02:00:00:00:00:01' },
    { id: 'n2', isdefault: true, ipaddress: '10.1.0.7', ip6address: 'fd00::7', macaddress: '02:00:00:00:00:02' }] }

  it('is the NIC marked isdefault, else the first', () => {
    expect(defaultNic(vm).id).toBe('n2')
    expect(defaultNic({ nic: [vm.nic[0]] }).id).toBe('n1')
    expect(defaultNic({})).toBeNull()
  })

  it('reads as its addresses and its MAC', () => {
    expect(nicText(defaultNic(vm))).toBe('10.1.0.7, fd00::7 · 02:00:00:00:00:02')
    expect(nicText({ macaddress: '02:00:00:00:00:03' })).toBe('no IP · 02:00:00:00:00:03')
    expect(nicText(null)).toBe('no NIC')
  })
})

describe('the deploy form', () => {
  const fixed = { id: 'so1', cpunumber: 1, cpuspeed: 1000, memory: 512, iscustomized: false }
  const custom = { id: 'so2', iscustomized: true, cpuspeed: 1000,
    serviceofferingdetails: { mincpunumber: '1', maxcpunumber: '4', minmemory: '256', maxmemory: '4096' } }
  const form = { zoneId: 'z1', templateId: 't1', serviceOfferingId: 'so1', networkIds: ['n1', 'n2'], name: 'web-1',
    displayName: ' Web 1 ', ipAddress: '', rootDiskSize: null, startVm: false, cpuNumber: 2, memory: 1024 }

  it('sends deployVirtualMachine\'s parameters, the first network first', () => {
    expect(deployProblems(form, fixed)).toEqual({})
    expect(deployParams(form, fixed)).toEqual({ zoneid: 'z1', templateid: 't1', serviceofferingid: 'so1',
      networkids: 'n1,n2', name: 'web-1', displayname: 'Web 1', ipaddress: undefined, rootdisksize: undefined,
      startvm: false })
  })

  it('needs zone, template and offering', () => {
    expect(Object.keys(deployProblems({ networkIds: [] }, null))).toEqual(['zoneId', 'templateId', 'serviceOfferingId'])
  })

  it('takes a name only as a hostname', () => {
    for (const name of ['1web', 'web_1', 'web-', 'a'.repeat(64), 'wéb']) {
      expect(Object.keys(deployProblems({ ...form, name }, fixed))).toEqual(['name'])
    }
    expect(deployProblems({ ...form, name: 'a'.repeat(63) }, fixed)).toEqual({})
  })

  it('asks CPUs and memory of a custom offering within its bounds and sends them as details', () => {
    expect(deployProblems({ ...form, serviceOfferingId: 'so2', cpuNumber: 8, memory: 128 }, custom))
      .toEqual({ cpuNumber: 'Enter 1–4 CPUs', memory: 'Enter 256–4096 MiB of memory' })
    const params = deployParams({ ...form, serviceOfferingId: 'so2' }, custom)
    expect(params).toMatchObject({ 'details[0].cpuNumber': 2, 'details[0].memory': 1024 })
    expect(params['details[0].cpuSpeed']).toBeUndefined()
    expect(deployParams(form, fixed)['details[0].cpuNumber']).toBeUndefined()
  })

  it('checks an IP address for the default NIC, which needs a network', () => {
    expect(deployProblems({ ...form, ipAddress: '10.0.0.300' }, fixed).ipAddress).toMatch(/IPv4/)
    expect(deployProblems({ ...form, ipAddress: '10.0.0.30', networkIds: [] }, fixed).ipAddress).toMatch(/needs a network/)
    expect(deployParams({ ...form, ipAddress: ' 10.0.0.30 ' }, fixed).ipaddress).toBe('10.0.0.30')
  })

  it('offers the ready templates of the zone and of every zone', () => {
    const templates = [{ id: 'a', isready: true, zoneid: 'z1' }, { id: 'b', isready: true, zoneid: 'z2' },
      { id: 'c', isready: true, crossZones: true }, { id: 'd', isready: false, zoneid: 'z1' }]
    expect(deployableTemplates(templates, 'z1').map((t) => t.id)).toEqual(['a', 'c'])
  })

  it('puts the server\'s refusal under the field it names', () => {
    expect(placeError('Unable to find network by id x (parameter networkids)', DEPLOY_FIELDS).field).toBe('networkIds')
    expect(placeError('Invalid value for parameter name: not a hostname', DEPLOY_FIELDS).field).toBe('name')
  })
})

describe('volumes of a VM', () => {
  const vm = { id: 'vm1', zoneid: 'z1' }

  it('attaches only free data disks of its zone that are ready', () => {
    const volumes = [{ id: 'ok', type: 'DATADISK', zoneid: 'z1', state: 'Ready' },
      { id: 'new', type: 'DATADISK', zoneid: 'z1', state: 'Allocated' },
      { id: 'root', type: 'ROOT', zoneid: 'z1', state: 'Ready' },
      { id: 'used', type: 'DATADISK', zoneid: 'z1', state: 'Ready', virtualmachineid: 'vm2' },
      { id: 'far', type: 'DATADISK', zoneid: 'z2', state: 'Ready' },
      { id: 'gone', type: 'DATADISK', zoneid: 'z1', state: 'Destroyed' }]
    expect(attachableVolumes(volumes, vm).map((v) => v.id)).toEqual(['ok', 'new'])
  })

  it('orders the VM\'s volumes root first, then by device id (numbers, not text)', () => {
    const volumes = [{ id: 'd10', type: 'DATADISK', deviceid: 10, virtualmachineid: 'vm1' },
      { id: 'd4', type: 'DATADISK', deviceid: 4, virtualmachineid: 'vm1' },
      { id: 'root', type: 'ROOT', deviceid: 0, virtualmachineid: 'vm1' },
      { id: 'd1', type: 'DATADISK', deviceid: 1, virtualmachineid: 'vm1' }]
    expect(inDeviceOrder(volumes).map((v) => v.id)).toEqual(['root', 'd1', 'd4', 'd10'])
    expect(volumes[0].id).toBe('d10')
  })

  it('detaches data disks, never the root disk', () => {
    expect(detachable({ type: 'DATADISK' })).toBe(true)
    expect(detachable({ type: 'ROOT' })).toBe(false)
  })
})
