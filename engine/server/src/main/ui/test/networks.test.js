import { describe, expect, it } from 'vitest'
import { addressesOf, guestRangeOf, networkCreateFields, networkCreateInitial, vlanOf } from '../src/compute/networks.js'
import { missingFields, paramsOf, placeError } from '../src/admin/forms.js'

const choices = { zones: [{ id: 'z1', name: 'zone1' }], offerings: [{ id: 'o1', name: 'DefaultSharedNetworkOffering' }] }

describe('the create network form', () => {
  const fields = networkCreateFields(choices)

  it('sends createNetwork\'s parameters, leaving out the empty ones', () => {
    const values = { ...networkCreateInitial(choices), name: ' guests ', displaytext: '', gateway: '192.168.100.1',
      netmask: '255.255.255.0', startip: '192.168.100.10', endip: '192.168.100.200', vlan: '100', dns1: '', dns2: '', bridge: '', uplink: 'eth1' }
    expect(missingFields(fields, values)).toEqual({})
    expect(paramsOf(fields, values)).toEqual({ zoneid: 'z1', networkofferingid: 'o1', name: 'guests',
      gateway: '192.168.100.1', netmask: '255.255.255.0', startip: '192.168.100.10', endip: '192.168.100.200',
      vlan: '100', uplink: 'eth1' })
  })

  it('needs zone, offering, name, gateway, netmask and the first IP', () => {
    expect(Object.keys(missingFields(fields, {})))
      .toEqual(['zoneid', 'networkofferingid', 'name', 'gateway', 'netmask', 'startip'])
  })

  it('chooses the zone and offering only when there is one of each', () => {
    expect(networkCreateInitial({ zones: [{ id: 'a' }, { id: 'b' }], offerings: [{ id: 'o' }] }))
      .toEqual({ zoneid: undefined, networkofferingid: 'o' })
  })

  it('puts the server\'s refusal of the range under its field', () => {
    expect(placeError({ errortext: 'Invalid value for parameter startip: 10.9.9.9 is outside 192.168.100.0/24' }, fields)
      .field).toBe('startip')
    expect(placeError({ errortext: 'The VLAN 100 is already used in zone zone1 (parameter vlan)' }, fields).field)
      .toBe('vlan')
  })
})

describe('vlanOf and addressesOf', () => {
  it('reads the VLAN from vlan or broadcasturi', () => {
    expect(vlanOf({ vlan: '100' })).toBe('100')
    expect(vlanOf({ broadcasturi: 'vlan://200' })).toBe('200')
    expect(vlanOf({ broadcasturi: 'vlan://untagged' })).toBe('untagged')
    expect(vlanOf({})).toBe('untagged')
  })

  it('shows the CIDR and gateway', () => {
    expect(addressesOf({ cidr: '192.168.100.0/24', gateway: '192.168.100.1' })).toBe('192.168.100.0/24 via 192.168.100.1')
    expect(addressesOf({})).toBe('—')
  })

  it('shows the guests\' range, one address once', () => {
    expect(guestRangeOf({ startip: '10.0.0.10', endip: '10.0.0.20' })).toBe('10.0.0.10–10.0.0.20')
    expect(guestRangeOf({ startip: '10.0.0.10', endip: '10.0.0.10' })).toBe('10.0.0.10')
    expect(guestRangeOf({})).toBe('')
  })
})
