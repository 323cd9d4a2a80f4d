import { describe, expect, it } from 'vitest'
import { missingFields, paramsOf, parameterOfError, placeError } from '../src/admin/forms.js'

const fields = [
  { name: 'name', label: 'Name', required: true },
  { name: 'zoneId', param: 'zoneid', label: 'Zone', kind: 'select', required: true },
  { name: 'gateway', label: 'Gateway', required: true },
  { name: 'password', label: 'Password', kind: 'password' },
  { name: 'repeat', label: 'Password again', kind: 'password', sameAs: 'password', send: false },
]

describe('parameterOfError', () => {
  it('finds the parameter the server names, in lower case', () => {
    expect(parameterOfError("Invalid value '300' for parameter value: at most 100")).toBe('value')
    expect(parameterOfError('Unable to find zone by id x (parameter zoneId)')).toBe('zoneid')
    expect(parameterOfError('Ceph said no (parameter details[0].secret)')).toBe('details[].secret')
  })

  it('is null when the text names no parameter', () => {
    expect(parameterOfError('The zone has 1 host: delete it first')).toBeNull()
    expect(parameterOfError(undefined)).toBeNull()
  })
})

describe('placeError', () => {
  it('puts a parameter error under the field sending that parameter', () => {
    expect(placeError({ errortext: "Invalid value '10.0.0.300' for parameter gateway: not an IPv4 address" }, fields))
      .toEqual({ field: 'gateway', text: "Invalid value '10.0.0.300' for parameter gateway: not an IPv4 address" })
    expect(placeError({ errortext: 'No such zone (parameter zoneid)' }, fields).field).toBe('zoneId')
  })

  it('leaves an error about no field of the form above the form', () => {
    expect(placeError({ errortext: 'Pod p1 still has 1 cluster' }, fields)).toEqual({ field: null, text: 'Pod p1 still has 1 cluster' })
    expect(placeError({ errortext: 'Invalid value for parameter netmask' }, fields).field).toBeNull()
    expect(placeError(new Error('network down'), fields).text).toBe('network down')
  })
})

describe('missingFields', () => {
  it('names every required field left empty or blank, with the verb of its kind', () => {
    expect(missingFields(fields, { name: '  ', gateway: '10.0.0.1' }))
      .toEqual({ name: 'Enter name', zoneId: 'Choose zone' })
  })

  it('flags a repeated password that differs, and nothing when all is there', () => {
    const values = { name: 'p', zoneId: 'z', gateway: 'g', password: 'secret-1', repeat: 'secret-2' }
    expect(missingFields(fields, values)).toEqual({ repeat: 'The two entries differ' })
    expect(missingFields(fields, { ...values, repeat: 'secret-1' })).toEqual({})
  })
})

describe('paramsOf', () => {
  it('sends each filled field under its API name, trimmed, passwords untouched, repeats not at all', () => {
    expect(paramsOf(fields, { name: ' pod-1 ', zoneId: 'z1', gateway: '', password: ' pw ', repeat: ' pw ' }))
      .toEqual({ name: 'pod-1', zoneid: 'z1', password: ' pw ' })
  })

  it('sends only what an edit changed, with the fixed id', () => {
    const initial = { name: 'pod-1', zoneId: 'z1', gateway: '10.0.0.1' }
    expect(paramsOf(fields, { ...initial, name: 'pod-2' }, { initial, fixed: { id: 'p1' } }))
      .toEqual({ id: 'p1', name: 'pod-2' })
  })
})
