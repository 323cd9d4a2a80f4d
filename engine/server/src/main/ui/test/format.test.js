import { describe, expect, it } from 'vitest'
import { formatBytes, formatDate, percentOf } from '../src/format.js'

describe('formatBytes', () => {
  it('uses binary units with two significant decimals below 10', () => {
    expect(formatBytes(19)).toBe('19 B')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(3.8 * 1024 ** 3)).toBe('3.80 GiB')
    expect(formatBytes(42 * 1024 ** 4)).toBe('42.0 TiB')
  })

  it('shows a dash for a missing figure', () => {
    expect(formatBytes(null)).toBe('—')
    expect(formatBytes(undefined)).toBe('—')
  })
})

describe('percentOf', () => {
  it('rounds, and is 0 without a total rather than dividing by zero', () => {
    expect(percentOf(1, 3)).toBe(33)
    expect(percentOf(5, 0)).toBe(0)
    expect(percentOf(150, 100)).toBe(150)
  })
})

describe('formatDate', () => {
  it('reads CloudStack\'s offset without a colon', () => {
    expect(formatDate('2026-12-03T22:18:53+0000')).toBe(new Date('2026-12-03T22:18:53Z').toLocaleString())
    expect(formatDate('not a date')).toBe('not a date')
  })
})
