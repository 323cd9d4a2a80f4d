import { describe, expect, it } from 'vitest'
import {
  offeringSize, serviceOfferingForm, serviceOfferingParams, serviceOfferingProblems,
} from '../src/compute/serviceOfferings.js'
import { placeError } from '../src/forms/serverError.js'
import { SERVICE_OFFERING_FIELDS } from '../src/compute/serviceOfferings.js'

const fixed = { name: ' small ', displayText: '', customized: false, cpuNumber: 2, cpuSpeed: 1000, memory: 2048,
  rootDiskSize: null, tags: ['ssd', ' '], hostTags: [] }

describe('the service offering form', () => {
  it('sends CPUs, speed and memory of a fixed offering with CloudStack\'s names', () => {
    expect(serviceOfferingProblems(fixed, false)).toEqual({})
    expect(serviceOfferingParams(fixed, false)).toEqual({ name: 'small', displaytext: undefined, customized: false,
      cpunumber: 2, cpuspeed: 1000, memory: 2048, rootdisksize: undefined, tags: 'ssd', hosttags: '' })
  })

  it('needs all three of a fixed offering, and memory of at least 32 MiB', () => {
    expect(Object.keys(serviceOfferingProblems({ ...fixed, cpuNumber: null, cpuSpeed: 0, memory: 16 }, false)))
      .toEqual(['cpuNumber', 'cpuSpeed', 'memory'])
  })

  it('leaves CPUs and memory out of a custom offering and sends the bounds given', () => {
    const custom = { ...fixed, customized: true, cpuSpeed: null, minCpuNumber: 1, maxCpuNumber: 4, minMemory: null,
      maxMemory: 8192, rootDiskSize: 20 }
    expect(serviceOfferingProblems(custom, false)).toEqual({})
    const params = serviceOfferingParams(custom, false)
    expect(params).toMatchObject({ customized: true, mincpunumber: 1, maxcpunumber: 4, maxmemory: 8192, rootdisksize: 20 })
    expect(params.cpunumber).toBeUndefined()
    expect(params.memory).toBeUndefined()
  })

  it('flags a least bound above the most, and a root disk that is not a whole GB', () => {
    expect(serviceOfferingProblems({ ...fixed, customized: true, minCpuNumber: 8, maxCpuNumber: 2, rootDiskSize: 1.5 },
      false)).toEqual({ maxCpuNumber: 'The most CPUs is at least the least',
      rootDiskSize: 'Enter a whole number of GB, at least 1, or leave it empty for the template\'s size' })
  })

  it('edits name, description and tags only, with updateServiceOffering\'s storagetags', () => {
    const form = serviceOfferingForm({ id: 'o1', name: 'small', displaytext: 'Small', storagetags: 'ssd,gold',
      hosttags: 'fast', cpunumber: 2 })
    expect(form).toEqual({ id: 'o1', name: 'small', displayText: 'Small', tags: ['ssd', 'gold'], hostTags: ['fast'] })
    expect(serviceOfferingProblems({ ...form, name: ' ' }, true)).toEqual({ name: 'Name the offering' })
    expect(serviceOfferingParams({ ...form, name: 'tiny' }, true)).toEqual({ id: 'o1', name: 'tiny', displaytext: 'Small',
      storagetags: 'ssd,gold', hosttags: 'fast' })
  })

  it('puts the server\'s refusal of a parameter under its field', () => {
    expect(placeError("Invalid value '16' for parameter memory: at least 32", SERVICE_OFFERING_FIELDS).field)
      .toBe('memory')
    expect(placeError('Parameter mincpunumber (8) must be at most maxcpunumber (2)', SERVICE_OFFERING_FIELDS).field)
      .toBe('minCpuNumber')
  })
})

describe('offeringSize', () => {
  it('says what a fixed offering gives', () => {
    expect(offeringSize({ cpunumber: 1, cpuspeed: 500, memory: 512, iscustomized: false })).toBe('1 CPU × 500 MHz · 512 MiB')
  })

  it('says what a custom offering lets users choose', () => {
    expect(offeringSize({ iscustomized: true, cpuspeed: 1000,
      serviceofferingdetails: { mincpunumber: '1', maxcpunumber: '4' } }))
      .toBe('custom: 1–4 CPUs × 1000 MHz · any memory')
  })
})
