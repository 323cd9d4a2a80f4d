import { describe, expect, it } from 'vitest'
import { anyRunning, commandOf, queuedOf, resultOf } from '../src/admin/jobs.js'

describe('commandOf', () => {
  it('shows the API name whether the server gives it or a CloudStack class name', () => {
    expect(commandOf({ cmd: 'backupSnapshot' })).toBe('backupSnapshot')
    expect(commandOf({ cmd: 'org.apache.cloudstack.api.command.user.snapshot.CreateSnapshotCmd' })).toBe('createSnapshot')
  })
})

describe('resultOf', () => {
  it('says nothing of a running job', () => {
    expect(resultOf({ jobstatus: 0, jobprocstatus: 40 })).toBe('')
  })

  it('gives a failed job\'s error text, or its code when it has none', () => {
    expect(resultOf({ jobstatus: 2, jobresult: { errorcode: 530, errortext: 'Ceph refused' } })).toBe('Ceph refused')
    expect(resultOf({ jobstatus: 2, jobresultcode: 530 })).toBe('Failed with code 530')
  })

  it('names what a succeeded job made, or says it is done', () => {
    expect(resultOf({ jobstatus: 1, jobresult: { snapshot: { id: 's1', name: 'vol_snap_1' } } })).toBe('snapshot vol_snap_1')
    expect(resultOf({ jobstatus: 1, jobresult: { success: true } })).toBe('Done')
  })
})

describe('anyRunning', () => {
  it('is true while one job is pending', () => {
    expect(anyRunning([{ jobstatus: 1 }, { jobstatus: 0 }])).toBe(true)
    expect(anyRunning([{ jobstatus: 1 }, { jobstatus: 2 }])).toBe(false)
  })
})

describe('queuedOf', () => {
  it('says how many transfers are ahead of a job waiting for a transfer slot on its host', () => {
    expect(queuedOf({ jobstatus: 0, transferqueued: true, transfersahead: 2 })).toBe('queued (2 ahead)')
    expect(queuedOf({ jobstatus: 0, transferqueued: true, transfersahead: 0 })).toBe('queued (0 ahead)')
  })

  it('says queued alone when the count is missing', () => {
    expect(queuedOf({ jobstatus: 0, transferqueued: true })).toBe('queued')
  })

  it('says queued alone when the count is null, empty or not a count, never "0 ahead"', () => {
    for (const transfersahead of [null, '', ' ', '3', true, false, [], -1, 1.5, NaN]) {
      expect(queuedOf({ jobstatus: 0, transferqueued: true, transfersahead })).toBe('queued')
    }
  })

  it('says nothing of a job that runs, or has ended', () => {
    expect(queuedOf({ jobstatus: 0, jobprocstatus: 40 })).toBe('')
    expect(queuedOf({ jobstatus: 0, transferqueued: false, transfersahead: 3 })).toBe('')
    expect(queuedOf({ jobstatus: 1, transferqueued: true, transfersahead: 1 })).toBe('')
  })
})
