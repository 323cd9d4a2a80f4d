import { describe, expect, it } from 'vitest'
import { parametersNamed, placeError } from '../src/forms/serverError.js'
import { createSnapshotPolicyParams, describeSchedule, intervalName, policyProblems, POLICY_FIELDS, scheduleProblem }
  from '../src/storage/policyForm.js'
import { backupChain, offeringParams, offeringProblems, resizeProblem } from '../src/storage/volumeForms.js'

const GIB = 1024 ** 3

describe('the server error placed under its field', () => {
  it('goes under the schedule for the bad schedule text createSnapshotPolicy answers', () => {
    const text = 'Volume v (1) has an invalid schedule [75] for interval type [HOURLY]: minute 75 (parameter schedule)'
    expect(placeError(text, POLICY_FIELDS)).toEqual({ field: 'schedule', text })
  })

  it('reads "Invalid value for parameter name:" and the binder\'s "Invalid parameter x value="', () => {
    expect(parametersNamed('Invalid value for parameter name: a disk offering needs a name')).toEqual(['name'])
    expect(placeError('Invalid parameter maxsnaps value=0', POLICY_FIELDS).field).toBe('maxSnaps')
  })

  it('takes the first of several named parameters that the form has', () => {
    expect(placeError('(parameters miniops 5, maxiops 1)', { maxiops: 'maxIops' }).field).toBe('maxIops')
  })

  it('stays above the form when the text names no field of it', () => {
    expect(placeError('Cannot delete storage pool p: it still holds 1 volume(s)', POLICY_FIELDS).field).toBeNull()
    expect(placeError('Invalid parameter zoneid value=x', POLICY_FIELDS).field).toBeNull()
  })
})

describe('snapshot policy form', () => {
  it('checks the schedule\'s shape for each interval', () => {
    expect(scheduleProblem('HOURLY', '30')).toBe('')
    expect(scheduleProblem('DAILY', '30:02')).toBe('')
    expect(scheduleProblem('WEEKLY', '30:02:1')).toBe('')
    expect(scheduleProblem('MONTHLY', '0:0:28')).toBe('')
    expect(scheduleProblem('HOURLY', '30:02')).toMatch(/^A hourly schedule is MM/)
    expect(scheduleProblem('DAILY', '30')).toMatch(/MM:HH/)
    expect(scheduleProblem('WEEKLY', 'a:b:c')).toMatch(/day of the week/)
    expect(scheduleProblem('DAILY', ' ')).toBe('Enter the schedule')
  })

  it('leaves the ranges to the server: 75 minutes has the hourly shape', () => {
    expect(scheduleProblem('HOURLY', '75')).toBe('')
  })

  it('lists every missing field', () => {
    expect(Object.keys(policyProblems({ intervalType: 'DAILY', schedule: '', timezone: '', maxSnaps: 0 })))
      .toEqual(['volumeId', 'schedule', 'timezone', 'maxSnaps'])
  })

  it('sends tags as a key/value map and leaves out empty rows', () => {
    expect(createSnapshotPolicyParams({ volumeId: 'v', intervalType: 'DAILY', schedule: ' 30:02 ', timezone: 'UTC',
      maxSnaps: 7, tags: [{ key: 'team', value: 'db' }, { key: ' ', value: 'x' }] })).toEqual({
      volumeid: 'v', intervaltype: 'DAILY', schedule: '30:02', timezone: 'UTC', maxsnaps: 7,
      'tags[0].key': 'team', 'tags[0].value': 'db' })
  })

  it('says each schedule in words, and leaves one it cannot read as it is', () => {
    expect(describeSchedule('HOURLY', '5')).toBe('every hour at :05')
    expect(describeSchedule('DAILY', '30:2')).toBe('daily at 02:30')
    expect(describeSchedule('WEEKLY', '0:23:1')).toBe('Sundays at 23:00')
    expect(describeSchedule('MONTHLY', '15:04:28')).toBe('day 28 of each month at 04:15')
    expect(describeSchedule('DAILY', '30')).toBe('30')
  })

  it('names CloudStack\'s interval numbers', () => {
    expect([0, 1, 2, 3].map(intervalName)).toEqual(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'])
  })
})

describe('resize', () => {
  it('takes a bigger whole size', () => {
    expect(resizeProblem(2, GIB, false)).toBe('')
  })

  it('asks for the shrink box before a smaller size, and lets it through with it', () => {
    expect(resizeProblem(1, 2 * GIB, false)).toMatch(/Allow shrinking/)
    expect(resizeProblem(1, 2 * GIB, true)).toBe('')
  })

  it('refuses the same size and sizes that are not whole GiB', () => {
    expect(resizeProblem(1, GIB, false)).toBe('That is the size it has')
    expect(resizeProblem(1.5, GIB, false)).toMatch(/whole number/)
    expect(resizeProblem(null, GIB, false)).toMatch(/whole number/)
  })
})

describe('disk offering form', () => {
  it('wants a size unless users choose it, and min IOPS at most max', () => {
    expect(offeringProblems({ name: 'a', customized: false, diskSize: null }, false)).toHaveProperty('diskSize')
    expect(offeringProblems({ name: 'a', customized: true, diskSize: null }, false)).toEqual({})
    expect(offeringProblems({ name: 'a', customized: true, minIops: 500, maxIops: 100 }, false))
      .toHaveProperty('maxIops')
  })

  it('sends disksize or customized, never both, and no IOPS range when chosen per volume', () => {
    const fixed = offeringParams({ name: ' gold ', diskSize: 5, customized: false, tags: ['ssd', ' '],
      minIops: 100, maxIops: 200, bytesReadRate: 1000 }, false)
    expect(fixed).toMatchObject({ name: 'gold', disksize: 5, customized: false, tags: 'ssd', miniops: 100,
      maxiops: 200, bytesreadrate: 1000 })
    const custom = offeringParams({ name: 'c', diskSize: 5, customized: true, customizedIops: true, minIops: 1 }, false)
    expect(custom.disksize).toBeUndefined()
    expect(custom.miniops).toBeUndefined()
  })

  it('edits with updateDiskOffering\'s parameters only', () => {
    const params = offeringParams({ id: 'o', name: 'n', diskSize: 5, customized: false, tags: [] }, true)
    expect(params.id).toBe('o')
    expect(params).not.toHaveProperty('disksize')
    expect(params).not.toHaveProperty('customized')
  })
})

describe('backup chain', () => {
  it('tells full, incremental on its parent with its depth, and not backed up', () => {
    const chain = backupChain([
      { id: 's3', parent: 's2', parentname: 'two', datastoreid: 'i', datastorename: 'backups' },
      { id: 's2', parent: 's1', parentname: 'one', datastoreid: 'i', datastorename: 'backups' },
      { id: 's1', datastoreid: 'i', datastorename: 'backups' },
      { id: 's0' },
    ])
    expect(chain.s1).toEqual({ kind: 'full', depth: 0, store: 'backups' })
    expect(chain.s2).toMatchObject({ kind: 'incremental', parentName: 'one', depth: 1 })
    expect(chain.s3).toMatchObject({ kind: 'incremental', parentId: 's2', depth: 2 })
    expect(chain.s0).toEqual({ kind: 'none' })
  })

  it('counts a parent that is no longer listed (a deleted snapshot whose backup stays)', () => {
    expect(backupChain([{ id: 's3', parent: 'gone', parentname: 'old', datastoreid: 'i' }]).s3)
      .toMatchObject({ kind: 'incremental', parentName: 'old', depth: 1 })
  })
})
