import { describe, expect, it } from 'vitest'
import {
  ALL_ZONES, REGISTER_FIELDS, anyImporting, importState, registerParams, registerProblems, zoneOf,
} from '../src/compute/templates.js'
import { placeError } from '../src/forms/serverError.js'

describe('importState', () => {
  it('follows CloudStack\'s status texts while the import runs', () => {
    expect(importState({ isready: false, status: 'Processing' })).toEqual({ kind: 'importing', percent: null,
      text: 'Processing' })
    expect(importState({ isready: false, status: '42% Downloaded' })).toEqual({ kind: 'importing', percent: 42,
      text: '42% Downloaded' })
    expect(importState({ isready: false, status: null }).kind).toBe('importing')
    expect(importState({ isready: false, status: 'Importing into pool ceph-1' })).toEqual({ kind: 'importing',
      percent: null, text: 'Importing into pool ceph-1' })
  })

  it('counts a template registered whose job has not started yet as importing, not failed', () => {
    // The server's first status; shown as Failed, the page stopped refreshing (seen in WebUiVmsIT).
    expect(importState({ isready: false, status: 'Registered; waiting to import' })).toEqual({ kind: 'importing',
      percent: null, text: 'Registered; waiting to import' })
  })

  it('is ready once isready, keeping what the status adds', () => {
    expect(importState({ isready: true, status: 'Download Complete' })).toEqual({ kind: 'ready', percent: null,
      text: 'Download Complete' })
    expect(importState({ isready: true, status: 'Download Complete; not imported: pool p2 is full' }).text)
      .toContain('pool p2 is full')
  })

  it('takes any other status of a template that is not ready as the error, without a leading "Failed: "', () => {
    expect(importState({ isready: false, status: 'Failed: Checksum mismatch' })).toEqual({ kind: 'failed',
      percent: null, text: 'Checksum mismatch' })
    expect(importState({ isready: false, status: 'HTTP 404 from the server' }).text).toBe('HTTP 404 from the server')
  })

  it('asks for a refresh only while some import runs', () => {
    expect(anyImporting([{ isready: true }, { isready: false, status: 'Failed: 404' }])).toBe(false)
    expect(anyImporting([{ isready: true }, { isready: false, status: '7% Downloaded' }])).toBe(true)
  })
})

describe('the register form', () => {
  const form = { name: ' debian ', displayText: '', url: ' https://images.example.com/d.qcow2 ', zoneId: ALL_ZONES,
    format: 'QCOW2', checksum: ' {SHA-256}abc ', osTypeId: '' }

  it('sends CloudStack\'s parameters, KVM, and -1 for all zones', () => {
    expect(registerProblems(form)).toEqual({})
    expect(registerParams(form)).toEqual({ name: 'debian', displaytext: undefined,
      url: 'https://images.example.com/d.qcow2', zoneid: '-1', format: 'QCOW2', hypervisor: 'KVM',
      checksum: '{SHA-256}abc', ostypeid: undefined })
  })

  it('takes http(s) URLs and file:/// paths, nothing else', () => {
    expect(registerProblems({ ...form, url: 'file:///srv/templates/d.raw' })).toEqual({})
    for (const url of ['ftp://x/y', 'file://host/x', 'images/d.qcow2', 'https://', '']) {
      expect(Object.keys(registerProblems({ ...form, url }))).toEqual(['url'])
    }
  })

  it('needs a name, a zone and a format', () => {
    expect(Object.keys(registerProblems({ ...form, name: '', zoneId: undefined, format: 'VHD' })))
      .toEqual(['name', 'zoneId', 'format'])
  })

  it('puts the server\'s refusal under the field it names', () => {
    expect(placeError('Invalid value for parameter checksum: unknown algorithm', REGISTER_FIELDS).field).toBe('checksum')
    expect(placeError('Invalid value for parameter url: the host x is not a valid address', REGISTER_FIELDS).field)
      .toBe('url')
  })
})

describe('zoneOf', () => {
  it('says All zones for a template of every zone', () => {
    expect(zoneOf({ crossZones: true })).toBe('All zones')
    expect(zoneOf({ crossZones: false, zoneid: 'z1', zonename: 'zone1' })).toBe('zone1')
  })
})
