const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** Bytes as people read them: 1.5 GiB. */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || Number.isNaN(Number(bytes))) {
    return '—'
  }
  let value = Number(bytes)
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`
}

/** A whole percentage of part in total; 0 when there is no total. */
export function percentOf(part, total) {
  const t = Number(total)
  if (!t) {
    return 0
  }
  return Math.round((Number(part) * 100) / t)
}

/** CloudStack's dates (2026-12-03T22:18:53+0000) in the browser's locale. */
export function formatDate(text) {
  if (!text) {
    return ''
  }
  const date = new Date(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString()
}
